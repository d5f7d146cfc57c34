package dev.cairn.p2p.gossip;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.cairn.p2p.identity.HostKey;
import dev.cairn.p2p.identity.PeerId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** One router against scripted peers: control-message rules and bounds, checked on what it sends. */
class GossipRouterTest {
  private static final String TOPIC = "t";
  private static final RpcCodec CODEC = new RpcCodec(GossipConfig.defaultRpcLimits());

  private record Sent(PeerId to, Rpc rpc, GossipTransport.Priority priority) {}

  private final List<Sent> sent = new ArrayList<>();
  private final GossipTransport transport = new GossipTransport() {
    @Override
    public void send(PeerId to, byte[] rpc, Priority priority) {
      sent.add(new Sent(to, ((RpcDecoding.Decoded) CODEC.decode(rpc)).rpc(), priority));
    }

    @Override
    public void disconnect(PeerId peer, String reason) {}
  };

  private static HostKey key(int n) {
    byte[] seed = new byte[32];
    seed[0] = (byte) n;
    return HostKey.fromSeed(seed);
  }

  private GossipRouter router(GossipConfig config) {
    return new GossipRouter(config, key(0), MessageIdFunction.fromAndSeqno(), transport, Runnable::run,
        new Random(1), 1_000_000);
  }

  private static byte[] rpc(Control control) {
    return CODEC.encode(new Rpc(List.of(), List.of(), control));
  }

  private static byte[] subscribe(String topic) {
    return CODEC.encode(new Rpc(List.of(new Rpc.Subscription(true, topic)), List.of(), Control.EMPTY));
  }

  private List<Control> controlTo(PeerId peer) {
    return sent.stream().filter(s -> s.to().equals(peer)).map(s -> s.rpc().control()).toList();
  }

  @Test
  void graftForATopicWeDidNotJoinIsPruned() {
    GossipRouter r = router(GossipConfig.defaults());
    PeerId p = key(1).peerId();
    r.peerConnected(p);
    r.rpcReceived(p, rpc(new Control(List.of(), List.of(), List.of(new Control.Graft("other")), List.of())));
    assertThat(controlTo(p)).anySatisfy(c -> assertThat(c.prune()).extracting(Control.Prune::topic).containsExactly("other"));
    assertThat(r.meshPeers("other")).isEmpty();
  }

  @Test
  void pruneRemovesFromMeshAndAGraftDuringBackoffIsRefused() {
    GossipRouter r = router(GossipConfig.defaults());
    r.subscribe(TOPIC, m -> {});
    PeerId p = key(1).peerId();
    r.peerConnected(p);
    r.rpcReceived(p, subscribe(TOPIC));
    r.rpcReceived(p, rpc(new Control(List.of(), List.of(), List.of(new Control.Graft(TOPIC)), List.of())));
    assertThat(r.meshPeers(TOPIC)).containsExactly(p);

    r.rpcReceived(p, rpc(new Control(List.of(), List.of(), List.of(), List.of(new Control.Prune(TOPIC, List.of(), 60)))));
    assertThat(r.meshPeers(TOPIC)).isEmpty();
    r.heartbeat(1_000_000 + 1_000);
    assertThat(r.meshPeers(TOPIC)).as("no regraft during the peer's backoff").isEmpty();

    sent.clear();
    r.rpcReceived(p, rpc(new Control(List.of(), List.of(), List.of(new Control.Graft(TOPIC)), List.of())));
    assertThat(r.meshPeers(TOPIC)).isEmpty();
    assertThat(controlTo(p)).anySatisfy(c -> assertThat(c.prune()).hasSize(1));

    r.heartbeat(1_000_000 + 120_000);
    assertThat(r.meshPeers(TOPIC)).as("grafted again once the backoff expired").containsExactly(p);
  }

  @Test
  void ihaveIsAnsweredWithIwantForUnseenIdsWithinBounds() {
    GossipConfig config = GossipConfig.defaults();
    GossipRouter r = router(config);
    r.subscribe(TOPIC, m -> {});
    PeerId p = key(1).peerId();
    r.peerConnected(p);
    sent.clear();
    List<MessageId> ids = List.of(MessageId.of(new byte[] {1}), MessageId.of(new byte[] {2}));
    for (int i = 0; i < config.ihavePerHeartbeatMax() + 5; i++) {
      r.rpcReceived(p, rpc(new Control(List.of(new Control.IHave(TOPIC, ids)), List.of(), List.of(), List.of())));
    }
    long iwants = controlTo(p).stream().mapToLong(c -> c.iwant().size()).sum();
    assertThat(iwants).isEqualTo(config.ihavePerHeartbeatMax());
    assertThat(r.stats().ihaveIgnored()).isEqualTo(5);
    sent.clear();
    r.rpcReceived(p, rpc(new Control(List.of(new Control.IHave("not-joined", ids)), List.of(), List.of(), List.of())));
    assertThat(sent).isEmpty();
  }

  @Test
  void iwantIsServedFromTheCacheAtMostRetransmissionMaxTimes() {
    GossipConfig config = GossipConfig.defaults();
    GossipRouter r = router(config);
    r.subscribe(TOPIC, m -> {});
    PeerId p = key(1).peerId();
    r.peerConnected(p);
    MessageId id = ((PublishResult.Published) r.publish(TOPIC, "x".getBytes())).id();
    sent.clear();
    for (int i = 0; i < config.gossipRetransmissionMax() + 2; i++) {
      r.rpcReceived(p, rpc(new Control(List.of(), List.of(new Control.IWant(List.of(id))), List.of(), List.of())));
    }
    long served = sent.stream().filter(s -> s.to().equals(p)).mapToLong(s -> s.rpc().messages().size()).sum();
    assertThat(served).isEqualTo(config.gossipRetransmissionMax());
  }

