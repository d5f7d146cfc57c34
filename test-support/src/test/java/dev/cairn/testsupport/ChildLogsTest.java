package dev.cairn.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildLogsTest {
  @TempDir Path dir;

  @Test
  void problemsAreWarningsErrorsAndTheStackLinesThatFollowThem() {
    List<String> lines = List.of(
        "10:00 INFO  [main] Node - event=node_started",
        "10:01 ERROR [qtp-1] Javalin - Exception occurred while servicing http-request",
        "java.lang.StackOverflowError: null",
        "\tat dev.cairn.Foo.bar(Foo.java:1)",
        "Caused by: java.lang.IllegalStateException: x",
        "\t... 3 more",
        "10:02 INFO  [consensus] block_committed height=4",
        "\tat not.a.trace.after.Info(X.java:1)",
        "ts=1 level=warn logger=Gossip peer dropped");
    assertThat(ChildLogs.problems(lines)).containsExactly(
        lines.get(1), lines.get(2), lines.get(3), lines.get(4), lines.get(5), lines.get(8));
  }

  @Test
  void theReportIsBoundedWhateverTheLogSize() throws Exception {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      lines.add("10:00 WARN flood line " + i);
    }
    Path log = Files.write(dir.resolve("node.log"), lines);
    String report = ChildLogs.report("t", log);
    assertThat(report.lines().count()).isLessThan(120);
    assertThat(report).contains("warnings and errors (10000 lines)").contains("flood line 9999").contains("... 9940 more");
  }

  @Test
  void aMissingLogIsReportedNotThrown() {
    assertThat(ChildLogs.report("t", dir.resolve("absent.log"))).contains("last 0 of 0 lines");
  }
}
