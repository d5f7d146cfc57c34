package dev.cairn.p2p;

/**
 * Every limit of the libp2p stack, named with its unit last. Defaults match what js-libp2p expects of a peer
 * (window sizes, stream counts) and what Cairn's validator networks need (tens of peers, MiB-sized blocks).
 *
 * @param handshakeTimeoutMillis whole connection upgrade: security mss, Noise XX, muxer mss (js allows 10 s)
 * @param streamNegotiationTimeoutMillis multistream-select on a new stream
 * @param mssProposalsMax proposals a listener answers with {@code na} before it gives up on a stream
 * @param yamuxWindowBytes initial (and steady) per-stream receive window; the spec fixes the initial at 256 KiB
 * @param yamuxSendWindowBytesMax the largest send window a peer may grant us with WindowUpdates
 * @param yamuxInboundStreamsMax concurrently open streams the remote may open on one connection
 * @param yamuxOutboundStreamsMax concurrently open streams we open on one connection
 * @param yamuxPingIntervalMillis keep-alive ping period on an idle session
 * @param streamWriteQueueBytesMax bytes a stream buffers for sending before {@code write} refuses more
 * @param connectionsMax authenticated connections (an allow-listed peer on the other end), inbound and outbound
 *     together; connections still handshaking count against {@code admission} instead
 * @param identifyMessageBytesMax largest Identify protobuf accepted
 * @param identifyTimeoutMillis time for the remote to answer identify
 * @param pingIntervalMillis period of the /ipfs/ping probe that measures each peer's latency
 * @param pingTimeoutMillis a ping not answered in this time counts as failed
 * @param admission the budgets of connections not yet authenticated (handshake slots, accept rates, dials)
 * @param outboundBacklogBytesMax unsent bytes a connection may hold before a control frame it must answer
 *     (ping, stream open, reset) closes it instead: a peer that never reads is disconnected; data frames stop
 *     at the socket's high-water mark (2 MiB) long before
 */
