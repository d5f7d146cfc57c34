package dev.cairn.consensus;

import dev.cairn.consensus.message.ConsensusMessage;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.model.Validation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;

/**
 * Messages for heights just above ours, replayed when we reach their height (a peer that finalized first
 * already votes on the next height). Bounded per author; the engine admits only authors of the current
 * validator set with a valid signature, so the whole buffer is bounded by n * perSenderMax.
 */
final class FutureMessageBuffer {
  private final int perSenderMax;
  private final LinkedList<ConsensusMessage> messages = new LinkedList<>();
  private final Map<PublicKey, Integer> countBySender = new HashMap<>();

  FutureMessageBuffer(int perSenderMax) {
    this.perSenderMax = perSenderMax;
  }

  Validation offer(ConsensusMessage message) {
    int count = countBySender.getOrDefault(message.author(), 0);
    if (count >= perSenderMax) {
      return Validation.invalid("future_buffer_full", "already " + count + " future messages from " + message.author());
    }
    countBySender.put(message.author(), count + 1);
    messages.add(message);
    return Validation.VALID;
  }

  /** Removes every message at or below {@code height}; returns those at exactly {@code height}, in arrival order. */
  List<ConsensusMessage> drain(long height) {
    List<ConsensusMessage> ready = new ArrayList<>();
    Iterator<ConsensusMessage> it = messages.iterator();
    while (it.hasNext()) {
      ConsensusMessage message = it.next();
      if (message.height() <= height) {
        it.remove();
        countBySender.merge(message.author(), -1, Integer::sum);
        if (message.height() == height) {
          ready.add(message);
        }
      }
    }
    return ready;
  }

  int size() {
    return messages.size();
  }
}
