package dev.cairn.consensus;

import dev.cairn.consensus.message.ConsensusMessage;
import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.model.Block;
import dev.cairn.ledger.model.BlockHeader;
import dev.cairn.ledger.model.Validation;
import dev.cairn.ledger.model.ValidatorSet;
import java.util.Objects;

/** Everything that can happen to the engine. The engine reacts to one input at a time. */
public sealed interface Input {
  /** A new height starts on top of {@code parent} (just finalized, or the head after a restart or sync). */
  record NewHeight(BlockHeader parent, ValidatorSet validators) implements Input {
    public NewHeight {
      Objects.requireNonNull(parent, "parent");
      Objects.requireNonNull(validators, "validators");
    }
  }

  /** A decoded message from a peer (or from the wire, see {@link MessageBytesReceived}). */
  record MessageReceived(ConsensusMessage message) implements Input {
    public MessageReceived {
      Objects.requireNonNull(message, "message");
    }
  }

  /**
   * A decoded message from a peer that the gossip relay already checked ({@link Preverified}): the engine
   * repeats only the checks that depend on its own round, if it owns the validator that checked it and is at
   * the same context; else it checks the message in full, as {@link MessageReceived}.
   */
  record PreverifiedReceived(Preverified preverified) implements Input {
    public PreverifiedReceived {
      Objects.requireNonNull(preverified, "preverified");
    }
  }

  /** Undecoded bytes from a peer; decoding failures come back as a rejection in the effects. */
  record MessageBytesReceived(Bytes bytes) implements Input {
    public MessageBytesReceived {
      Objects.requireNonNull(bytes, "bytes");
    }
  }

  /** A timer the engine asked for expired: the request as the engine issued it. */
  record TimerFired(Effects.TimerRequest timer) implements Input {
    public TimerFired {
      Objects.requireNonNull(timer, "timer");
    }
  }

  /** The block the engine asked for with a BuildBlock effect. */
  record CandidateReady(Block block) implements Input {
    public CandidateReady {
      Objects.requireNonNull(block, "block");
    }
  }

  /** The caller executed the block of a ValidateBlock effect against the parent state. */
  record BlockValidated(Hash blockHash, Validation result) implements Input {
    public BlockValidated {
      Objects.requireNonNull(blockHash, "blockHash");
      Objects.requireNonNull(result, "result");
    }
  }
}
