package dev.cairn.consensus;

import dev.cairn.consensus.message.ConsensusMessage;
import dev.cairn.consensus.message.PreparedCertificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a validator must have on disk before it sends anything: every message it signed at {@code height}
 * and its lock (highest prepared certificate). An engine restored from it re-uses these messages instead of
 * signing new ones, so it can never sign two conflicting messages for one (height, round). Older heights
 * need nothing: they are final.
 */
public record PersistedState(long height, List<ConsensusMessage> ownMessages, Optional<PreparedCertificate> lock) {
  public PersistedState {
    ownMessages = List.copyOf(ownMessages);
    Objects.requireNonNull(lock, "lock");
    for (ConsensusMessage message : ownMessages) {
      if (message.height() != height) {
        throw new IllegalArgumentException("own message at height " + message.height() + " in state of " + height);
      }
    }
  }
}
