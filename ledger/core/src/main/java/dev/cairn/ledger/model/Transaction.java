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
public final class Transaction {
  private final String chainId;
  private final PublicKey sender;
  private final long nonce;
  private final Payload payload;
  private final Signature signature;
  /*
   * Derived once, on first use: a transaction's id and sender address are asked for by admission, block
   * building, validation, execution, the history index and the commit, and each costs a SHA-256 (the id also a
   * re-encoding). Plain fields, not volatile: a race only computes the same immutable value twice, and Hash
   * and Address publish safely through their final fields.
   */
  private Hash id;
  private Address senderAddress;

  public Transaction(String chainId, PublicKey sender, long nonce, Payload payload, Signature signature) {
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
    this.chainId = chainId;
    this.sender = sender;
    this.nonce = nonce;
    this.payload = payload;
    this.signature = signature;
  }

  public String chainId() {
    return chainId;
  }

  public PublicKey sender() {
    return sender;
  }

  public long nonce() {
    return nonce;
  }

  public Payload payload() {
    return payload;
  }

  public Signature signature() {
    return signature;
  }

  /** Builds and signs a transaction with {@code key}. */
  public static Transaction sign(String chainId, KeyPair key, long nonce, Payload payload) {
    Hash signing = CanonicalForm.signingHash(chainId, key.publicKey(), nonce, payload);
    return new Transaction(chainId, key.publicKey(), nonce, payload, key.sign(signing.unsafeArray()));
  }

  public Address senderAddress() {
    Address address = senderAddress;
    if (address == null) {
      address = sender.address();
      senderAddress = address;
    }
    return address;
  }

  public Hash signingHash() {
    return CanonicalForm.signingHash(chainId, sender, nonce, payload);
  }

  /** The transaction id: tagged hash of the whole signed encoding. */
  public Hash id() {
    Hash known = id;
    if (known == null) {
      known = Hashing.hash(DomainTag.TX_ID, CanonicalForm.transaction(this));
      id = known;
    }
    return known;
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

  /** Value equality over the five signed fields, as a record's (the derived fields follow from them). */
  @Override
  public boolean equals(Object other) {
    return this == other || other instanceof Transaction that
        && nonce == that.nonce
        && chainId.equals(that.chainId)
        && sender.equals(that.sender)
        && payload.equals(that.payload)
        && signature.equals(that.signature);
  }

  @Override
  public int hashCode() {
    return Objects.hash(chainId, sender, nonce, payload, signature);
  }

  @Override
  public String toString() {
    return "Transaction[chainId=" + chainId + ", sender=" + sender + ", nonce=" + nonce + ", payload=" + payload
        + ", signature=" + signature + "]";
  }
}
