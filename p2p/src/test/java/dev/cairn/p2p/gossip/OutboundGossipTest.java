package dev.cairn.p2p.gossip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.p2p.P2pStream;
import dev.cairn.p2p.identity.HostKey;
import dev.cairn.p2p.identity.PeerId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The node-wide budget of unsent gossip over many peers, with streams whose sending the test controls. */
class OutboundGossipTest {
  private static final String TX = "tx";
  private static final String BLOCKS = "blocks";
  private static final String CONSENSUS = "consensus";
  private static final long BUDGET = 1 << 20;
  /** Per peer: half the budget, so that a handful of peers alone could pass it without the node-wide bound. */
  private static final long PEER_BYTES_MAX = BUDGET / 2;
  private static final GossipOutbound LIMITS = new GossipOutbound(BUDGET,
      Map.of(TX, OutboundPriority.LOW, BLOCKS, OutboundPriority.MEDIUM, CONSENSUS, OutboundPriority.HIGH));

  /** An outbound stream that queues without limit until the test lets it send ({@link #send}) or resets it. */
  private static final class HeldStream implements P2pStream {
    private final PeerId peer;
    long queued;
    long written;
    boolean reset;

    HeldStream(PeerId peer) {
      this.peer = peer;
    }

    /** The connection takes up to {@code bytes} of what is queued. */
    void send(long bytes) {
      long n = Math.min(bytes, queued);
      queued -= n;
      written += n;
    }

    @Override
    public PeerId remotePeer() {
      return peer;
    }

    @Override
    public String protocol() {
      return GossipConfig.PROTOCOL_ID;
    }

    @Override
    public boolean outbound() {
      return true;
    }

    @Override
    public WriteResult write(byte[] bytes) {
      if (reset) {
        return WriteResult.CLOSED;
      }
      queued += bytes.length;
      return WriteResult.QUEUED;
    }

    @Override
    public long queuedBytes() {
      return queued;
    }

    @Override
    public void closeWrite() {}

    @Override
    public void reset() {
      reset = true;
      queued = 0; // a reset stream discards what it had not sent
    }
  }

  private final Map<PeerId, PeerStreams> peers = new ConcurrentHashMap<>();
  private final Map<PeerId, HeldStream> streams = new LinkedHashMap<>();
  private final OutboundGossip outbound = new OutboundGossip(LIMITS, peers, 1_024, PEER_BYTES_MAX);

  private void connect(int count) {
    for (int i = 0; i < count; i++) {
      byte[] seed = new byte[32];
      seed[0] = (byte) i;
      seed[1] = (byte) (i >> 8);
      PeerId peer = HostKey.fromSeed(seed).peerId();
      PeerStreams ps = outbound.newPeer();
      peers.put(peer, ps);
      HeldStream s = new HeldStream(peer);
      assertThat(ps.startOpening()).isTrue();
      assertThat(ps.opened(s)).isTrue();
      streams.put(peer, s);
    }
  }

  private long queuedOnStreams() {
    return streams.values().stream().mapToLong(HeldStream::queuedBytes).sum();
  }

  @ParameterizedTest(name = "{0} peers")
  @ValueSource(ints = {1, 4, 32, 256})
  void unsentGossipNeverPassesTheBudgetWhateverThePeerCount(int peerCount) {
    connect(peerCount);
    SplittableRandom random = new SplittableRandom(peerCount);
    String[] topics = {TX, TX, TX, BLOCKS, CONSENSUS};
    List<PeerId> ids = new ArrayList<>(streams.keySet());
    int sent = 0;
    for (int step = 0; step < 20_000; step++) {
      PeerId to = ids.get(random.nextInt(peerCount));
      if (random.nextInt(8) == 0) {
        streams.get(to).send(random.nextInt(64 * 1024)); // the connection drains a little, now and then
      }
      PeerStreams.Sent s = outbound.sendMessages(to, new byte[1 + random.nextInt(32 * 1024)], topics[random.nextInt(5)], 1);
      if (s == PeerStreams.Sent.SENT) sent++;
      assertThat(outbound.unsentBytes()).as("budget charged, step %d", step).isLessThanOrEqualTo(BUDGET);
      assertThat(queuedOnStreams()).as("bytes really queued, step %d", step).isLessThanOrEqualTo(outbound.unsentBytes());
    }
    assertThat(sent).as("frames went out while the connections drained").isGreaterThan(100);
    if (peerCount * PEER_BYTES_MAX > BUDGET) {
      assertThat(outbound.droppedByTopic().getOrDefault(TX, 0L)).as("the flood met the node-wide bound").isPositive();
    }
  }

