package dev.cairn.node.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The independent JavaScript client (clients/js, written from docs/formats.md) against the real node: a
 * {@code cairn devnet} child JVM, then {@code npm ci} of the client's pinned packages into target/js-client
 * (once per lock file) and {@code node demo.mjs}, which checks the vectors file, makes a key, funds it from
 * the devnet's prefunded account, puts a record, waits for finality over WebSocket, reads both back and
 * verifies their state proofs trusting only genesis.json's validators. Skipped, saying why, when node or npm
 * is missing. Output: target/e2e/js-client.log and the node's log next to it.
 */
class JsClientIT {
  private static final Path CLIENT = Path.of("../clients/js");
  private static final Path VECTORS = Path.of("../docs/vectors/cairn-vectors.json");
  private static final Path WORK = Path.of("target/js-client");
  private static final long NPM_CI_TIMEOUT_SECONDS = 300;
  /** Two finalities and a few calls on a loaded machine; the client's own finality timeout is 90 s. */
  private static final long CLIENT_TIMEOUT_SECONDS = 240;

  @TempDir Path dir;

  @Test
  void independentClientTransactsAndVerifiesProofsAgainstADevnet() throws Exception {
    String missing = missingTool();
    Assumptions.assumeTrue(missing == null,
        "JsClientIT skipped: '" + missing + "' is not installed; the JavaScript client needs Node 20 and npm");
    install();
    try (DevnetProcess node = DevnetProcess.start(dir.resolve("devnet"), Path.of("target", "e2e", "js-client-node.log"))) {
      URI rpc = node.awaitRpc();
      Path log = Path.of("target", "e2e", "js-client.log").toAbsolutePath();
      Process client = new ProcessBuilder("node", "demo.mjs", "--rpc", rpc.toString(),
          "--genesis", dir.resolve("devnet/genesis.json").toAbsolutePath().toString(),
          "--key", dir.resolve("devnet/dev-account.key").toAbsolutePath().toString(),
          "--vectors", VECTORS.toAbsolutePath().normalize().toString())
          .directory(WORK.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      boolean exited = client.waitFor(CLIENT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      if (!exited) {
        client.destroyForcibly();
      }
      String output = Files.readString(log, StandardCharsets.UTF_8);
      assertThat(exited).as("the client did not finish within %d s:%n%s", CLIENT_TIMEOUT_SECONDS, output).isTrue();
      assertThat(client.exitValue()).as("client exit code; output:%n%s%nnode log: %s", output, node.log()).isZero();
      assertThat(output).contains("ok vectors:", "ok account proof verified", "ok record proof verified",
          "height 0 (certificate_below_quorum)", "cairn-js-client: all checks passed");
    }
  }

  /** Null when node and npm both answer, else the missing one. */
  private static String missingTool() {
    for (String tool : List.of("node", "npm")) {
      try {
        Process p = new ProcessBuilder(tool, "--version").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
          return tool;
        }
      } catch (IOException e) {
        return tool;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return tool;
      }
    }
    return null;
  }

  /** Copies the client into target/ and runs npm ci unless the same lock file is already installed there. */
  private static void install() throws Exception {
    Files.createDirectories(WORK);
    try (Stream<Path> files = Files.list(CLIENT)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".mjs") || p.getFileName().toString().startsWith("package")).toList()) {
        Files.copy(f, WORK.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    String lockHash = HexFormat.of().formatHex(
        MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(WORK.resolve("package-lock.json"))));
    Path marker = WORK.resolve("node_modules/.cairn-lock-sha256");
    if (Files.exists(marker) && Files.readString(marker).equals(lockHash)) {
      return;
    }
    Process p = new ProcessBuilder("npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund")
        .directory(WORK.toFile()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(NPM_CI_TIMEOUT_SECONDS, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("npm ci failed for clients/js:\n" + output);
    }
    Files.writeString(marker, lockHash);
  }
}
