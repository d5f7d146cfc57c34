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
 * thread gets the decoded message instead of decoding it again. Bounded in entries and in bytes (each decoded message counted at
 * {@link Preverified#HEAP_BYTES_PER_WIRE_BYTE} times its wire size, a bound on its heap): beyond
 * either the oldest entry goes, and a message whose entry is gone (or never delivered, as after an
 * unsubscribe) costs only the decoding it always cost. Thread-safe.
 */
final class CheckedHandoff {
  /** A checked message and its size on the wire (the inner message's, as the inbox counts it). */
  record Checked(Preverified message, int bytes) {
    /** What it is counted at against the handoff's byte bound: the heap of the decoded form, not its wire bytes. */
    long heapBytes() {
      return (long) bytes * Preverified.HEAP_BYTES_PER_WIRE_BYTE;
    }
  }

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
      bytes -= replaced.heapBytes();
    }
    bytes += checked.heapBytes();
    Iterator<Map.Entry<Key, Checked>> oldest = entries.entrySet().iterator();
    while ((entries.size() > entriesMax || bytes > bytesMax) && oldest.hasNext()) {
      bytes -= oldest.next().getValue().heapBytes();
      oldest.remove();
    }
  }

  synchronized Optional<Checked> take(PubsubMessage message) {
    Checked checked = entries.remove(new Key(message));
    if (checked != null) {
      bytes -= checked.heapBytes();
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