  @Test
  void votesStillGoToEveryPeerWhenATransactionFloodAndBlocksFillTheBudget() {
    connect(64);
    byte[] txBatch = new byte[16 * 1024];
    for (int round = 0; round < 10; round++) {
      for (PeerId peer : streams.keySet()) outbound.sendMessages(peer, txBatch, TX, 100);
    }
    assertThat(outbound.unsentBytes()).as("transactions stop at half the budget")
        .isLessThanOrEqualTo(OutboundPriority.LOW.ceiling(BUDGET)).isGreaterThan(BUDGET / 2 - txBatch.length);
    long txDropped = outbound.dropped(TX);
    assertThat(txDropped).as("counted in messages, not frames").isPositive().isEqualTo(100L * (txDropped / 100));

    int blocksSent = 0;
    for (PeerId peer : streams.keySet()) {
      if (outbound.sendMessages(peer, new byte[16 * 1024], BLOCKS, 1) == PeerStreams.Sent.SENT) blocksSent++;
    }
    assertThat(blocksSent).as("blocks still had their quarter above the transactions").isPositive();
    assertThat(outbound.dropped(BLOCKS)).as("then blocks are dropped").isPositive();
    assertThat(outbound.sendMessages(streams.keySet().iterator().next(), txBatch, TX, 1))
        .as("and transactions still").isEqualTo(PeerStreams.Sent.BUDGET_FULL);

    for (PeerId peer : streams.keySet()) {
      assertThat(outbound.sendMessages(peer, new byte[512], CONSENSUS, 1)).as("a vote to %s", peer)
          .isEqualTo(PeerStreams.Sent.SENT);
      assertThat(outbound.sendControl(peer, new byte[64])).as("control to %s", peer).isEqualTo(PeerStreams.Sent.SENT);
    }
    assertThat(outbound.dropped(CONSENSUS)).isZero();
    assertThat(outbound.dropped(OutboundGossip.CONTROL)).isZero();
    assertThat(outbound.unsentBytes()).isLessThanOrEqualTo(BUDGET);
  }

  @Test
  void theBudgetComesBackAsStreamsSendAndWhenPeersLeave() {
    connect(16);
    for (PeerId peer : streams.keySet()) {
      for (int i = 0; i < 8; i++) outbound.sendMessages(peer, new byte[8 * 1024], CONSENSUS, 1);
    }
    assertThat(outbound.unsentBytes()).isEqualTo(16L * 8 * 8 * 1024);

    streams.values().forEach(s -> s.send(s.queued / 2));
    assertThat(outbound.unsentBytes()).as("released lazily, not yet").isEqualTo(16L * 8 * 8 * 1024);
    outbound.reconcileAll();
    assertThat(outbound.unsentBytes()).as("half was written").isEqualTo(16L * 4 * 8 * 1024);

    List<PeerId> leaving = new ArrayList<>(streams.keySet()).subList(0, 8);
    for (PeerId peer : leaving) {
      peers.remove(peer).resetAll(); // as GossipService does on disconnect
    }
    assertThat(outbound.unsentBytes()).as("the peers that left hold nothing").isEqualTo(8L * 4 * 8 * 1024);

    leaving.forEach(streams::remove);
    streams.values().forEach(s -> s.send(Long.MAX_VALUE));
    outbound.reconcileAll();
    assertThat(outbound.unsentBytes()).as("no leak").isZero();
  }

  @Test
  void aFullBudgetFirstTakesBackWhatEveryPeerHasSentBeforeItDrops() {
    connect(4);
    PeerId first = streams.keySet().iterator().next();
    while (outbound.sendMessages(first, new byte[32 * 1024], TX, 1) == PeerStreams.Sent.SENT) { }
    streams.get(first).send(Long.MAX_VALUE); // the connection sent it all; nothing has told the budget yet
    PeerId other = new ArrayList<>(streams.keySet()).get(1);
    assertThat(outbound.sendMessages(other, new byte[32 * 1024], TX, 1)).isEqualTo(PeerStreams.Sent.SENT);
    assertThat(outbound.unsentBytes()).isEqualTo(32 * 1024);
  }

  @Test
  void framesWaitingForAStreamAreChargedAndReleasedWhenTheOpenFails() {
    byte[] seed = new byte[32];
    PeerId peer = HostKey.fromSeed(seed).peerId();
    PeerStreams ps = outbound.newPeer();
    peers.put(peer, ps);
    assertThat(ps.startOpening()).isTrue();
    assertThat(outbound.sendMessages(peer, new byte[1000], CONSENSUS, 1)).isEqualTo(PeerStreams.Sent.PENDING);
    assertThat(outbound.unsentBytes()).isEqualTo(1000);
    ps.openFailed();
    assertThat(outbound.unsentBytes()).isZero();
  }

  @Test
  void eachPriorityStopsAtItsShareOfTheBudget() {
    assertThat(OutboundPriority.LOW.ceiling(1_000)).isEqualTo(500);
    assertThat(OutboundPriority.MEDIUM.ceiling(1_000)).isEqualTo(750);
    assertThat(OutboundPriority.HIGH.ceiling(1_000)).isEqualTo(1_000);
    assertThat(OutboundPriority.MEDIUM.ceiling(Long.MAX_VALUE)).as("no overflow").isPositive();
    assertThat(LIMITS.priority("some other topic")).isEqualTo(OutboundPriority.LOW);
  }
}
