package dev.cairn.consensus.message;

import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.model.Block;
import java.util.List;
import java.util.Objects;

/**
 * A block and a quorum of PREPAREs for it from one round: proof that the block may have been committed in
 * that round, which is why a validator that holds one (its lock) must carry it into every later round change.
 * The block keeps the header it was first proposed with, so its hash (and the PREPAREs) stay valid when it
 * is re-proposed in a later round. Structural checks live in {@link dev.cairn.consensus.MessageValidator}.
 */
public record PreparedCertificate(Block block, List<SignedMessage> prepares) {
  public PreparedCertificate {
    Objects.requireNonNull(block, "block");
    prepares = List.copyOf(prepares);
    if (prepares.isEmpty()) {
      throw new IllegalArgumentException("a prepared certificate needs prepares");
    }
  }

  /** The round the prepares were cast in (not the block header's round, which may be older). */
  public int round() {
    return prepares.get(0).round();
  }

  public Hash blockHash() {
    return block.hash();
  }

  public MessageBody.PreparedRef ref() {
    return new MessageBody.PreparedRef(round(), blockHash());
  }
}
