package dev.cairn.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.genesis.ConsensusParameters;
import dev.cairn.genesis.GenesisAccount;
import dev.cairn.genesis.GenesisConfig;
import dev.cairn.genesis.GenesisWriter;
import dev.cairn.ledger.crypto.KeyFiles;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.model.Role;
import dev.cairn.node.cli.CairnCli;
import dev.cairn.network.NetworkLimits;
import dev.cairn.p2p.gossip.GossipConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class HeapFitTest {
  private static final long MIB = 1L << 20;
  private static final int BLOCK_BYTES_MAX = 8 * 1024 * 1024;
  private static final GossipConfig GOSSIP = NetworkLimits.forBlockBytesMax(BLOCK_BYTES_MAX).gossip();
  @TempDir Path dir;

  private NodeConfig config(String... keyValues) throws Exception {
    ConfigLoader loader = ConfigLoader.defaults().with("p2p.enabled", "true");
    for (int i = 0; i < keyValues.length; i += 2) loader = loader.with(keyValues[i], keyValues[i + 1]);
    return loader.build(dir);
  }

  private static long sum(List<HeapFit.Bound> bounds) {
    return bounds.stream().mapToLong(HeapFit.Bound::bytes).sum();
  }

  @Test
  void theDefaultsFitTheLaunchersOneGibibyteHeapButNotAQuarterOfIt() throws Exception {
    List<HeapFit.Bound> bounds = HeapFit.bounds(config(), GOSSIP, BLOCK_BYTES_MAX, 4);
    assertThat(bounds).extracting(HeapFit.Bound::what).contains("mempool", "gossip unsent to peers",
        "gossip received, waiting for the router", "gossip message cache", "consensus inbox",
        "consensus future-message buffer", "JSON-RPC large answers", "WebSocket notification queues",
        "state-sync chunks in flight");
    long total = sum(bounds);
    assertThat(total).as("every bound counted, in bytes").isBetween(500 * MIB, 700 * MIB);
    assertThat(bounds).filteredOn(b -> b.what().startsWith("JSON-RPC")).singleElement()
        .as("2 large answers of up to 32 MiB").extracting(HeapFit.Bound::bytes)
        .isEqualTo(2 * 32 * MIB);
    assertThat(HeapFit.check(bounds, 1024 * MIB)).isEmpty();
    assertThat(HeapFit.check(bounds, 910 * MIB)).as("-Xmx1g with the launcher's parallel collector: 910 MiB usable")
        .isEmpty();
    assertThat(HeapFit.check(HeapFit.bounds(config("rpc.large-answers-max", "3"), GOSSIP, BLOCK_BYTES_MAX, 4), 910 * MIB))
        .as("a third large answer does not fit -Xmx1g beside the other defaults").isPresent();
    Optional<String> quarter = HeapFit.check(bounds, 256 * MIB);
    assertThat(quarter).isPresent();
    System.out.println("refusal at 256 MiB: " + quarter.get());
    assertThat(quarter.get()).doesNotContain("\n")
        .contains("the heap (256 MiB usable) cannot hold")
        .contains("(883 MiB needed)").contains("-Xmx1024m or more")
        .contains("lower mempool.bytes-max (256 MiB), ")
        .contains("p2p.gossip-outbound-bytes-max (")
        .contains("node.heap-check = \"warn\"");
  }

  @Test
  void eachConfiguredLimitMovesTheSumByWhatItHolds() throws Exception {
    long base = sum(HeapFit.bounds(config(), GOSSIP, BLOCK_BYTES_MAX, 4));
    assertThat(sum(HeapFit.bounds(config("mempool.bytes-max", String.valueOf(32 * MIB)), GOSSIP, BLOCK_BYTES_MAX, 4)))
        .isEqualTo(base - 224 * MIB);
    assertThat(sum(HeapFit.bounds(config("p2p.gossip-outbound-bytes-max", String.valueOf(512 * MIB)), GOSSIP,
        BLOCK_BYTES_MAX, 4))).isEqualTo(base - config().p2p().gossipOutboundBytes(GOSSIP) + 512 * MIB);
    assertThat(sum(HeapFit.bounds(config("rpc.large-answers-max", "1"), GOSSIP, BLOCK_BYTES_MAX, 4)))
        .as("one large answer fewer").isEqualTo(base - 32 * MIB);
    assertThat(sum(HeapFit.bounds(config("rpc.large-answer-bytes", String.valueOf(64 * 1024)), GOSSIP, BLOCK_BYTES_MAX, 4)))
        .as("what makes an answer large does not move the bound on them").isEqualTo(base);
    assertThat(sum(HeapFit.bounds(config("rpc.ws-queue-bytes-max", String.valueOf(64 * 1024)), GOSSIP, BLOCK_BYTES_MAX, 4)))
        .as("256 connections, 32 KiB more each").isEqualTo(base + 256 * 32 * 1024);
    assertThat(sum(HeapFit.bounds(config(), GOSSIP, BLOCK_BYTES_MAX, 7)))
        .as("a future-message share per validator").isGreaterThan(base);
    assertThat(sum(HeapFit.bounds(config("p2p.enabled", "false", "rpc.enabled", "false"), GOSSIP, BLOCK_BYTES_MAX, 4)))
        .as("no gossip or RPC bounds without them").isLessThan(base - 200 * MIB);
  }

  @Test
  void theHeadroomIsAQuarterOfTheHeapAndNeverUnder128MiB() {
    assertThat(HeapFit.heapNeeded(0)).isEqualTo(128 * MIB);
    assertThat(HeapFit.heapNeeded(300 * MIB)).isEqualTo(428 * MIB);
    assertThat(HeapFit.heapNeeded(600 * MIB)).isEqualTo(800 * MIB);
    List<HeapFit.Bound> bounds = List.of(new HeapFit.Bound("x", Optional.of("mempool.bytes-max"), 600 * MIB));
    assertThat(HeapFit.check(bounds, 800 * MIB)).isEmpty();
    assertThat(HeapFit.check(bounds, 800 * MIB - 1)).isPresent();
    assertThat(HeapFit.xmxMib(800 * MIB)).as("880 MiB with the margin, in 64 MiB steps").isEqualTo(896);
    assertThat(HeapFit.xmxMib(875 * MIB)).isEqualTo(1024);
  }

  @Test
  void warnStartsAnywayAndRefuseThrowsTheLine() throws Exception {
    List<HeapFit.Bound> bounds = HeapFit.bounds(config(), GOSSIP, BLOCK_BYTES_MAX, 4);
    assertThatThrownBy(() -> HeapFit.enforce(config(), bounds, 64 * MIB)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot hold");
    HeapFit.enforce(config("node.heap-check", "warn"), bounds, 64 * MIB);
    assertThat(ConfigLoader.defaults().withEnvironment(java.util.Map.of("CAIRN_HEAP_CHECK", "warn")).build(dir).heapCheck())
        .as("test rigs set it from the environment").isEqualTo(NodeConfig.HeapCheck.WARN);
    assertThatThrownBy(() -> config("node.heap-check", "maybe")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("node.heap-check: expected \"refuse\" or \"warn\"");
  }

  /** The operator's view: {@code cairn run} with bounds beyond this JVM's heap prints one line and exits 1. */
  @Test
  void runRefusesWithOneLineNamingTheLimitsAndTheHeap() throws Exception {
    KeyPair validator = KeyPair.fromSeedText("heap-fit");
    GenesisWriter.write(dir.resolve("genesis.json"), new GenesisConfig("cairn-heap-fit-test", 1_700_000_000_000L,
        new ConsensusParameters(1000, 4000, 60_000, 10_000, BLOCK_BYTES_MAX, false), List.of(validator.publicKey()),
        List.of(new GenesisAccount(KeyPair.fromSeedText("dev").address(), 100, EnumSet.of(Role.MEMBER))), List.of()));
    KeyFiles.writeNodeKey(dir.resolve("node.key"), validator);
    long heap = Runtime.getRuntime().maxMemory();
    Files.writeString(dir.resolve("config.toml"), "[mempool]\nbytes-max = " + 2 * heap + "\n[rpc]\nport = 0\n");
    CommandLine cli = CairnCli.commandLine();
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err));
    int code = cli.execute("run", "--config", dir.resolve("config.toml").toString());
    assertThat(code).as(err.toString()).isEqualTo(1);
    assertThat(err.toString().strip()).doesNotContain("\n")
        .startsWith("error: the heap (" + (heap + MIB / 2) / MIB + " MiB usable) cannot hold the node's in-memory bounds")
        .contains("lower mempool.bytes-max (" + (2 * heap + MIB / 2) / MIB + " MiB), rpc.large-answers-max (64 MiB)");
    assertThat(dir.resolve("data")).as("refused before opening the store").doesNotExist();
  }
}