  @Test
  void garbageRpcsAreCountedAndChangeNothing() {
    GossipRouter r = router(GossipConfig.defaults());
    PeerId p = key(1).peerId();
    r.peerConnected(p);
    sent.clear();
    r.rpcReceived(p, new byte[] {0x0a, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f});
    r.rpcReceived(p, new byte[] {0x12, 0x05, 0x01});
    assertThat(r.stats().rpcMalformed()).isEqualTo(2);
    assertThat(sent).isEmpty();
    assertThat(r.topicPeers(TOPIC)).isEmpty();
  }

  @Test
  void meshGrowsToDAndGraftsBeyondDHighAreRefused() {
    GossipConfig config = GossipConfig.defaults();
    GossipRouter r = router(config);
    List<PeerId> peers = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      PeerId p = key(i).peerId();
      peers.add(p);
      r.peerConnected(p);
      r.rpcReceived(p, subscribe(TOPIC));
    }
    r.subscribe(TOPIC, m -> {});
    assertThat(r.meshPeers(TOPIC)).hasSize(config.d());
    for (PeerId p : peers) {
      r.rpcReceived(p, rpc(new Control(List.of(), List.of(), List.of(new Control.Graft(TOPIC)), List.of())));
    }
    assertThat(r.meshPeers(TOPIC)).as("GRAFTs beyond dHigh are refused").hasSize(config.dHigh());
    r.heartbeat(1_000_000 + 1_000);
    assertThat(r.meshPeers(TOPIC)).hasSize(config.dHigh());
  }

  @Test
  void messagesAreSplitIntoRpcsWithinTheLimits() {
    RpcLimits small = new RpcLimits(64 * 1024, 16, 3, 16, 64, 64, 64, 64);
    GossipConfig base = GossipConfig.defaults();
    GossipConfig config = new GossipConfig(base.d(), base.dLow(), base.dHigh(), base.dLazy(), base.gossipFactor(),
        base.heartbeatInitialDelayMillis(), base.heartbeatIntervalMillis(), base.fanoutTtlMillis(),
        base.mcacheLength(), base.mcacheGossip(), base.seenTtlMillis(), base.seenEntriesMax(),
        base.pruneBackoffMillis(), base.unsubscribeBackoffMillis(), base.gossipRetransmissionMax(),
        base.ihaveIdsPerHeartbeatMax(), base.ihavePerHeartbeatMax(), base.topicsPerPeerMax(), base.topicsMax(),
        base.outboundRpcQueueMax(), base.outboundQueueBytesMax(), base.validationsPendingMax(), base.eventQueueMax(),
        true, SignaturePolicy.STRICT_SIGN, small);
    GossipRouter r = router(config);
    r.subscribe(TOPIC, m -> {});
    PeerId p = key(1).peerId();
    r.peerConnected(p);
    List<MessageId> ids = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      ids.add(((PublishResult.Published) r.publish(TOPIC, ("m" + i).getBytes())).id());
    }
    sent.clear();
    r.rpcReceived(p, rpc(new Control(List.of(), List.of(new Control.IWant(ids)), List.of(), List.of())));
    assertThat(sent).hasSize(3);
    assertThat(sent).allSatisfy(s -> {
      assertThat(s.rpc().messages().size()).isLessThanOrEqualTo(3);
      assertThat(s.priority()).isEqualTo(GossipTransport.Priority.MESSAGES);
    });
    assertThat(r.publish(TOPIC, new byte[70 * 1024])).isInstanceOf(PublishResult.Refused.class);
    // Refused for size is visible: counted (and logged at WARN, rate-limited), not only a debug line.
    assertThat(r.stats().publishTooLarge()).isEqualTo(1);
  }

  @Test
  void ownMessagesEchoedBackAreDuplicatesAndMessagesOnUnjoinedTopicsAreDropped() {
    GossipRouter r = router(GossipConfig.defaults());
    r.subscribe(TOPIC, m -> {});
    PeerId p = key(1).peerId();
    r.peerConnected(p);
    r.rpcReceived(p, subscribe(TOPIC));
    sent.clear();
    r.publish(TOPIC, "mine".getBytes());
    PubsubMessage mine = sent.get(0).rpc().messages().get(0);
    r.rpcReceived(p, CODEC.encode(new Rpc(List.of(), List.of(mine), Control.EMPTY)));
    assertThat(r.stats().duplicates()).isEqualTo(1);
    PubsubMessage other = MessageSigning.sign(key(1), "elsewhere", ByteString.copyFromUtf8("x"), 1);
    r.rpcReceived(p, CODEC.encode(new Rpc(List.of(), List.of(other), Control.EMPTY)));
    assertThat(r.stats().notSubscribed()).isEqualTo(1);
    assertThat(r.stats().delivered()).isZero();
    assertThat(r.topicStats()).as("counted per topic, only for the topic joined")
        .isEqualTo(java.util.Map.of(TOPIC, new GossipStats.Topic(0, 1, 0, 0, 0)));
  }
}
