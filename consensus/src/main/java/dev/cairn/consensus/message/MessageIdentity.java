package dev.cairn.consensus.message;

import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.crypto.DomainTag;
import dev.cairn.ledger.crypto.Hashing;

/**
 * The identity of a whole consensus message: the tagged hash of its canonical encoding (signed part and the
 * unsigned justification alike). Two copies are the same message exactly when their identities are equal, so
 * caches and buffers deduplicate by it; a copy with an altered justification is another message and cannot
 * shadow the genuine one.
 */
public final class MessageIdentity {
  private MessageIdentity() {}

  public static Hash of(byte[] encodedMessage) {
    return Hashing.hash(DomainTag.CONSENSUS_MESSAGE, encodedMessage);
  }
}
