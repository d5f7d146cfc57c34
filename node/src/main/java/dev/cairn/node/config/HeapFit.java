package dev.cairn.node.config;

import dev.cairn.consensus.ConsensusConfig;
import dev.cairn.consensus.message.MessageCodec;
import dev.cairn.p2p.gossip.GossipConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up check that the worst case of every bounded in-memory structure fits the JVM heap: each bound holds
 * by itself, but only their sum says whether a flood that fills them all at once ends in an
 * {@link OutOfMemoryError}. The sum plus a headroom for the rest of the node's working set (blocks being
 * executed, caches counted in entries, Netty's arenas) must fit {@code -Xmx}; otherwise the node refuses to
 * start with one line naming the largest configured bounds and the heap that would hold them. Pure except
 * {@link #enforce}, which throws or logs.
 *
 * <p>JSON-RPC counts the large answers (each holds a permit from before its bytes are made until they are
 * written, HTTP and WebSocket together) and the WebSocket connections' unwritten notifications. Not counted,
 * because only threads and connections bound them, not bytes: answers under {@code rpc.large-answer-bytes}
 * (one per HTTP handler thread being written, one per WebSocket connection unwritten, each for at most {@code
 * rpc.answer-write-timeout-millis}), request bodies being read and run, and the WebSocket message Jetty has
 * received and not yet handed over; docs/security.md, "rpc-large-answers", says what that leaves.
 */
public final class HeapFit {
  private static final Logger log = LoggerFactory.getLogger(HeapFit.class);
  private static final long MIB = 1L << 20;
  /** The heap beyond the counted bounds is at least this... */
  static final long HEADROOM_BYTES_MIN = 128 * MIB;
  /** ...and at least this share of the heap, in percent. */
  static final int HEADROOM_PERCENT = 25;
  /** Consensus messages waiting for the consensus thread: the votes lane, in bytes (Node.consensusInbox)... */
  static final long CONSENSUS_VOTES_LANE_BYTES = 8 * MIB;
  /** ...and the proposals lane, in the chain's largest messages. */
  static final int CONSENSUS_PROPOSALS_LANE_LARGEST = 4;

  private HeapFit() {}

  /**
   * One bounded structure.
   *
   * @param what what holds the bytes
   * @param lowerWith the config key that lowers it, or empty when it follows from the chain's block size limit
   * @param bytes its worst case
   */
  public record Bound(String what, Optional<String> lowerWith, long bytes) {}

  /**
   * The bounds of a node with {@code config} on a chain whose gossip limits are {@code gossip}, whose blocks are
   * at most {@code blockBytesMax} and which has {@code validators} validators.
   */
  public static List<Bound> bounds(NodeConfig config, GossipConfig gossip, int blockBytesMax, int validators) {
    List<Bound> out = new ArrayList<>();
    out.add(new Bound("mempool", Optional.of("mempool.bytes-max"), config.mempool().bytesMax()));
    if (config.p2p().enabled()) {
      out.add(new Bound("gossip unsent to peers", Optional.of("p2p.gossip-outbound-bytes-max"),
          config.p2p().gossipOutboundBytes(gossip)));
      out.add(new Bound("gossip received, waiting for the router", Optional.empty(), gossip.inboundQueueBytesMax()));
      out.add(new Bound("gossip message cache", Optional.empty(), gossip.mcacheBytesMax()));
      out.add(new Bound("state-sync chunks in flight", Optional.of("sync.chunk-bytes-max"),
          (long) config.sync().chunkBytesMax() * config.sync().chunkRequestsInFlightMax()));
    }
    long largest = MessageCodec.messageBytesMax(blockBytesMax);
    out.add(new Bound("consensus inbox", Optional.empty(),
        CONSENSUS_VOTES_LANE_BYTES + CONSENSUS_PROPOSALS_LANE_LARGEST * largest));
    out.add(new Bound("consensus future-message buffer", Optional.empty(),
        (long) validators * ConsensusConfig.futureBytesPerSenderMaxFor(blockBytesMax)));
    if (config.rpc().enabled()) {
      out.add(new Bound("JSON-RPC large answers", Optional.of("rpc.large-answers-max"),
          config.rpc().answerLimits().largeAnswersMax() * config.rpc().responseBytesMax()));
      out.add(new Bound("WebSocket notification queues", Optional.of("rpc.ws-queue-bytes-max"),
          (long) dev.cairn.rpc.RpcConfig.defaults().wsConnectionsMax() * config.rpc().wsQueueBytesMax()));
    }
    return List.copyOf(out);
  }

  /** The smallest heap that holds {@code boundsBytes} with the headroom. */
  public static long heapNeeded(long boundsBytes) {
    long withMinimum = boundsBytes + HEADROOM_BYTES_MIN;
    long withShare = boundsBytes * 100 / (100 - HEADROOM_PERCENT);
    return Math.max(withMinimum, withShare);
  }

  /** Empty if the bounds fit {@code heapMaxBytes} with headroom; otherwise the line that says what to change. */
  public static Optional<String> check(List<Bound> bounds, long heapMaxBytes) {
    long sum = bounds.stream().mapToLong(Bound::bytes).sum();
    long needed = heapNeeded(sum);
    if (needed <= heapMaxBytes) {
      return Optional.empty();
    }
    String lower = bounds.stream().filter(b -> b.lowerWith().isPresent())
        .sorted(Comparator.comparingLong(Bound::bytes).reversed())
        .map(b -> b.lowerWith().get() + " (" + mib(b.bytes()) + ")")
        .collect(Collectors.joining(", "));
    String largest = bounds.stream().sorted(Comparator.comparingLong(Bound::bytes).reversed())
        .map(b -> b.what() + " " + mib(b.bytes())).collect(Collectors.joining(", "));
    return Optional.of(String.format(Locale.ROOT,
        "the heap (%s usable) cannot hold the node's in-memory bounds (%s: %s) with headroom (%s needed); start the "
            + "JVM with -Xmx%dm or more (CAIRN_JAVA_OPTS), or lower %s; node.heap-check = \"warn\" starts anyway",
        mib(heapMaxBytes), mib(sum), largest, mib(needed), xmxMib(needed), lower.isEmpty() ? "nothing configurable" : lower));
  }

  /**
   * The {@code -Xmx} to suggest for a usable heap of {@code needed} bytes: the JVM reports less than -Xmx as
   * usable (one survivor space, 4% with -Xmx256m and the parallel collector), so 10% more, in 64 MiB steps.
   */
  static long xmxMib(long needed) {
    long withMargin = needed + needed / 10;
    long step = 64 * MIB;
    return (withMargin + step - 1) / step * step / MIB;
  }

  /** Refuses to start (or warns, as configured) when the bounds do not fit the heap. */
  public static void enforce(NodeConfig config, List<Bound> bounds, long heapMaxBytes) {
    Optional<String> problem = check(bounds, heapMaxBytes);
    if (problem.isEmpty()) {
      return;
    }
    if (config.heapCheck() == NodeConfig.HeapCheck.REFUSE) {
      throw new IllegalArgumentException(problem.get());
    }
    log.warn("event=heap_bounds_exceed_heap heap_check=warn detail=\"{}\"", problem.get());
  }

  private static String mib(long bytes) {
    return (bytes + MIB / 2) / MIB + " MiB";
  }
}
