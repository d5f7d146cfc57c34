package dev.cairn.network;

import dev.cairn.consensus.Preverified;
import dev.cairn.p2p.gossip.PubsubMessage;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Consensus messages the topic validator decoded and checked, kept from its ACCEPT until the gossip router
 * delivers the very same message (the same object) to the topic's subscriber a moment later, so the consensus
 * thread gets the decoded message instead of decoding it again. Bounded in entries and in wire bytes: beyond
 * either the oldest entry goes, and a message whose entry is gone (or never delivered, as after an
 * unsubscribe) costs only the decoding it always cost. Thread-safe.
 */
final class CheckedHandoff {
  /** A checked message and its size on the wire (the inner message's, as the inbox counts it). */
  record Checked(Preverified message, int bytes) {}

  /** The message object itself is the key: a copy with the same bytes is another delivery. */
  private static final class Key {
    private final PubsubMessage message;

    Key(PubsubMessage message) {
      this.message = message;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Key key && key.message == message;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(message);
    }
  }

  private final int entriesMax;
  private final long bytesMax;
  private final LinkedHashMap<Key, Checked> entries = new LinkedHashMap<>();
  private long bytes;

  CheckedHandoff(int entriesMax, long bytesMax) {
    if (entriesMax < 1 || bytesMax < 1) {
      throw new IllegalArgumentException("need entriesMax >= 1 and bytesMax >= 1");
    }
    this.entriesMax = entriesMax;
    this.bytesMax = bytesMax;
  }

  synchronized void put(PubsubMessage message, Checked checked) {
    Checked replaced = entries.put(new Key(message), checked);
    if (replaced != null) {
      bytes -= replaced.bytes();
    }
    bytes += checked.bytes();
    Iterator<Map.Entry<Key, Checked>> oldest = entries.entrySet().iterator();
    while ((entries.size() > entriesMax || bytes > bytesMax) && oldest.hasNext()) {
      bytes -= oldest.next().getValue().bytes();
      oldest.remove();
    }
  }

  synchronized Optional<Checked> take(PubsubMessage message) {
    Checked checked = entries.remove(new Key(message));
    if (checked != null) {
      bytes -= checked.bytes();
    }
    return Optional.ofNullable(checked);
  }

  synchronized int size() {
    return entries.size();
  }

  synchronized long bytes() {
    return bytes;
  }
}
