package dev.cairn.p2p.host;

import dev.cairn.p2p.AdmissionLimits;
import java.net.InetAddress;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who gets a TCP connection before authentication: the budgets of {@link AdmissionLimits}. Every connection
 * takes a {@link Ticket} when its channel opens and gives it back when it closes; in between the ticket moves
 * from a handshake slot to one of the authenticated peers' slots ({@code connectionsMax}) once Noise named an
 * allow-listed peer. Refusals and abandoned handshakes are counted, never logged one by one: the host logs
 * {@link #drainSummary} once per interval. Thread-safe (event loops of every connection call in).
 */
final class ConnectionAdmission {
  /** Why a connection was refused; the name in logs is the lower-case constant. */
  enum Refusal {
    STOPPED, ACCEPT_RATE, ACCEPT_RATE_IP, HANDSHAKES, HANDSHAKES_IP, IPS_TRACKED, DIALS, CONNECTIONS, NOT_ALLOWED,
    BINDING_MALFORMED, BINDING_OTHER_CHAIN, BINDING_OTHER_PEER, BINDING_BAD_SIGNATURE, BINDING_NOT_ALLOWED, NODE_KEY_IDENTITY;

    static Refusal of(ConnectionGater.Refusal gater) {
      return valueOf(gater.name());
    }
  }

  private enum Pool { KNOWN, GENERAL, OUTBOUND }

  private enum State { HANDSHAKING, ESTABLISHED, CLOSED }

  /** IP addresses of allow-listed peers seen authenticated; bounded, least recently seen dropped first. */
  static final int KNOWN_IPS_MAX = 1_024;
  /** Addresses named in one interval's refusal counts; further ones count under the totals only. */
  private static final int REFUSED_IPS_TRACKED_MAX = 1_024;

  private final AdmissionLimits limits;
  private final int connectionsMax;
  private final Map<InetAddress, IpState> ips = new HashMap<>();
  private final LinkedHashMap<InetAddress, Boolean> knownIps = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<InetAddress, Boolean> eldest) {
      return size() > KNOWN_IPS_MAX;
    }
  };
  private final EnumMap<Refusal, Long> refused = new EnumMap<>(Refusal.class);
  /** Since start, never drained: for metrics and tests. */
  private final EnumMap<Refusal, Long> refusedTotal = new EnumMap<>(Refusal.class);
  private final Map<InetAddress, Long> refusedByIp = new HashMap<>();
  private double globalTokens;
  private long globalRefillNanos;
  private int knownHandshakes;
  private int generalHandshakes;
  private int outboundDials;
  private int established;
  private long handshakesAbandoned;
  private String notAllowedLastPeer;
  /** Why the gater refused {@link #notAllowedLastPeer}, when it was a binding that does not hold; else null. */
  private String notAllowedLastReason;

  ConnectionAdmission(AdmissionLimits limits, int connectionsMax, long nowNanos) {
    this.limits = limits;
    this.connectionsMax = connectionsMax;
    this.globalTokens = limits.acceptsPerSecondMax();
    this.globalRefillNanos = nowNanos;
  }

  /** A ticket for an accepted inbound connection from {@code ip}, or null when refused (counted). */
  synchronized Ticket admitInbound(InetAddress ip, long nowNanos) {
    IpState s = ips.get(ip);
    if (s == null) {
      if (ips.size() >= limits.ipsTrackedMax()) sweepIdle(nowNanos);
      if (ips.size() >= limits.ipsTrackedMax()) return refuse(Refusal.IPS_TRACKED, ip);
      s = new IpState(limits.acceptsPerIpPerSecondMax(), nowNanos);
      ips.put(ip, s);
    }
    s.refill(nowNanos, limits.acceptsPerIpPerSecondMax());
    if (s.tokens < 1) return refuse(Refusal.ACCEPT_RATE_IP, ip);
    Pool pool;
    if (knownIps.containsKey(ip) && knownHandshakes < limits.handshakesKnownPeersReserved()) {
      pool = Pool.KNOWN;
      knownHandshakes++;
    } else {
      if (s.handshakes >= limits.handshakesInboundPerIpMax()) return refuse(Refusal.HANDSHAKES_IP, ip);
      refillGlobal(nowNanos);
      if (globalTokens < 1) return refuse(Refusal.ACCEPT_RATE, ip);
      if (generalHandshakes >= limits.handshakesInboundMax()) return refuse(Refusal.HANDSHAKES, ip);
      globalTokens -= 1;
      pool = Pool.GENERAL;
      generalHandshakes++;
    }
    s.tokens -= 1;
    s.handshakes++;
    return new Ticket(ip, pool);
  }

  /** A ticket for one of our own dials to {@code ip}, or null when too many dials are under way. */
  synchronized Ticket admitOutbound(InetAddress ip) {
    if (outboundDials >= limits.dialsOutboundMax()) return refuse(Refusal.DIALS, ip);
    outboundDials++;
    return new Ticket(ip, Pool.OUTBOUND);
  }

  /** Counts a connection refused before it had a ticket (host stopping). */
  synchronized void refuseStopped(InetAddress ip) {
    refuse(Refusal.STOPPED, ip);
  }

  /**
   * The interval's refusals as one {@code key=value} summary, or null when nothing was refused or abandoned;
   * the counts start again from zero.
   */
  synchronized String drainSummary(long intervalMillis) {
    long total = 0;
    for (long n : refused.values()) total += n;
    if (total == 0 && handshakesAbandoned == 0) return null;
    StringBuilder line = new StringBuilder("event=p2p_inbound_refused interval_ms=").append(intervalMillis)
        .append(" refused=").append(total);
    refused.forEach((reason, n) -> line.append(' ').append(reason.name().toLowerCase(java.util.Locale.ROOT)).append('=').append(n));
    line.append(" handshakes_abandoned=").append(handshakesAbandoned)
        .append(" handshakes_open=").append(knownHandshakes + generalHandshakes)
        .append(" established=").append(established);
    refusedByIp.entrySet().stream().max(Map.Entry.comparingByValue()).ifPresent(top ->
        line.append(" top_addr=").append(top.getKey().getHostAddress()).append(" top_addr_refused=").append(top.getValue()));
    if (notAllowedLastPeer != null) line.append(" not_allowed_last_peer=").append(notAllowedLastPeer);
    if (notAllowedLastReason != null) line.append(" not_allowed_last_reason=").append(notAllowedLastReason);
    notAllowedLastPeer = null;
    notAllowedLastReason = null;
    refused.clear();
    refusedByIp.clear();
    handshakesAbandoned = 0;
    return line.toString();
  }

  synchronized int handshakesOpen() {
    return knownHandshakes + generalHandshakes;
  }

  synchronized int establishedCount() {
    return established;
  }

  /** Connections refused since start, by reason (lower-case names, as in the summary line). */
  synchronized java.util.Map<String, Long> refusedTotal() {
    java.util.Map<String, Long> out = new java.util.TreeMap<>();
    refusedTotal.forEach((reason, n) -> out.put(reason.name().toLowerCase(java.util.Locale.ROOT), n));
    return out;
  }

  private Ticket refuse(Refusal reason, InetAddress ip) {
    refused.merge(reason, 1L, Long::sum);
    refusedTotal.merge(reason, 1L, Long::sum);
    if (ip != null && (refusedByIp.size() < REFUSED_IPS_TRACKED_MAX || refusedByIp.containsKey(ip))) {
      refusedByIp.merge(ip, 1L, Long::sum);
    }
    return null;
  }

  private void refillGlobal(long nowNanos) {
    double rate = limits.acceptsPerSecondMax();
    globalTokens = Math.min(rate, globalTokens + (nowNanos - globalRefillNanos) * rate / 1e9);
    globalRefillNanos = nowNanos;
  }

  /** Drops addresses with no handshake under way whose accept bucket has refilled: they hold no state worth keeping. */
  private void sweepIdle(long nowNanos) {
    for (Iterator<IpState> it = ips.values().iterator(); it.hasNext(); ) {
      IpState s = it.next();
      s.refill(nowNanos, limits.acceptsPerIpPerSecondMax());
      if (s.handshakes == 0 && s.tokens >= limits.acceptsPerIpPerSecondMax()) it.remove();
    }
  }

  private void releaseHandshake(Ticket t) {
    switch (t.pool) {
      case KNOWN -> knownHandshakes--;
      case GENERAL -> generalHandshakes--;
      case OUTBOUND -> outboundDials--;
    }
    if (t.pool != Pool.OUTBOUND) {
      IpState s = ips.get(t.ip);
      if (s != null) s.handshakes--;
    }
  }

  private static final class IpState {
    double tokens;
    long refillNanos;
    int handshakes;

    IpState(double tokens, long nowNanos) {
      this.tokens = tokens;
      this.refillNanos = nowNanos;
    }

    void refill(long nowNanos, double ratePerSecond) {
      tokens = Math.min(ratePerSecond, tokens + (nowNanos - refillNanos) * ratePerSecond / 1e9);
      refillNanos = nowNanos;
    }
  }

  /** One connection's claim on the budgets, from channel open to close. */
  final class Ticket {
    private final InetAddress ip;
    private final Pool pool;
    private State state = State.HANDSHAKING;

    private Ticket(InetAddress ip, Pool pool) {
      this.ip = ip;
      this.pool = pool;
    }

    /**
     * Noise named an allow-listed peer at {@code remote}: the handshake slot is given back, the address
     * remembered as a peer's, and one of {@code connectionsMax} taken. False (and counted) when those are all
     * in use: the caller closes the connection.
     */
    boolean authenticated(InetAddress remote) {
      synchronized (ConnectionAdmission.this) {
        if (state != State.HANDSHAKING) return false;
        releaseHandshake(this);
        if (remote != null) knownIps.put(remote, Boolean.TRUE); // an outbound dial learns it only once connected
        if (established >= connectionsMax) {
          state = State.CLOSED;
          refuse(Refusal.CONNECTIONS, ip);
          return false;
        }
        established++;
        state = State.ESTABLISHED;
        return true;
      }
    }

    /**
     * Noise named a peer the gater refuses: counted in the summary instead of a line per connection; the
     * summary names the last such peer (an operator's misconfigured observer shows up there).
     */
    void notAllowed(String peer) {
      refusedByGater(ConnectionGater.Refusal.NOT_ALLOWED, peer);
    }

    /**
     * The gater refused the peer for {@code reason} (not on the allowlist, or a binding that does not hold):
     * counted under that reason, the summary naming the last such peer and reason.
     */
    void refusedByGater(ConnectionGater.Refusal reason, String peer) {
      synchronized (ConnectionAdmission.this) {
        notAllowedLastPeer = peer;
        notAllowedLastReason = reason == ConnectionGater.Refusal.NOT_ALLOWED ? null : reason.name().toLowerCase(java.util.Locale.ROOT);
        if (state == State.HANDSHAKING) releaseHandshake(this);
        state = State.CLOSED;
        refuse(Refusal.of(reason), ip);
      }
    }

    /** The channel closed, at whatever stage; safe to call more than once. */
    void closed() {
      synchronized (ConnectionAdmission.this) {
        switch (state) {
          case HANDSHAKING -> {
            releaseHandshake(this);
            if (pool != Pool.OUTBOUND) handshakesAbandoned++;
          }
          case ESTABLISHED -> established--;
          case CLOSED -> { }
        }
        state = State.CLOSED;
      }
    }
  }
}
