package dev.cairn.node.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.genesis.ConsensusParameters;
import dev.cairn.genesis.network.GeneratedNetwork;
import dev.cairn.genesis.network.NetworkGenerator;
import dev.cairn.genesis.network.NetworkSpec;
import dev.cairn.ledger.codec.TransactionCodec;
import dev.cairn.ledger.crypto.KeyFiles;
import dev.cairn.network.AddedObservers;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.model.Payload;
import dev.cairn.ledger.model.Transaction;
import dev.cairn.node.Node;
import dev.cairn.node.config.ConfigLoader;
import dev.cairn.node.config.NodeConfig;
import dev.cairn.rpc.client.RpcClient;
import dev.cairn.rpc.OpenRpcSchemas;
import dev.cairn.rpc.client.RpcError;
import dev.cairn.testsupport.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The admin namespace on real nodes in one JVM (real libp2p on loopback, real RocksDB): two validators and an
 * observer that neither validator admits. Admitting it at run time on one validator connects it (and it syncs);
 * removing it disconnects it, and the addition is in the data dir; a vote cast shows as pending with its tally;
 * log levels change at run time; CORS origins from config reach the server. Every admin answer satisfies the
 * result schema the node publishes in rpc.discover. The admin API is absent (and undescribed) where it is not
 * enabled.
 */
class AdminApiTest {
  private static final long STEP_MILLIS = 60_000;

  @TempDir Path dir;

