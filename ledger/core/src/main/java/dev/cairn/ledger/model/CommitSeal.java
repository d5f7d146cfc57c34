package dev.cairn.ledger.model;

import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.crypto.DomainTag;
import dev.cairn.ledger.crypto.Hashing;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.crypto.Signature;
import dev.cairn.ledger.crypto.Signatures;
import java.util.Objects;

/**
 * One validator's commit seal: its signature over the tagged block hash. The header already carries the
 * round, so the seal binds the round too.
 */
public record CommitSeal(PublicKey validator, Signature signature) {
  public CommitSeal {
    Objects.requireNonNull(validator, "validator");
    Objects.requireNonNull(signature, "signature");
  }

  public static CommitSeal sign(KeyPair key, Hash blockHash) {
    return new CommitSeal(key.publicKey(), key.sign(sealedDigest(blockHash)));
  }

  public boolean verify(Hash blockHash) {
    return Signatures.verify(validator, sealedDigest(blockHash), signature);
  }

  private static byte[] sealedDigest(Hash blockHash) {
    return Hashing.hash(DomainTag.COMMIT_SEAL, blockHash.unsafeArray()).unsafeArray();
  }
}
