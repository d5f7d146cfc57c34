package dev.cairn.p2p.gossip;

import dev.cairn.p2p.identity.PeerId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The gossipsub message cache (mcache): full messages of the last {@code length} heartbeat windows, to answer
 * IWANT, and the ids of the last {@code gossip} windows, to announce in IHAVE. {@link #shift} starts a new
 * window and forgets the oldest. It also counts how often each message was sent to each peer in answer to
 * IWANT, so a peer cannot make us resend one message without limit. Bounded in bytes as well as in time: a
 * burst of large messages within the windows evicts the oldest messages first (they can then no longer be
 * served by IWANT, which gossip tolerates).
 */
final class MessageCache {
  private final int length;
  private final int gossip;
  private final long bytesMax;
  private long bytes;
  private final ArrayDeque<List<Entry>> windows = new ArrayDeque<>();
  private final Map<MessageId, Entry> byId = new HashMap<>();

  private static final class Entry {
    final MessageId id;
    final PubsubMessage message;
    final Map<PeerId, Integer> iwantServed = new HashMap<>(2);
    final int bytes;

    Entry(MessageId id, PubsubMessage message) {
      this.id = id;
      this.message = message;
      this.bytes = message.data().size() + id.bytes().size() + message.topic().length();
    }
  }

  MessageCache(int length, int gossip, long bytesMax) {
    if (gossip < 1 || gossip > length) {
      throw new IllegalArgumentException("need 1 <= gossip <= length: " + gossip + ", " + length);
    }
    if (bytesMax < 1) {
      throw new IllegalArgumentException("bytesMax must be positive");
    }
    this.length = length;
    this.gossip = gossip;
    this.bytesMax = bytesMax;
    windows.addFirst(new ArrayList<>());
  }

  void put(MessageId id, PubsubMessage message) {
    if (byId.containsKey(id)) {
      return;
    }
    Entry entry = new Entry(id, message);
    byId.put(id, entry);
    windows.peekFirst().add(entry);
    bytes += entry.bytes;
    evictOldestBeyondBytes();
  }

  /** Drops the oldest entries (oldest window first, then oldest within it) until the cache fits its bytes. */
  private void evictOldestBeyondBytes() {
    java.util.Iterator<List<Entry>> oldestFirst = windows.descendingIterator();
    while (bytes > bytesMax && oldestFirst.hasNext()) {
      java.util.Iterator<Entry> entries = oldestFirst.next().iterator();
      while (bytes > bytesMax && entries.hasNext()) {
        Entry e = entries.next();
        entries.remove();
        byId.remove(e.id);
        bytes -= e.bytes;
      }
    }
  }

  long bytes() {
    return bytes;
  }

  boolean contains(MessageId id) {
    return byId.containsKey(id);
  }

  int size() {
    return byId.size();
  }

  /**
   * The message for an IWANT from {@code peer}, or null if it left the cache or was already served to this
   * peer {@code retransmissionMax} times.
   */
  PubsubMessage getForPeer(MessageId id, PeerId peer, int retransmissionMax) {
    Entry entry = byId.get(id);
    if (entry == null) {
      return null;
    }
    int served = entry.iwantServed.merge(peer, 1, Integer::sum);
    return served > retransmissionMax ? null : entry.message;
  }

  /** Ids of the topic's messages in the most recent {@code gossip} windows, newest first. */
  List<MessageId> gossipIds(String topic) {
    Set<MessageId> ids = new LinkedHashSet<>();
    int window = 0;
    for (List<Entry> entries : windows) {
      if (window++ == gossip) {
        break;
      }
      for (Entry e : entries) {
        if (e.message.topic().equals(topic)) {
          ids.add(e.id);
        }
      }
    }
    return new ArrayList<>(ids);
  }

  void shift() {
    windows.addFirst(new ArrayList<>());
    while (windows.size() > length) {
      for (Entry e : windows.removeLast()) {
        byId.remove(e.id);
        bytes -= e.bytes;
      }
    }
  }
}
