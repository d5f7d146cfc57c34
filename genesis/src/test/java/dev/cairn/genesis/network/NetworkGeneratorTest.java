package dev.cairn.genesis.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.cairn.genesis.ConsensusParameters;
import dev.cairn.genesis.GenesisAccount;
import dev.cairn.genesis.GenesisBlock;
import dev.cairn.genesis.GenesisConfig;
import dev.cairn.genesis.GenesisException;
import dev.cairn.genesis.GenesisParser;
import dev.cairn.ledger.crypto.KeyFiles;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.model.Role;
import dev.cairn.p2p.identity.Multiaddr;
import dev.cairn.p2p.identity.PeerId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetworkGeneratorTest {
  private static final TomlMapper TOML = new TomlMapper();

  private static Supplier<KeyPair> seededKeys() {
    AtomicInteger counter = new AtomicInteger();
    return () -> KeyPair.fromSeedText("network-test-" + counter.getAndIncrement());
  }

  private static NetworkSpec spec(int validators, int observers) {
    return new NetworkSpec(validators, observers, "local-net", 1_790_000_000_000L, ConsensusParameters.DEFAULTS,
        31000, 9000, 5_000_000);
  }

  @Test
  void genesisParsesBackAndItsValidatorsAreTheNodeKeys(@TempDir Path dir) {
    GeneratedNetwork network = new NetworkGenerator(seededKeys()).generate(spec(4, 2), dir);

    GenesisConfig genesis = GenesisParser.read(dir.resolve("genesis.json")).orThrow();
    assertThat(genesis).isEqualTo(network.genesis());
    assertThat(GenesisBlock.of(genesis).hash()).isEqualTo(network.genesisHash());

    List<PublicKey> nodeKeys = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      nodeKeys.add(KeyFiles.readNodeKey(dir.resolve("node-" + i).resolve("node.key")).publicKey());
    }
    assertThat(genesis.validators()).containsExactlyElementsOf(nodeKeys.subList(0, 4));
    assertThat(genesis.observers()).containsExactlyElementsOf(nodeKeys.subList(4, 6));
    assertThat(network.nodes()).extracting(GeneratedNetwork.Node::publicKey).containsExactlyElementsOf(nodeKeys);
  }

  @Test
  void theDevAccountIsAPrefundedAdminAndMemberAndValidatorsAreMembers(@TempDir Path dir) {
    GeneratedNetwork network = new NetworkGenerator(seededKeys()).generate(spec(1, 0), dir);
    KeyPair dev = KeyFiles.readNodeKey(dir.resolve("dev-account.key"));
    assertThat(dev.address()).isEqualTo(network.devAccount());
    GenesisConfig genesis = GenesisParser.read(dir.resolve("genesis.json")).orThrow();
    KeyPair validator = KeyFiles.readNodeKey(dir.resolve("node-0").resolve("node.key"));
    assertThat(genesis.accounts()).containsExactly(
        new GenesisAccount(dev.address(), 5_000_000, Set.of(Role.ADMIN, Role.MEMBER)),
        new GenesisAccount(validator.address(), 0, Set.of(Role.MEMBER)));
  }

  @Test
  void everyKeyFileIsReadableByItsOwnerOnly(@TempDir Path dir) throws Exception {
    new NetworkGenerator(seededKeys()).generate(spec(3, 1), dir);
    List<Path> keyFiles;
    try (Stream<Path> files = Files.walk(dir)) {
      keyFiles = files.filter(p -> p.getFileName().toString().endsWith(".key")).toList();
    }
    assertThat(keyFiles).hasSize(9); // node.key and data/p2p.key of 4 nodes, the dev account
    for (Path file : keyFiles) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).as(file.toString()).isEqualTo("rw-------");
    }
  }

  @Test
  void eachConfigPointsAtItsOwnFilesPortsAndTheOtherValidators(@TempDir Path dir) throws Exception {
    GeneratedNetwork network = new NetworkGenerator(seededKeys()).generate(spec(3, 1), dir);
    for (GeneratedNetwork.Node node : network.nodes()) {
      JsonNode toml = TOML.readTree(node.dir().resolve("config.toml").toFile());
      assertThat(keys(toml)).containsExactly(
          "metrics.enabled", "metrics.host", "metrics.port",
          "node.data-dir", "node.genesis-file", "node.log-level", "node.node-key-file",
          "p2p.bootnodes", "p2p.enabled", "p2p.listen", "p2p.observers",
          "rpc.enabled", "rpc.host", "rpc.port");
      assertThat(node.dir().resolve(toml.at("/node/genesis-file").asText()).normalize()).isEqualTo(dir.resolve("genesis.json"));
      assertThat(KeyFiles.readNodeKey(node.dir().resolve(toml.at("/node/node-key-file").asText())).publicKey())
          .isEqualTo(node.publicKey());
      assertThat(toml.at("/rpc/port").asInt()).isEqualTo(9000 + node.index());
      assertThat(toml.at("/metrics/port").asInt()).isEqualTo(10000 + node.index());
      assertThat(toml.at("/metrics/enabled").asBoolean()).isFalse();
      assertThat(toml.at("/p2p/listen").asText()).isEqualTo("/ip4/127.0.0.1/tcp/" + (31000 + node.index()));

      List<String> bootnodes = new ArrayList<>();
      toml.at("/p2p/bootnodes").forEach(b -> bootnodes.add(b.asText()));
      List<String> expected = network.nodes().stream()
          .filter(n -> n.kind() == GeneratedNetwork.Kind.VALIDATOR && n.index() != node.index())
          .map(GeneratedNetwork.Node::multiaddr).toList();
      assertThat(bootnodes).containsExactlyElementsOf(expected);
      assertThat(toml.at("/p2p/observers").get(0).asText()).isEqualTo(network.nodes().get(3).peerId());
    }
  }

  @Test
  void peerIdsAndBootnodesParseWithTheP2pModule(@TempDir Path dir) {
    GeneratedNetwork network = new NetworkGenerator(seededKeys()).generate(spec(2, 1), dir);
    for (GeneratedNetwork.Node node : network.nodes()) {
      PeerId parsed = PeerId.fromBase58(node.peerId());
      // The peer ID is the node's p2p key's, written into its data dir; the node key stays off the wire.
      KeyPair p2p = dev.cairn.ledger.crypto.KeyFiles.readNodeKey(node.dir().resolve(NetworkGenerator.P2P_KEY_FILE));
      assertThat(parsed.publicKey()).isEqualTo(p2p.publicKey()).isNotEqualTo(node.publicKey());
      assertThat(Multiaddr.parse(node.multiaddr()).toString()).isEqualTo(node.multiaddr());
    }
  }

  @Test
  void anExistingNetworkIsNeverOverwritten(@TempDir Path dir) throws Exception {
    new NetworkGenerator(seededKeys()).generate(spec(2, 0), dir);
    String before = Files.readString(dir.resolve("genesis.json"));
    assertThatThrownBy(() -> new NetworkGenerator(KeyPair::generate).generate(spec(2, 0), dir))
        .isInstanceOf(GenesisException.class).hasMessageContaining("already exists");
    assertThat(Files.readString(dir.resolve("genesis.json"))).isEqualTo(before);
  }

  @Test
  void theSpecRefusesBadCountsAndPorts() {
    assertThatThrownBy(() -> spec(0, 0)).hasMessageContaining("--validators");
    assertThatThrownBy(() -> spec(100, 1)).hasMessageContaining("--observers");
    assertThatThrownBy(() -> new NetworkSpec(4, 0, "x", 0, ConsensusParameters.DEFAULTS, 65534, 8545, 1))
        .hasMessageContaining("--base-port");
    assertThatThrownBy(() -> new NetworkSpec(4, 0, "x", 0, ConsensusParameters.DEFAULTS, 8547, 8545, 1))
        .hasMessageContaining("overlap");
    assertThatThrownBy(() -> new NetworkSpec(4, 0, "Bad", 0, ConsensusParameters.DEFAULTS, 30300, 8545, 1))
        .hasMessageContaining("--chain-id");
  }

  private static Set<String> keys(JsonNode toml) {
    Set<String> out = new TreeSet<>();
    toml.fields().forEachRemaining(section ->
        section.getValue().fieldNames().forEachRemaining(key -> out.add(section.getKey() + "." + key)));
    return out;
  }
}
