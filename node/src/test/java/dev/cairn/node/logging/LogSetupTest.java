package dev.cairn.node.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.node.config.NodeConfig;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The [logging] config applied to a Logback context built like logback.xml's: levels per package, JSON lines. */
class LogSetupTest {
  private final LoggerContext context = new LoggerContext();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  LogSetupTest() {
    context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
    context.start();
    PatternLayoutEncoder text = new PatternLayoutEncoder();
    text.setContext(context);
    text.setPattern("level=%level logger=%logger{0} %msg%n");
    text.start();
    OutputStreamAppender<ILoggingEvent> console = new OutputStreamAppender<>();
    console.setName(LogSetup.CONSOLE_APPENDER);
    console.setContext(context);
    console.setEncoder(text);
    console.setOutputStream(out);
    console.start();
    context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(console);
  }

  private List<String> lines() {
    return out.toString(StandardCharsets.UTF_8).lines().toList();
  }

  @Test
  void textLinesByDefaultWithTheRootLevelAndEachPackagesOwn() {
    LogSetup.apply(context, "WARN", new NodeConfig.Logging(NodeConfig.LogFormat.TEXT,
        Map.of("dev.cairn.p2p", "DEBUG", "dev.cairn.rpc", "ERROR")));
    context.getLogger("dev.cairn.p2p.gossip.GossipRouter").debug("gossip message rejected peer={} topic={}", "12D3", "tx");
    context.getLogger("dev.cairn.rpc.server.RpcServer").warn("not shown: below the package's ERROR");
    context.getLogger("dev.cairn.node.Node").info("not shown: below the root's WARN");
    context.getLogger("dev.cairn.node.Node").warn("event=node_stopping height={}", 12);
    assertThat(lines()).containsExactly(
        "level=DEBUG logger=GossipRouter gossip message rejected peer=12D3 topic=tx",
        "level=WARN logger=Node event=node_stopping height=12");
  }

  @Test
  void jsonLinesCarryTheFormattedMessageLevelAndLogger() throws Exception {
    LogSetup.apply(context, "INFO", new NodeConfig.Logging(NodeConfig.LogFormat.JSON, Map.of()));
    context.getLogger("dev.cairn.node.consensus.ConsensusDriver")
        .info("event=block_committed height={} hash={}", 7, "ab12");
    context.getLogger("dev.cairn.node.Node").debug("not shown");
    List<String> lines = lines();
    assertThat(lines).hasSize(1);
    JsonNode line = new ObjectMapper().readTree(lines.get(0));
    assertThat(line.get("level").asText()).isEqualTo("INFO");
    assertThat(line.get("loggerName").asText()).isEqualTo("dev.cairn.node.consensus.ConsensusDriver");
    assertThat(line.get("formattedMessage").asText()).isEqualTo("event=block_committed height=7 hash=ab12");
    assertThat(line.has("timestamp")).isTrue();
    assertThat(line.has("context")).as("no context dump on every line").isFalse();
  }
}
