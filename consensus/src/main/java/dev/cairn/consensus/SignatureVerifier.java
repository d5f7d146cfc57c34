package dev.cairn.consensus;

import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.crypto.Signature;
import dev.cairn.ledger.crypto.Signatures;
import dev.cairn.ledger.model.CommitSeal;

/**
 * Ed25519 checks used by the validator. An interface so that a node (or the simulator, where n engines see
 * the same broadcast) can put a cache in front: one verification per distinct signed message.
 */
public interface SignatureVerifier {
  boolean verify(PublicKey author, Hash digest, Signature signature);

  boolean verifySeal(CommitSeal seal, Hash blockHash);

  SignatureVerifier ED25519 =
      new SignatureVerifier() {
        @Override
        public boolean verify(PublicKey author, Hash digest, Signature signature) {
          return Signatures.verify(author, digest.unsafeArray(), signature);
        }

        @Override
        public boolean verifySeal(CommitSeal seal, Hash blockHash) {
          return seal.verify(blockHash);
        }
      };
}
