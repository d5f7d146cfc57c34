package dev.cairn.ledger.model;

import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.crypto.Address;
import dev.cairn.ledger.crypto.DomainTag;
import dev.cairn.ledger.crypto.Hashing;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.crypto.Signature;
import dev.cairn.ledger.crypto.Signatures;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A signed transaction. The signature covers {@link #signingHash()}: the tagged hash of the canonical
 * encoding without the signature, which includes the chain id (replay protection across chains) and the
 * sender's nonce (replay protection within the chain). The id is the tagged hash of the full signed
 * encoding.
 */
public record Transaction(String chainId, PublicKey sender, long nonce, Payload payload, Signature signature) {
  public Transaction {
    Objects.requireNonNull(chainId, "chainId");
    Objects.requireNonNull(sender, "sender");
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(signature, "signature");
    int chainIdBytes = Text.utf8Length("chain id", chainId);
    if (chainIdBytes == 0 || chainIdBytes > Limits.CHAIN_ID_BYTES_MAX) {
      throw new IllegalArgumentException("chain id must have 1.." + Limits.CHAIN_ID_BYTES_MAX + " bytes");
    }
    if (nonce < 0) {
      throw new IllegalArgumentException("nonce must be non-negative");
    }
  }

  /** Builds and signs a transaction with {@code key}. */
  public static Transaction sign(String chainId, KeyPair key, long nonce, Payload payload) {
    Hash signing = CanonicalForm.signingHash(chainId, key.publicKey(), nonce, payload);
    return new Transaction(chainId, key.publicKey(), nonce, payload, key.sign(signing.unsafeArray()));
  }

  public Address senderAddress() {
    return sender.address();
  }

  public Hash signingHash() {
    return CanonicalForm.signingHash(chainId, sender, nonce, payload);
  }

  /** The transaction id: tagged hash of the whole signed encoding. */
  public Hash id() {
    return Hashing.hash(DomainTag.TX_ID, CanonicalForm.transaction(this));
  }

  /** Checks the Ed25519 signature; costs one verification (~100 microseconds), so callers cache the result. */
  public boolean hasValidSignature() {
    return Signatures.verify(sender, signingHash().unsafeArray(), signature);
  }

  /**
   * Checks many transactions' signatures together (batch verification, about half the cost per signature of
   * one by one); {@code valid[i]} is exactly {@code txs.get(i).hasValidSignature()}.
   */
  public static boolean[] verifySignatures(List<Transaction> txs) {
    List<PublicKey> keys = new ArrayList<>(txs.size());
    List<byte[]> messages = new ArrayList<>(txs.size());
    List<Signature> signatures = new ArrayList<>(txs.size());
    for (Transaction tx : txs) {
      keys.add(tx.sender());
      messages.add(tx.signingHash().unsafeArray());
      signatures.add(tx.signature());
    }
    return Signatures.verifyAll(keys, messages, signatures);
  }
}
