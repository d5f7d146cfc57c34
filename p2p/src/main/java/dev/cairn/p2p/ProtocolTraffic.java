package dev.cairn.p2p;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Application bytes carried by streams since start, per negotiated protocol and direction (Yamux payloads
 * after multistream-select; Noise and Yamux framing not counted). For metrics and tests. Counting is a map
 * lookup and a {@link LongAdder} add per Data frame on the connection's event loop; a protocol ID is only
 * ever one this host agreed to speak, and past {@link #PROTOCOLS_MAX} of them the rest count as
 * {@link #OTHER}.
 */
public final class ProtocolTraffic {
  public static final int PROTOCOLS_MAX = 64;
  public static final String OTHER = "other";

  /** Bytes received and sent on one protocol's streams. */
  public record Bytes(long received, long sent) {}

  private static final class Counters {
    final LongAdder received = new LongAdder();
    final LongAdder sent = new LongAdder();
  }

  private final Map<String, Counters> byProtocol = new ConcurrentHashMap<>();

  public void received(String protocol, int bytes) {
    counters(protocol).received.add(bytes);
  }

  public void sent(String protocol, int bytes) {
    counters(protocol).sent.add(bytes);
  }

  private Counters counters(String protocol) {
    Counters counters = byProtocol.get(protocol);
    if (counters != null) {
      return counters;
    }
    String key = byProtocol.size() >= PROTOCOLS_MAX ? OTHER : protocol;
    return byProtocol.computeIfAbsent(key, k -> new Counters());
  }

  /** Totals so far by protocol ID, sorted. */
  public Map<String, Bytes> snapshot() {
    Map<String, Bytes> out = new TreeMap<>();
    byProtocol.forEach((protocol, c) -> out.put(protocol, new Bytes(c.received.sum(), c.sent.sum())));
    return out;
  }
}
