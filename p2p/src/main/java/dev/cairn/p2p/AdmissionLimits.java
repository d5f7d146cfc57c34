package dev.cairn.p2p;

/**
 * How many TCP connections a host takes on before they are authenticated, and how fast. An inbound connection
 * holds a handshake slot from accept until Noise names an allow-listed peer and Yamux is up; only then does it
 * take one of {@link P2pConfig#connectionsMax()}. Outsiders therefore compete for the handshake budget only,
 * never for the slots of authenticated peers, and our own dials have a budget of their own.
 *
 * @param handshakesInboundMax inbound connections handshaking at once, from addresses no allow-listed peer used
 * @param handshakesInboundPerIpMax inbound connections handshaking at once from one IP address
 * @param handshakesKnownPeersReserved further inbound handshake slots kept for addresses an allow-listed peer
 *     has connected from before (in either direction): a flood from elsewhere cannot take them
 * @param dialsOutboundMax our own outbound dials still handshaking
 * @param acceptsPerSecondMax inbound connections accepted per second from addresses no allow-listed peer used
 * @param acceptsPerIpPerSecondMax inbound connections accepted per second from one IP address (the burst allowed
 *     is the same number)
 * @param ipsTrackedMax IP addresses whose handshakes and accept rates are tracked at once; a new address
 *     beyond it is refused until older entries are idle
 * @param refusalLogIntervalMillis refused connections are logged as one summary line per interval
 */
public record AdmissionLimits(
    int handshakesInboundMax,
    int handshakesInboundPerIpMax,
    int handshakesKnownPeersReserved,
    int dialsOutboundMax,
    int acceptsPerSecondMax,
    int acceptsPerIpPerSecondMax,
    int ipsTrackedMax,
    long refusalLogIntervalMillis) {

  public AdmissionLimits {
    positive("handshakesInboundMax", handshakesInboundMax);
    positive("handshakesInboundPerIpMax", handshakesInboundPerIpMax);
    if (handshakesInboundPerIpMax > handshakesInboundMax) {
      throw new IllegalArgumentException("handshakesInboundPerIpMax (" + handshakesInboundPerIpMax
          + ") must not exceed handshakesInboundMax (" + handshakesInboundMax + ")");
    }
    positive("handshakesKnownPeersReserved", handshakesKnownPeersReserved);
    positive("dialsOutboundMax", dialsOutboundMax);
    positive("acceptsPerSecondMax", acceptsPerSecondMax);
    positive("acceptsPerIpPerSecondMax", acceptsPerIpPerSecondMax);
    if (acceptsPerIpPerSecondMax > acceptsPerSecondMax) {
      throw new IllegalArgumentException("acceptsPerIpPerSecondMax (" + acceptsPerIpPerSecondMax
          + ") must not exceed acceptsPerSecondMax (" + acceptsPerSecondMax + ")");
    }
    positive("ipsTrackedMax", ipsTrackedMax);
    positive("refusalLogIntervalMillis", refusalLogIntervalMillis);
  }

  public static AdmissionLimits defaults() {
    return new AdmissionLimits(32, 4, 16, 64, 100, 10, 4_096, 10_000);
  }

  private static void positive(String name, long v) {
    if (v <= 0) throw new IllegalArgumentException(name + " must be positive: " + v);
  }
}
