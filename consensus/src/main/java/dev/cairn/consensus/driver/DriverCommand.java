package dev.cairn.consensus.driver;

import dev.cairn.consensus.Evidence;
import dev.cairn.consensus.PersistedState;
import dev.cairn.consensus.message.ConsensusMessage;
import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.model.Block;
import dev.cairn.ledger.model.FinalizedBlock;
import dev.cairn.ledger.model.Validation;
import java.util.Objects;

/**
 * What the caller must do, in the order the driver returns them. Three commands are answered before the
 * driver goes on: {@link Persist} (durably, then {@link DriverEvent.Persisted}; on any failure {@link
 * DriverEvent.PersistFailed} and nothing more is sent), {@link Commit} ({@link DriverEvent.Committed}) and
 * {@link Import} ({@link DriverEvent.Imported}). A Persist is always the last command of its batch, so an own
 * vote can only be broadcast after the answer that it is on disk.
 */
public sealed interface DriverCommand {
  /** Whether the driver waits for this command's answer before it emits anything else. */
  default boolean awaitsAnswer() {
    return false;
  }

  /** Write the engine's own signed messages and lock durably (synced) before anything else happens. */
  record Persist(PersistedState state) implements DriverCommand {
    public Persist {
      Objects.requireNonNull(state, "state");
    }

    @Override
    public boolean awaitsAnswer() {
      return true;
    }
  }

  /** Send to all peers: {@code encoded} is the message's wire form (MessageCodec). */
  record Broadcast(ConsensusMessage message, Bytes encoded) implements DriverCommand {
    public Broadcast {
      Objects.requireNonNull(message, "message");
      Objects.requireNonNull(encoded, "encoded");
    }
  }

  /** Post {@code TimerFired(timer)} after {@code delayMillis}. */
  record ArmTimer(DriverTimer timer, long delayMillis) implements DriverCommand {
    public ArmTimer {
      Objects.requireNonNull(timer, "timer");
      if (delayMillis < 0) {
        throw new IllegalArgumentException("negative delay " + delayMillis);
      }
    }
  }

  /** Build (and execute) a candidate for head + 1 from the mempool; answer later with BlockBuilt. */
  record BuildBlock(long height, int round, PublicKey proposer, long timestampMillis) implements DriverCommand {}

  /** Execute {@code block} against the head state; answer later with BlockValidated. */
  record ValidateBlock(Block block) implements DriverCommand {}

  /** Commit the block this validator's engine finalized, in one atomic batch; answer with Committed. */
  record Commit(FinalizedBlock block) implements DriverCommand {
    @Override
    public boolean awaitsAnswer() {
      return true;
    }
  }

  /**
   * Verify (link to head, certificate, re-execution) and commit a block a peer finalized; answer with Imported.
   */
  record Import(FinalizedBlock block) implements DriverCommand {
    @Override
    public boolean awaitsAnswer() {
      return true;
    }
  }

  /** The import request {@code requestId} is done: {@code committed} blocks, VALID or the first refusal. */
  record ImportFinished(long requestId, int committed, Validation outcome) implements DriverCommand {}

  /** A vote or removal took effect at {@code height}: this node now takes part, or only follows. */
  record RoleChanged(long height, boolean validator) implements DriverCommand {}

  /** A validator signed two different votes for one slot. */
  record ReportEvidence(Evidence evidence) implements DriverCommand {}

  /** Untrusted input refused, for the metric and the DEBUG log. */
  record Rejected(Validation.Invalid reason) implements DriverCommand {}

  /** The finalized block of the engine was already imported (sync won the race): nothing to commit. */
  record AlreadyImported(long height, long headHeight) implements DriverCommand {}

  /** Consensus stops here (a failed persist): the node turns unhealthy and sends nothing more. */
  record Halt(String reason) implements DriverCommand {}
}
