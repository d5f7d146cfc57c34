package dev.cairn.p2p.interop;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
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
 * Runs the js-libp2p fixture (src/test/js/peer.mjs) as a child process. The fixture's pinned dependencies
 * are installed with {@code npm ci} into target/js-interop once and reused while the lock file is unchanged.
 */
final class JsPeer implements AutoCloseable {
  static final Path SOURCE = Path.of("src/test/js");
  static final Path WORK = Path.of("target/js-interop");
  private static final long NPM_CI_TIMEOUT_SECONDS = 300;

  private final Process process;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final StringBuilder stderr = new StringBuilder();

  private JsPeer(Process process) {
    this.process = process;
    Thread t = new Thread(() -> pump(new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)), true), "js-peer-out");
    t.setDaemon(true);
    t.start();
    Thread e = new Thread(() -> pump(new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8)), false), "js-peer-err");
    e.setDaemon(true);
    e.start();
  }

  /** Null when node or npm is missing on this machine. */
  static String missingTool() {
    for (String tool : new String[] {"node", "npm"}) {
      try {
        Process p = new ProcessBuilder(tool, "--version").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) return tool;
      } catch (IOException | InterruptedException e) {
        return tool;
      }
    }
    return null;
  }

  /** Copies the fixture into target/ and runs npm ci unless the same lock file is already installed. */
  static synchronized void install() throws Exception {
    Files.createDirectories(WORK);
    for (String f : new String[] {"package.json", "package-lock.json", "peer.mjs"}) {
      Files.copy(SOURCE.resolve(f), WORK.resolve(f), StandardCopyOption.REPLACE_EXISTING);
    }
    String lockHash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(WORK.resolve("package-lock.json"))));
    Path marker = WORK.resolve("node_modules/.cairn-lock-sha256");
    if (Files.exists(marker) && Files.readString(marker).equals(lockHash)) return;
    Process p = new ProcessBuilder("npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund")
        .directory(WORK.toFile()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(NPM_CI_TIMEOUT_SECONDS, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("npm ci failed for the js-libp2p fixture:\n" + output);
    }
    Files.writeString(marker, lockHash);
  }

  static JsPeer start(String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("node", "peer.mjs"));
    cmd.addAll(List.of(args));
    return new JsPeer(new ProcessBuilder(cmd).directory(WORK.toFile()).start());
  }

  private void pump(BufferedReader r, boolean out) {
    try {
      String line;
      while ((line = r.readLine()) != null) {
        if (out) lines.add(line); else synchronized (stderr) { stderr.append(line).append('\n'); }
      }
    } catch (IOException e) {
      // the process ended
    }
  }

  /** Waits for an output line that names {@code event} and satisfies {@code test}. */
  String await(String event, Predicate<String> test, long timeoutMillis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (System.nanoTime() < deadline) {
      for (String l : lines) if (l.contains("\"event\":\"" + event + "\"") && test.test(l)) return l;
      Thread.sleep(20);
    }
    throw new AssertionError("js peer never printed event=" + event + "; stdout=" + lines + " stderr=" + stderrText());
  }

  List<String> lines() {
    return List.copyOf(lines);
  }

  String stderrText() {
    synchronized (stderr) {
      return stderr.toString();
    }
  }

  static String field(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
    if (!m.find()) throw new AssertionError("no field " + name + " in " + json);
    return m.group(1);
  }

  static String firstAddr(String listeningLine) {
    Matcher m = Pattern.compile("\"addrs\":\\[\"([^\"]*)\"").matcher(listeningLine);
    if (!m.find()) throw new AssertionError("no address in " + listeningLine);
    return m.group(1);
  }

  @Override
  public void close() throws Exception {
    try {
      process.getOutputStream().close(); // the fixture stops on stdin EOF
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }
}
