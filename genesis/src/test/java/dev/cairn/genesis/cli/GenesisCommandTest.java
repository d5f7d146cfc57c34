package dev.cairn.genesis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.cairn.genesis.GenesisParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class GenesisCommandTest {

  private record Run(int exitCode, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new GenesisCommand());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void newNetworkThenValidateAndHashAgreeOnTheGenesisHash(@TempDir Path dir) {
    Path out = dir.resolve("net");
    Run created = run("new-network", "--validators", "4", "--observers", "1", "--chain-id", "devnet",
        "--out", out.toString(), "--genesis-time", "2026-01-01T00:00:00Z");
    assertThat(created.exitCode()).as(created.err()).isZero();
    assertThat(created.out()).contains("Cairn local network 'devnet'").contains("node-4   observer");

    Run hash = run("hash", out.resolve("genesis.json").toString());
    assertThat(hash.exitCode()).isZero();
    assertThat(hash.out().trim()).matches("0x[0-9a-f]{64}");
    assertThat(created.out()).contains("hash " + hash.out().trim());

    Run validate = run("validate", out.resolve("genesis.json").toString());
    assertThat(validate.exitCode()).isZero();
    assertThat(validate.out().trim()).isEqualTo("OK " + hash.out().trim());
  }

  @Test
  void consensusOptionsReachTheGenesisFile(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("net");
    Run created = run("new-network", "--validators", "1", "--chain-id", "slow", "--out", out.toString(),
        "--block-period-ms", "5000", "--block-txs-max", "50", "--no-empty-blocks");
    assertThat(created.exitCode()).as(created.err()).isZero();
    JsonNode consensus = new JsonMapper().readTree(out.resolve("genesis.json").toFile()).get("consensus");
    assertThat(consensus.get("blockPeriodMillis").asLong()).isEqualTo(5000);
    assertThat(consensus.get("roundTimeoutMillis").asLong()).isEqualTo(10000);
    assertThat(consensus.get("roundTimeoutMillisMax").asLong()).isEqualTo(60000);
    assertThat(consensus.get("blockTxsMax").asInt()).isEqualTo(50);
    assertThat(consensus.get("emptyBlocks").asBoolean()).isFalse();
  }

  @Test
  void badOptionsAreOneLineErrorsNamingTheOption(@TempDir Path dir) {
    Run timeout = run("new-network", "--validators", "1", "--chain-id", "x", "--out", dir.resolve("a").toString(),
        "--round-timeout-ms", "500");
    assertThat(timeout.exitCode()).isEqualTo(2);
    assertThat(timeout.err().lines().findFirst().orElseThrow())
        .isEqualTo("--round-timeout-ms: must be greater than blockPeriodMillis (1000), got 500");

    Run chainId = run("new-network", "--validators", "1", "--chain-id", "Not_OK", "--out", dir.resolve("b").toString());
    assertThat(chainId.exitCode()).isEqualTo(2);
    assertThat(chainId.err()).startsWith("--chain-id must be 1 to 64 characters");
    assertThat(Files.exists(dir.resolve("b"))).isFalse();
  }

  @Test
  void newNetworkRefusesADirectoryThatHoldsANetwork(@TempDir Path dir) {
    String out = dir.resolve("net").toString();
    assertThat(run("new-network", "--validators", "1", "--chain-id", "x", "--out", out).exitCode()).isZero();
    Run again = run("new-network", "--validators", "1", "--chain-id", "x", "--out", out);
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.err()).startsWith("error: ").contains("already exists");
  }

  @Test
  void validatePrintsTheOneLineErrorNamingTheField(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("net");
    run("new-network", "--validators", "2", "--chain-id", "x", "--out", out.toString());
    Path file = out.resolve("genesis.json");
    String json = Files.readString(file);
    String firstKey = GenesisParser.read(file).orThrow().validators().get(0).toHex();
    Path broken = dir.resolve("genesis.json");
    Files.writeString(broken, json.replace(firstKey, "xyz"));

    Run validate = run("validate", broken.toString());
    assertThat(validate.exitCode()).isEqualTo(1);
    assertThat(validate.out()).isEmpty();
    assertThat(validate.err()).isEqualTo("error: genesis.json: validators[0].publicKey: not 64 hex characters\n");

    Run hash = run("hash", broken.toString());
    assertThat(hash.exitCode()).isEqualTo(1);
    assertThat(hash.err()).isEqualTo(validate.err());
  }

  @Test
  void aMissingFileIsAOneLineError(@TempDir Path dir) {
    Run validate = run("validate", dir.resolve("nope.json").toString());
    assertThat(validate.exitCode()).isEqualTo(1);
    assertThat(validate.err()).startsWith("error: cannot read genesis file").doesNotContain("\tat ");
  }

  @Test
  void hostsGiveEachNodeADirectoryCompleteForItsHost(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("net");
    Run created = run("new-network", "--validators", "3", "--observers", "1", "--chain-id", "multi",
        "--out", out.toString(), "--hosts", "10.0.0.1,10.0.0.2,val3.example.org,10.0.0.1", "--rpc-public");
    assertThat(created.exitCode()).as(created.err()).isZero();
    assertThat(created.out()).contains("Copy each node's directory");

    String node0 = Files.readString(out.resolve("node-0/config.toml"));
    assertThat(node0).contains("listen = \"/ip4/10.0.0.1/tcp/30300\"")
        .contains("host = \"10.0.0.1\"").contains("port = 8545")
        .contains("genesis-file = \"genesis.json\"")
        .contains("\"/ip4/10.0.0.2/tcp/30300/p2p/").contains("\"/dns/val3.example.org/tcp/30300/p2p/")
        .doesNotContain("127.0.0.1");
    // A DNS-named host binds every interface; the observer shares 10.0.0.1 with node-0, so it gets the next ports.
    assertThat(Files.readString(out.resolve("node-2/config.toml"))).contains("listen = \"/ip4/0.0.0.0/tcp/30300\"")
        .contains("host = \"0.0.0.0\"");
    assertThat(Files.readString(out.resolve("node-3/config.toml"))).contains("listen = \"/ip4/10.0.0.1/tcp/30301\"")
        .contains("port = 8546");
    for (int i = 0; i < 4; i++) {
      assertThat(Files.readString(out.resolve("node-" + i + "/genesis.json")))
          .isEqualTo(Files.readString(out.resolve("genesis.json")));
    }
  }

  @Test
  void withoutRpcPublicTheRpcStaysOnLoopback(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("net");
    Run created = run("new-network", "--validators", "2", "--chain-id", "x", "--out", out.toString(),
        "--hosts", "192.168.1.10,192.168.1.11");
    assertThat(created.exitCode()).as(created.err()).isZero();
    assertThat(Files.readString(out.resolve("node-1/config.toml"))).contains("host = \"127.0.0.1\"")
        .contains("listen = \"/ip4/192.168.1.11/tcp/30300\"");
  }

  @Test
  void badHostsAreOneLineErrors(@TempDir Path dir) {
    Run count = run("new-network", "--validators", "2", "--chain-id", "x", "--out", dir.resolve("a").toString(),
        "--hosts", "10.0.0.1");
    assertThat(count.exitCode()).isEqualTo(2);
    assertThat(count.err()).startsWith("--hosts must name one host per node (2");

    Run bad = run("new-network", "--validators", "2", "--chain-id", "x", "--out", dir.resolve("b").toString(),
        "--hosts", "10.0.0.1,10.0.0.300");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err()).startsWith("--hosts: '10.0.0.300' is not an IPv4 address");

    Run name = run("new-network", "--validators", "2", "--chain-id", "x", "--out", dir.resolve("c").toString(),
        "--hosts", "10.0.0.1,bad_name");
    assertThat(name.exitCode()).isEqualTo(2);
    assertThat(name.err()).startsWith("--hosts: 'bad_name' is neither an IP address nor a DNS name");
  }
}
