package dev.cairn.tools.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.node.cli.CairnCli;
import dev.cairn.tools.NodeJvm;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** What `./cairn bench|testnet` reach in the tools jar, and how the tools start a node. */
class ToolsCliTest {
  @AfterEach
  void clearNodeJar() {
    System.clearProperty(NodeJvm.NODE_JAR_PROPERTY);
  }

  private static CommandLine tools() {
    return CairnCli.withOperatorErrors(new CommandLine(new ToolsCli()));
  }

  @Test
  void benchAndTestnetKeepTheirDocumentedSubcommands() {
    CommandLine cli = tools();
    assertThat(cli.getSubcommands()).containsKeys("bench", "testnet");
    assertThat(cli.getSubcommands().get("bench").getSubcommands()).containsKeys("single", "bft", "crash", "join");
    assertThat(cli.getSubcommands().get("testnet").getSubcommands()).containsKey("status");
    StringWriter out = new StringWriter();
    cli.setOut(new PrintWriter(out));
    assertThat(cli.execute("bench", "bft", "--help")).isZero();
    assertThat(out.toString()).contains("--validators").contains("--rate").contains("--block-txs-max");
  }

  @Test
  void theNodeCliNoLongerCarriesTheTooling() {
    assertThat(CairnCli.commandLine().getSubcommands()).containsKeys("run", "devnet").doesNotContainKeys("bench", "testnet");
  }

  @Test
  void aNodeRunsFromTheNamedJarOrElseFromThisClassPath() {
    List<String> fallback = NodeJvm.command(List.of("-Xmx256m"));
    assertThat(fallback.get(1)).isEqualTo("-Xmx256m");
    assertThat(fallback.subList(fallback.size() - 3, fallback.size()))
        .containsExactly("-cp", System.getProperty("java.class.path"), CairnCli.class.getName());

    System.setProperty(NodeJvm.NODE_JAR_PROPERTY, "/nonexistent/cairn-node.jar");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> NodeJvm.command(List.of()))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("is not a file");

    Path jar = Path.of("pom.xml").toAbsolutePath();
    System.setProperty(NodeJvm.NODE_JAR_PROPERTY, jar.toString());
    assertThat(NodeJvm.command(List.of())).contains(jar.toString());
  }
}
