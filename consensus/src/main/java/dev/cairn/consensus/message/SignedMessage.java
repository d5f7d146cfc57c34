package dev.cairn.consensus.message;

import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.crypto.DomainTag;
import dev.cairn.ledger.crypto.Hashing;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.crypto.Signature;
import java.util.Objects;

/**
 * A body and its author's Ed25519 signature over the tagged hash of the body's canonical encoding. Signing
 * the 32-byte digest (not the whole block) keeps verification cost independent of block size.
 */
public record SignedMessage(MessageBody body, PublicKey author, Signature signature) {
  public SignedMessage {
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(author, "author");
    Objects.requireNonNull(signature, "signature");
  }

  public static SignedMessage sign(KeyPair key, MessageBody body) {
    return new SignedMessage(body, key.publicKey(), key.sign(digest(body).unsafeArray()));
  }

  /** What the signature covers: H(CONSENSUS_MESSAGE tag, canonical body). */
  public static Hash digest(MessageBody body) {
    return Hashing.hash(DomainTag.CONSENSUS_MESSAGE, MessageCodec.encodeBody(body));
  }

  public long height() {
    return body.height();
  }

  public int round() {
    return body.round();
  }

  public MessageKind kind() {
    return body.kind();
  }
}