public record P2pConfig(
    long handshakeTimeoutMillis,
    long streamNegotiationTimeoutMillis,
    int mssProposalsMax,
    int yamuxWindowBytes,
    long yamuxSendWindowBytesMax,
    int yamuxInboundStreamsMax,
    int yamuxOutboundStreamsMax,
    long yamuxPingIntervalMillis,
    int streamWriteQueueBytesMax,
    int connectionsMax,
    int identifyMessageBytesMax,
    long identifyTimeoutMillis,
    long pingIntervalMillis,
    long pingTimeoutMillis,
    AdmissionLimits admission,
    long outboundBacklogBytesMax) {

  /** Yamux fixes the initial stream window at 256 KiB; a smaller receive window would break the peer. */
  public static final int YAMUX_INITIAL_WINDOW_BYTES = 256 * 1024;
  /** Above the host's 2 MiB write high-water mark plus one Data frame per stream's last write. */
  public static final long OUTBOUND_BACKLOG_BYTES_MIN = 4L * 1024 * 1024;
  public static final long OUTBOUND_BACKLOG_BYTES_DEFAULT = 8L * 1024 * 1024;

  public P2pConfig {
    positive("handshakeTimeoutMillis", handshakeTimeoutMillis);
    positive("streamNegotiationTimeoutMillis", streamNegotiationTimeoutMillis);
    positive("mssProposalsMax", mssProposalsMax);
    if (yamuxWindowBytes < YAMUX_INITIAL_WINDOW_BYTES || yamuxWindowBytes > 16 * 1024 * 1024) {
      throw new IllegalArgumentException("yamuxWindowBytes must be within [256 KiB, 16 MiB]: " + yamuxWindowBytes);
    }
    if (yamuxSendWindowBytesMax < YAMUX_INITIAL_WINDOW_BYTES || yamuxSendWindowBytesMax > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("yamuxSendWindowBytesMax out of range: " + yamuxSendWindowBytesMax);
    }
    positive("yamuxInboundStreamsMax", yamuxInboundStreamsMax);
    positive("yamuxOutboundStreamsMax", yamuxOutboundStreamsMax);
    positive("yamuxPingIntervalMillis", yamuxPingIntervalMillis);
    positive("streamWriteQueueBytesMax", streamWriteQueueBytesMax);
    positive("connectionsMax", connectionsMax);
    positive("identifyMessageBytesMax", identifyMessageBytesMax);
    positive("identifyTimeoutMillis", identifyTimeoutMillis);
    positive("pingIntervalMillis", pingIntervalMillis);
    positive("pingTimeoutMillis", pingTimeoutMillis);
    java.util.Objects.requireNonNull(admission, "admission");
    if (outboundBacklogBytesMax < OUTBOUND_BACKLOG_BYTES_MIN) {
      throw new IllegalArgumentException("outboundBacklogBytesMax must be at least " + OUTBOUND_BACKLOG_BYTES_MIN
          + " (above the socket's 2 MiB high-water mark): " + outboundBacklogBytesMax);
    }
  }

  /** With the default admission budgets. */
  public P2pConfig(long handshakeTimeoutMillis, long streamNegotiationTimeoutMillis, int mssProposalsMax,
      int yamuxWindowBytes, long yamuxSendWindowBytesMax, int yamuxInboundStreamsMax, int yamuxOutboundStreamsMax,
      long yamuxPingIntervalMillis, int streamWriteQueueBytesMax, int connectionsMax, int identifyMessageBytesMax,
      long identifyTimeoutMillis, long pingIntervalMillis, long pingTimeoutMillis) {
    this(handshakeTimeoutMillis, streamNegotiationTimeoutMillis, mssProposalsMax, yamuxWindowBytes,
        yamuxSendWindowBytesMax, yamuxInboundStreamsMax, yamuxOutboundStreamsMax, yamuxPingIntervalMillis,
        streamWriteQueueBytesMax, connectionsMax, identifyMessageBytesMax, identifyTimeoutMillis, pingIntervalMillis,
        pingTimeoutMillis, AdmissionLimits.defaults(), OUTBOUND_BACKLOG_BYTES_DEFAULT);
  }

  /** This config with other admission budgets. */
  public P2pConfig withAdmission(AdmissionLimits limits) {
    return new P2pConfig(handshakeTimeoutMillis, streamNegotiationTimeoutMillis, mssProposalsMax, yamuxWindowBytes,
        yamuxSendWindowBytesMax, yamuxInboundStreamsMax, yamuxOutboundStreamsMax, yamuxPingIntervalMillis,
        streamWriteQueueBytesMax, connectionsMax, identifyMessageBytesMax, identifyTimeoutMillis, pingIntervalMillis,
        pingTimeoutMillis, limits, outboundBacklogBytesMax);
  }

  /** This config with another bound on a connection's unsent bytes. */
  public P2pConfig withOutboundBacklogBytesMax(long bytes) {
    return new P2pConfig(handshakeTimeoutMillis, streamNegotiationTimeoutMillis, mssProposalsMax, yamuxWindowBytes,
        yamuxSendWindowBytesMax, yamuxInboundStreamsMax, yamuxOutboundStreamsMax, yamuxPingIntervalMillis,
        streamWriteQueueBytesMax, connectionsMax, identifyMessageBytesMax, identifyTimeoutMillis, pingIntervalMillis,
        pingTimeoutMillis, admission, bytes);
  }

  /** This config with another limit on authenticated connections. */
  public P2pConfig withConnectionsMax(int connections) {
    return new P2pConfig(handshakeTimeoutMillis, streamNegotiationTimeoutMillis, mssProposalsMax, yamuxWindowBytes,
        yamuxSendWindowBytesMax, yamuxInboundStreamsMax, yamuxOutboundStreamsMax, yamuxPingIntervalMillis,
        streamWriteQueueBytesMax, connections, identifyMessageBytesMax, identifyTimeoutMillis, pingIntervalMillis,
        pingTimeoutMillis, admission, outboundBacklogBytesMax);
  }

  public static P2pConfig defaults() {
    return new P2pConfig(10_000, 10_000, 8, YAMUX_INITIAL_WINDOW_BYTES, 16L * 1024 * 1024, 256, 256, 30_000,
        8 * 1024 * 1024, 128, 8 * 1024, 5_000, 15_000, 5_000);
  }

  private static void positive(String name, long v) {
    if (v <= 0) throw new IllegalArgumentException(name + " must be positive: " + v);
  }
}
