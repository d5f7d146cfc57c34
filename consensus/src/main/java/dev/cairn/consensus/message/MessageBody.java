package dev.cairn.consensus.message;

import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.crypto.Signature;
import dev.cairn.ledger.model.Block;
import java.util.Objects;
import java.util.Optional;

/**
 * The signed part of a consensus message. Every body names its height and round, so a signature can never be
 * replayed into another (height, round). The author is not part of the body: it is whoever signed.
 */
public sealed interface MessageBody {
  long height();

  int round();

  MessageKind kind();

  private static void checkPosition(long height, int round) {
    if (height < 0 || round < 0) {
      throw new IllegalArgumentException("height and round must be non-negative");
    }
  }

  /** The proposer's block for (height, round). In rounds > 0 the justification travels next to it. */
  record Proposal(long height, int round, Block block) implements MessageBody {
    public Proposal {
      checkPosition(height, round);
      Objects.requireNonNull(block, "block");
    }

    @Override
    public MessageKind kind() {
      return MessageKind.PROPOSAL;
    }
  }

  record Prepare(long height, int round, Hash blockHash) implements MessageBody {
    public Prepare {
      checkPosition(height, round);
      Objects.requireNonNull(blockHash, "blockHash");
    }

    @Override
    public MessageKind kind() {
      return MessageKind.PREPARE;
    }
  }

  /**
   * A commit vote. {@code sealSignature} is the author's {@link dev.cairn.ledger.model.CommitSeal} signature
   * over the block hash: it is what goes into the block's certificate, so it is carried and signed here.
   */
  record Commit(long height, int round, Hash blockHash, Signature sealSignature) implements MessageBody {
    public Commit {
      checkPosition(height, round);
      Objects.requireNonNull(blockHash, "blockHash");
      Objects.requireNonNull(sealSignature, "sealSignature");
    }

    @Override
    public MessageKind kind() {
      return MessageKind.COMMIT;
    }
  }

  /**
   * "I have left every round below {@code round}; the highest block I prepared is {@code prepared}". The
   * summary is signed; the certificate that proves it travels unsigned next to it (it proves itself).
   */
  record RoundChange(long height, int round, Optional<PreparedRef> prepared) implements MessageBody {
    public RoundChange {
      checkPosition(height, round);
      Objects.requireNonNull(prepared, "prepared");
      if (prepared.isPresent() && prepared.get().round() >= round) {
        throw new IllegalArgumentException("a round change carries a prepared round below its own round");
      }
    }

    @Override
    public MessageKind kind() {
      return MessageKind.ROUND_CHANGE;
    }
  }

  /** The signed summary of a prepared certificate: its round and its block's hash. */
  record PreparedRef(int round, Hash blockHash) {
    public PreparedRef {
      if (round < 0) {
        throw new IllegalArgumentException("prepared round must be non-negative");
      }
      Objects.requireNonNull(blockHash, "blockHash");
    }
  }
}
