package dev.cairn.p2p.gossip;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs src/test/js/gossip-peer.mjs (js-libp2p with @libp2p/gossipsub) as a child process. Its pinned
 * dependencies (the p2p fixture's package-lock.json) are installed with {@code npm ci} into target/js-gossip
 * once and reused while the lock file is unchanged. Commands go to its stdin, JSON events come from stdout.
 */
final class JsGossipPeer implements AutoCloseable {
  static final Path SOURCE = Path.of("src/test/js");
  static final Path WORK = Path.of("target/js-gossip");
  private static final long NPM_CI_TIMEOUT_SECONDS = 300;

  private final Process process;
  private final OutputStream stdin;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final StringBuffer stderr = new StringBuffer();

  private JsGossipPeer(Process process) {
    this.process = process;
    this.stdin = process.getOutputStream();
    pump(process.getInputStream(), lines::add, "js-gossip-out");
    pump(process.getErrorStream(), l -> stderr.append(l).append('\n'), "js-gossip-err");
  }

  /** Null when node and npm are both there, else the missing tool. */
  static String missingTool() {
    for (String tool : new String[] {"node", "npm"}) {
      try {
        Process p = new ProcessBuilder(tool, "--version").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
          return tool;
        }
      } catch (IOException | InterruptedException e) {
        return tool;
      }
    }
    return null;
  }

  static synchronized void install() throws Exception {
    Files.createDirectories(WORK);
    for (String f : new String[] {"package.json", "package-lock.json", "gossip-peer.mjs"}) {
      Files.copy(SOURCE.resolve(f), WORK.resolve(f), StandardCopyOption.REPLACE_EXISTING);
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
      throw new IllegalStateException("npm ci failed for the js gossip fixture:\n" + output);
    }
    Files.writeString(marker, lockHash);
  }

  static JsGossipPeer start(String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("node", "gossip-peer.mjs"));
    cmd.addAll(List.of(args));
    return new JsGossipPeer(new ProcessBuilder(cmd).directory(WORK.toFile()).start());
  }

  private static void pump(java.io.InputStream in, java.util.function.Consumer<String> sink, String name) {
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          sink.accept(line);
        }
      } catch (IOException e) {
        // the process ended
      }
    }, name);
    t.setDaemon(true);
    t.start();
  }

  void command(String line) throws IOException {
    stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    stdin.flush();
  }

  String await(String event, Predicate<String> test, long timeoutMillis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (System.nanoTime() < deadline) {
      for (String l : lines) {
        if (l.contains("\"event\":\"" + event + "\"") && test.test(l)) {
          return l;
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("js gossip peer never printed event=" + event + "; stdout=" + lines + " stderr=" + stderr);
  }

  static String field(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
    if (!m.find()) {
      throw new AssertionError("no field " + name + " in " + json);
    }
    return m.group(1);
  }

  static String firstAddr(String listeningLine) {
    Matcher m = Pattern.compile("\"addrs\":\\[\"([^\"]*)\"").matcher(listeningLine);
    if (!m.find()) {
      throw new AssertionError("no address in " + listeningLine);
    }
    return m.group(1);
  }

  @Override
  public void close() throws Exception {
    try {
      stdin.close(); // the fixture stops on stdin EOF
    } finally {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
  }
}