  @Test
  @Timeout(180)
  void observersVotesLogLevelsAndInfoThroughTheAdminApi() throws Exception {
    FreePorts.NetworkPorts ports = FreePorts.network(3, NetworkSpec.METRICS_PORT_OFFSET);
    int base = ports.p2p();
    int rpcBase = ports.rpc();
    ConsensusParameters d = ConsensusParameters.DEFAULTS;
    NetworkSpec spec = new NetworkSpec(2, 0, "admin-test", (System.currentTimeMillis() / 1000) * 1000,
        new ConsensusParameters(200, d.roundTimeoutMillis(), d.roundTimeoutMillisMax(), d.blockTxsMax(), d.blockBytesMax(), true),
        base, rpcBase, NetworkSpec.DEFAULT_DEV_BALANCE);
    GeneratedNetwork network = new NetworkGenerator(KeyPair::generate).generate(spec, dir.resolve("net"));
    GeneratedNetwork.Node v0 = network.nodes().get(0);
    GeneratedNetwork.Node v1 = network.nodes().get(1);
    // An observer neither genesis nor any config names: only an operator's admin_addPeer lets it in.
    Observer observerNode = observer(network, base + 2, rpcBase + 2);
    List<Node> running = new ArrayList<>();
    try {
      Node first = start(running, load(v0.dir(), "rpc.admin-enabled", "true", "rpc.cors-allowed-origins", "https://ops.example"));
      Node second = start(running, load(v1.dir()));
      Node observer = start(running, load(observerNode.dir()));
      RpcClient admin = new RpcClient(URI.create("http://127.0.0.1:" + v0.rpcPort()), Duration.ofSeconds(10));
      RpcClient plain = new RpcClient(URI.create("http://127.0.0.1:" + v1.rpcPort()), Duration.ofSeconds(10));
      SchemaChecked checked = new SchemaChecked(admin);

      eventually("the validators finalize blocks", () -> first.headHeight() >= 3);
      assertThat(peerIds(admin)).containsExactly(v1.peerId());
      assertThat(admin.call("admin_peers").get(0).path("role").asText()).isEqualTo("validator");
      assertThat(observer.headHeight()).as("a refused observer cannot sync").isZero();

      // A vote to add the observer's key: one of two validators, so pending with 1 counted and 2 needed.
      KeyPair v0Key = KeyFiles.readNodeKey(v0.dir().resolve(NetworkGenerator.NODE_KEY_FILE));
      admin.sendTransaction(TransactionCodec.encode(Transaction.sign("admin-test", v0Key, 0,
          new Payload.ValidatorVote(observerNode.publicKey(), Payload.VoteAction.ADD))));
      eventually("the vote is pending", () -> admin.call("admin_validatorVotes").size() == 1);
      JsonNode vote = checked.call("admin_validatorVotes").get(0);
      assertThat(vote.path("candidate").asText()).isEqualTo("0x" + observerNode.publicKey().toHex());
      assertThat(vote.path("action").asText()).isEqualTo("add");
      assertThat(vote.path("voters").get(0).asText()).isEqualTo("0x" + v0Key.publicKey().toHex());
      assertThat(vote.path("votesCounted").asInt()).isEqualTo(1);
      assertThat(vote.path("votesNeeded").asInt()).isEqualTo(2);

      // Admitted at run time (with its address, so the validator dials it at once): it connects and syncs.
      assertThat(checked.call("admin_addPeer", observerNode.multiaddr()).asBoolean()).isTrue();
      assertThat(checked.call("admin_addPeer", observerNode.peerId()).asBoolean()).as("already added").isFalse();
      eventually("the observer connects", () -> peerIds(admin).contains(observerNode.peerId()));
      long target = first.headHeight();
      eventually("the observer syncs", () -> observer.headHeight() >= target);
      JsonNode observerPeer = peer(checked.call("admin_peers"), observerNode.peerId());
      assertThat(observerPeer.path("role").asText()).isEqualTo("observer");
      assertThat(observerPeer.path("protocols").size()).isPositive();
      assertThat(AddedObservers.open(v0.dir().resolve("data")).names()).containsExactly(observerNode.peerId());

      // Removed: disconnected, and refused when it dials again.
      assertThat(checked.call("admin_removePeer", observerNode.peerId()).asBoolean()).isTrue();
      eventually("the observer is disconnected", () -> !peerIds(admin).contains(observerNode.peerId()));
      long stalled = observer.headHeight();
      eventually("the chain goes on without it", () -> first.headHeight() >= stalled + 5);
      assertThat(peerIds(admin)).doesNotContain(observerNode.peerId());
      assertThat(observer.headHeight()).as("a removed observer no longer follows").isLessThanOrEqualTo(stalled + 1);
      assertThat(AddedObservers.open(v0.dir().resolve("data")).names()).isEmpty();
      assertThat(admin.call("admin_removePeer", v1.peerId()).asBoolean()).as("validators are not admin's to remove").isFalse();
      assertThat(errorCode(() -> admin.call("admin_addPeer", "not-a-peer-id"))).isEqualTo(-32602);

      JsonNode level = checked.call("admin_setLogLevel", "dev.cairn.p2p.gossip", "debug");
      assertThat(level.path("level").asText()).isEqualTo("DEBUG");
      assertThat(((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("dev.cairn.p2p.gossip")).getLevel().toString())
          .isEqualTo("DEBUG");
      assertThat(checked.call("admin_setLogLevel", "dev.cairn.p2p.gossip", "info").path("previous").asText()).isEqualTo("DEBUG");
      assertThat(errorCode(() -> admin.call("admin_setLogLevel", "dev.cairn", "LOUD"))).isEqualTo(-32602);

      JsonNode info = checked.call("admin_nodeInfo");
      assertThat(info.path("peerId").asText()).isEqualTo(v0.peerId());
      assertThat(info.path("role").asText()).isEqualTo("validator");
      assertThat(info.path("chainId").asText()).isEqualTo("admin-test");
      assertThat(checked.call("admin_evidence").isArray()).isTrue();

      assertThat(errorCode(() -> plain.call("admin_peers"))).as("admin off on the second validator").isEqualTo(-32601);
      assertThat(methodNames(plain.call("rpc.discover")))
          .as("a node without the admin namespace does not describe it").noneMatch(n -> n.startsWith("admin_"));

      // CORS origins from config.toml reach the server.
      HttpResponse<String> cors = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + v0.rpcPort() + "/"))
          .header("Origin", "https://ops.example").header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"cairn_blockNumber\"}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(cors.headers().firstValue("Access-Control-Allow-Origin")).contains("https://ops.example");
      assertThat(second.headHeight()).isPositive();

      // Equivocation: a peer relays a second PREPARE of the second validator for a height about to start; when
      // its real one arrives, the first validator has evidence. It is in the store, so a restart keeps it.
      KeyPair v1Key = KeyFiles.readNodeKey(v1.dir().resolve(NetworkGenerator.NODE_KEY_FILE));
      try (Relay relay = Relay.start()) {
        assertThat(admin.call("admin_addPeer", relay.host.listenAddrs().get(0).withPeerId(relay.host.peerId()).toString())
            .asBoolean()).isTrue();
        eventually("the relay is connected", () -> peerIds(admin).contains(relay.host.peerId().toBase58()));
        relay.gossip.subscribe(new dev.cairn.network.NetworkTopics("admin-test").consensus(), m -> {}).join();
        Thread.sleep(2_000); // two gossip heartbeats: the relay is in the validator's mesh for the topic
        long height = first.headHeight() + 3;
        dev.cairn.consensus.message.SignedMessage forged = dev.cairn.consensus.message.SignedMessage.sign(v1Key,
            new dev.cairn.consensus.message.MessageBody.Prepare(height, 0, dev.cairn.ledger.bytes.Hash.wrap(new byte[32])));
        byte[] encoded = dev.cairn.consensus.message.MessageCodec.encode(dev.cairn.consensus.message.ConsensusMessage.vote(forged));
        relay.gossip.publish(new dev.cairn.network.NetworkTopics("admin-test").consensus(),
            dev.cairn.network.ConsensusEnvelope.seal(1, dev.cairn.ledger.bytes.Bytes.wrap(encoded))).join();
        eventually("the equivocation is recorded", () -> admin.call("admin_evidence").size() >= 1);
      }
      JsonNode evidence = checked.call("admin_evidence").get(0);
      assertThat(evidence.path("validator").asText()).isEqualTo("0x" + v1Key.publicKey().toHex());
      assertThat(evidence.path("kind").asText()).isEqualTo("prepare");
      running.remove(first);
      first.close();
      Node restarted = start(running, load(v0.dir(), "rpc.admin-enabled", "true"));
      JsonNode kept = checked.call("admin_evidence", 10);
      assertThat(kept.size()).isEqualTo(1);
      assertThat(kept.get(0)).isEqualTo(evidence);
      eventually("the restarted validator finalizes again", () -> restarted.headHeight() > evidence.path("height").asLong());
      assertThat(checked.methods()).as("every admin method the node describes was answered here, to its schema")
          .isEqualTo(checked.describedAdminMethods());
    } finally {
      for (int i = running.size() - 1; i >= 0; i--) {
        running.get(i).close();
      }
    }
  }

  /** A bare libp2p host with gossip, admitted as an observer, that relays what the test gives it. */
  private record Relay(dev.cairn.p2p.host.Host host, dev.cairn.p2p.gossip.GossipService gossip) implements AutoCloseable {
    static Relay start() {
      dev.cairn.p2p.identity.HostKey key = dev.cairn.p2p.identity.HostKey.fromSeed(KeyPair.generate().seed());
      dev.cairn.network.NetworkLimits limits = dev.cairn.network.NetworkLimits.forBlockBytesMax(
          ConsensusParameters.DEFAULTS.blockBytesMax());
      dev.cairn.p2p.host.Host host = new dev.cairn.p2p.host.Host(key, limits.p2p(), dev.cairn.p2p.host.ConnectionGater.open());
      dev.cairn.p2p.gossip.GossipService gossip = new dev.cairn.p2p.gossip.GossipService(host, key, limits.gossip(),
          dev.cairn.p2p.gossip.MessageIdFunction.contentHash());
      gossip.start();
      host.start(List.of(dev.cairn.p2p.identity.Multiaddr.parse("/ip4/127.0.0.1/tcp/0")));
      return new Relay(host, gossip);
    }

    @Override
    public void close() {
      gossip.close();
      host.stop();
    }
  }

  private static Node start(List<Node> running, NodeConfig config) {
    Node node = Node.start(config);
    running.add(node);
    return node;
  }

  private static NodeConfig load(Path nodeDir, String... settings) throws Exception {
    ConfigLoader loader = ConfigLoader.defaults().withFile(nodeDir.resolve(NetworkGenerator.CONFIG_FILE));
    for (int i = 0; i < settings.length; i += 2) {
      loader = loader.with(settings[i], settings[i + 1]);
    }
    return loader.build(nodeDir);
  }

  private record Observer(Path dir, dev.cairn.ledger.crypto.PublicKey publicKey, String peerId, String multiaddr) {}

  /** An observer node directory beside the generated ones, dialling both validators. */
  private static Observer observer(GeneratedNetwork network, int p2pPort, int rpcPort) throws IOException {
    KeyPair key = KeyPair.generate();
    Path nodeDir = network.dir().resolve("observer");
    java.nio.file.Files.createDirectories(nodeDir);
    KeyFiles.writeNodeKey(nodeDir.resolve(NetworkGenerator.NODE_KEY_FILE), key);
    String bootnodes = String.join("\", \"", network.nodes().stream().map(GeneratedNetwork.Node::multiaddr).toList());
    java.nio.file.Files.writeString(nodeDir.resolve(NetworkGenerator.CONFIG_FILE), """
        [node]
        data-dir = "data"
        genesis-file = "../genesis.json"
        node-key-file = "node.key"
        [rpc]
        port = %d
        [p2p]
        enabled = true
        listen = "/ip4/127.0.0.1/tcp/%d"
        bootnodes = ["%s"]
        """.formatted(rpcPort, p2pPort, bootnodes));
    // Its p2p key, written where the node looks by default: the peer ID it will be admitted by.
    KeyPair p2p = KeyPair.generate();
    KeyFiles.writeNodeKey(nodeDir.resolve("data").resolve("p2p.key"), p2p);
    String peerId = dev.cairn.p2p.identity.PeerId.fromPublicKey(p2p.publicKey()).toBase58();
    return new Observer(nodeDir, key.publicKey(), peerId, "/ip4/127.0.0.1/tcp/" + p2pPort + "/p2p/" + peerId);
  }

  private static List<String> peerIds(RpcClient client) {
    List<String> out = new ArrayList<>();
    client.call("admin_peers").forEach(peer -> out.add(peer.path("id").asText()));
    return out;
  }

  private static JsonNode peer(JsonNode peers, String peerId) {
    for (JsonNode peer : peers) {
      if (peer.path("id").asText().equals(peerId)) {
        return peer;
      }
    }
    throw new AssertionError("no peer " + peerId);
  }

  /**
   * Calls the admin node and holds each answer to the result schema the node itself publishes in rpc.discover:
   * the schemas describe what a real node answers, not just the rpc module's fixed table.
   */
  private static final class SchemaChecked {
    private static final OpenRpcSchemas SCHEMAS = new OpenRpcSchemas();
    private final RpcClient client;
    private final JsonNode document;
    private final Set<String> methods = new TreeSet<>();

    SchemaChecked(RpcClient client) {
      this.client = client;
      this.document = client.call("rpc.discover");
      assertThat(SCHEMAS.metaSchemaErrors(document)).as("the admin node's OpenRPC document").isEmpty();
    }

    JsonNode call(String method, Object... params) {
      JsonNode result = client.call(method, params);
      assertThat(SCHEMAS.resultErrors(document, method, result)).as(method + " answered " + result).isEmpty();
      methods.add(method);
      return result;
    }

    Set<String> methods() {
      return methods;
    }

    Set<String> describedAdminMethods() {
      Set<String> names = methodNames(document);
      names.removeIf(n -> !n.startsWith("admin_"));
      return names;
    }
  }

  private static Set<String> methodNames(JsonNode document) {
    Set<String> names = new TreeSet<>();
    document.get("methods").forEach(m -> names.add(m.get("name").asText()));
    return names;
  }

  private static int errorCode(Runnable call) {
    try {
      call.run();
    } catch (RpcError e) {
      return e.code();
    }
    throw new AssertionError("the call succeeded");
  }

  private static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.currentTimeMillis() + STEP_MILLIS;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("not within " + STEP_MILLIS + " ms: " + what);
      }
      Thread.sleep(100);
    }
  }

}
