package dev.cairn.consensus.driver;

import dev.cairn.consensus.Preverified;
import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.model.Block;
import dev.cairn.ledger.model.FinalizedBlock;
import dev.cairn.ledger.model.Validation;
import java.util.List;
import java.util.Objects;

/**
 * Everything that can happen to the driver. The first group comes from outside (the node or the simulator
 * posts them); the second answers a command of the driver: {@link Persisted}/{@link PersistFailed} answer
 * Persist, {@link Committed} answers Commit, {@link Imported} answers Import. The driver emits nothing else
 * while one of those three answers is outstanding and holds other events until it arrives.
 */
public sealed interface DriverEvent {
  /**
   * The node started. {@code resumeHeight}: it had signed something at head + 1 before it stopped and must go
   * back to that height at once. Whether it takes part or observes follows from the validators at head + 1.
   */
  record Start(boolean resumeHeight) implements DriverEvent {}

  /** An undecoded consensus message from a peer. */
  record MessageReceived(Bytes bytes) implements DriverEvent {
    public MessageReceived {
      Objects.requireNonNull(bytes, "bytes");
    }
  }

  /**
   * A consensus message from a peer, decoded and checked by the gossip relay before it was forwarded: the
   * driver does not decode it again and the engine repeats only what depends on its round.
   */
  record PreverifiedMessageReceived(Preverified message) implements DriverEvent {
    public PreverifiedMessageReceived {
      Objects.requireNonNull(message, "message");
    }
  }

  /** The mempool admitted something (coalesced: one event may stand for a burst). */
  record TransactionsAvailable() implements DriverEvent {}

  /** A timer armed by {@link DriverCommand.ArmTimer} expired. */
  record TimerFired(DriverTimer timer) implements DriverEvent {
    public TimerFired {
      Objects.requireNonNull(timer, "timer");
    }
  }

  /** The candidate a {@link DriverCommand.BuildBlock} asked for. */
  record BlockBuilt(Block block) implements DriverEvent {
    public BlockBuilt {
      Objects.requireNonNull(block, "block");
    }
  }

  /** The outcome of a {@link DriverCommand.ValidateBlock}. */
  record BlockValidated(Hash blockHash, Validation result) implements DriverEvent {
    public BlockValidated {
      Objects.requireNonNull(blockHash, "blockHash");
      Objects.requireNonNull(result, "result");
    }
  }

  /** A peer's connection closed: if it was the current round's proposer, its round need not wait in full. */
  record PeerLost() implements DriverEvent {}

  /**
   * Finalized blocks from peers (sync, gossip) to commit in order; answered by {@link
   * DriverCommand.ImportFinished} with the same {@code requestId}.
   */
  record ImportRequested(long requestId, List<FinalizedBlock> blocks) implements DriverEvent {
    public ImportRequested {
      blocks = List.copyOf(blocks);
    }
  }

  /** The state of the last Persist command is durable (synced). */
  record Persisted() implements DriverEvent {}

  /** The state of the last Persist command may not be durable: the driver halts rather than sends. */
  record PersistFailed(String reason) implements DriverEvent {
    public PersistFailed {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** The block of the last Commit command is the chain's head (durably). */
  record Committed() implements DriverEvent {}

  /** The outcome of the last Import command: VALID and committed, or why it was refused with nothing changed. */
  record Imported(Validation outcome) implements DriverEvent {
    public Imported {
      Objects.requireNonNull(outcome, "outcome");
    }
  }
}
