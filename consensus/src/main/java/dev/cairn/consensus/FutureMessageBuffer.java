package dev.cairn.consensus;

import dev.cairn.consensus.message.ConsensusMessage;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.model.Validation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Messages for heights just above ours, replayed when we reach their height (a peer that finalized first
 * already votes on the next height). Deduplicated by {@link dev.cairn.consensus.message.MessageIdentity}, so
 * replayed copies take no room and cost no second signature check ({@link #contains} is asked first), and
 * bounded per author both in messages and in encoded bytes: the engine admits only authors of the current
 * validator set with a valid signature, so the whole buffer holds at most n * perSenderBytesMax bytes, and
 * only an author's own distinct messages can fill its share.
 */
final class FutureMessageBuffer {
  private record Entry(ConsensusMessage message, int bytes) {}

  private record Usage(int messages, long bytes) {}

  private final int perSenderMax;
  private final long perSenderBytesMax;
  private final LinkedHashMap<Hash, Entry> messages = new LinkedHashMap<>();
  private final Map<PublicKey, Usage> usageBySender = new HashMap<>();

  FutureMessageBuffer(int perSenderMax, long perSenderBytesMax) {
    this.perSenderMax = perSenderMax;
    this.perSenderBytesMax = perSenderBytesMax;
  }

  boolean contains(Hash identity) {
    return messages.containsKey(identity);
  }

  /** Buffers a validated message of {@code encodedBytes} whose identity is {@code identity}. */
  Validation offer(ConsensusMessage message, Hash identity, int encodedBytes) {
    if (messages.containsKey(identity)) {
      return Validation.VALID;
    }
    Usage usage = usageBySender.getOrDefault(message.author(), new Usage(0, 0));
    if (usage.messages() >= perSenderMax) {
      return Validation.invalid("future_buffer_full", "already " + usage.messages() + " future messages from " + message.author());
    }
    if (usage.bytes() + encodedBytes > perSenderBytesMax) {
      return Validation.invalid("future_buffer_bytes_full",
          "already " + usage.bytes() + " future bytes from " + message.author() + ", limit " + perSenderBytesMax);
    }
    usageBySender.put(message.author(), new Usage(usage.messages() + 1, usage.bytes() + encodedBytes));
    messages.put(identity, new Entry(message, encodedBytes));
    return Validation.VALID;
  }

  /** Removes every message at or below {@code height}; returns those at exactly {@code height}, in arrival order. */
  List<ConsensusMessage> drain(long height) {
    List<ConsensusMessage> ready = new ArrayList<>();
    Iterator<Entry> it = messages.values().iterator();
    while (it.hasNext()) {
      Entry entry = it.next();
      ConsensusMessage message = entry.message();
      if (message.height() <= height) {
        it.remove();
        usageBySender.computeIfPresent(message.author(), (author, usage) ->
            usage.messages() <= 1 ? null : new Usage(usage.messages() - 1, usage.bytes() - entry.bytes()));
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

  long bytes() {
    long total = 0;
    for (Usage usage : usageBySender.values()) {
      total += usage.bytes();
    }
    return total;
  }
}
