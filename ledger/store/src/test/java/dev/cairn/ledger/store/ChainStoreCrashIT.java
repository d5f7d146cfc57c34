package dev.cairn.ledger.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.model.Block;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a child JVM that commits blocks as fast as it can (SIGKILL, at random moments), several times, and
 * checks after each kill that the store reopens at a consistent committed height: at or above every height
 * whose commit returned, the chain verifies, the flat state hashes to the head's state root, and nothing of a
 * later block is stored. A failure prints the seed; rerun with -Dcairn.crash.seed=SEED.
 */
class ChainStoreCrashIT {
  /** Six kills by default; a longer soak: mvn verify -pl ledger/store -Dcairn.crash.kills=200. */
  private static final int KILLS = Integer.getInteger("cairn.crash.kills", 6);
  private static final long FIRST_COMMIT_WAIT_MILLIS = 60_000;
  private static final int KILL_DELAY_MILLIS_MAX = 400;
  /** Spans JVM start-up, store opening and the first commits. */
  private static final int ANY_MOMENT_MILLIS_MAX = 2500;

  @TempDir Path dir;

  @Test
  void storeReopensConsistentAfterRepeatedSigkill() throws Exception {
    killRepeatedly(false);
  }

  /**
   * The same with pruning on: the child prunes in tiny steps on a second thread while it commits, so kills
   * land inside pruning batches too. After each kill every retained height's tree must be complete.
   */
  @Test
  void pruningStoreReopensConsistentAfterRepeatedSigkill() throws Exception {
    killRepeatedly(true);
  }

  private void killRepeatedly(boolean prune) throws Exception {
    long seed = Long.getLong("cairn.crash.seed", System.nanoTime());
    Random random = new Random(seed);
    String context = "seed=" + seed + " (rerun with -Dcairn.crash.seed=" + seed + ")";
    Path store = dir.resolve("chain");
    long previousHead = -1;
    for (int kill = 0; kill < KILLS; kill++) {
      AtomicLong reported = new AtomicLong(-1);
      Path log = dir.resolve("child-" + kill + ".log");
      Process child = startChild(store, seed + kill, log, reported, prune);
      // Mostly kill while blocks are being committed; sometimes at any moment, start-up included.
      if (kill % 3 != 2) {
        awaitCommit(child, reported, log, context);
        Thread.sleep(random.nextInt(KILL_DELAY_MILLIS_MAX));
      } else {
        Thread.sleep(random.nextInt(ANY_MOMENT_MILLIS_MAX));
      }
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).as(context).isTrue();
      long head = checkConsistent(store, reported.get(), context + " kill=" + kill, prune);
      assertThat(head).as("head went backwards " + context).isGreaterThanOrEqualTo(previousHead);
      System.out.printf("crash test kill=%d reportedHeight=%d reopenedHead=%d %s%n", kill, reported.get(), head, context);
      previousHead = head;
    }
    assertThat(previousHead).as("no block committed at all " + context).isPositive();
    if (prune) {
      try (ChainStore reopened = ChainStore.open(store, CrashWriter.config(true))) {
        assertThat(reopened.bodiesRetainedFrom()).as("no block body was pruned " + context).isGreaterThan(1);
        assertThat(reopened.stateRetainedFrom()).as("no state was pruned " + context).isPositive();
      }
    }
  }

  private static Process startChild(Path store, long seed, Path log, AtomicLong reported, boolean prune) throws IOException {
    String java = ProcessHandle.current().info().command().orElseThrow();
    Process child = new ProcessBuilder(java, "-Xmx256m", "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
        CrashWriter.class.getName(), store.toString(), Long.toString(seed), prune ? "prune" : "keep")
        .redirectError(log.toFile())
        .start();
    Thread reader = new Thread(() -> readReports(child, reported), "crash-child-reader");
    reader.setDaemon(true);
    reader.start();
    return child;
  }

  private static void readReports(Process child, AtomicLong reported) {
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (line.startsWith("committed ")) {
          reported.set(Long.parseLong(line.substring("committed ".length())));
        }
      }
    } catch (IOException e) {
      // The child was killed: its pipe closes, nothing more to read.
    }
  }

  private static void awaitCommit(Process child, AtomicLong reported, Path log, String context) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FIRST_COMMIT_WAIT_MILLIS);
    while (reported.get() < 0) {
      if (!child.isAlive() || System.nanoTime() > deadline) {
        child.destroyForcibly();
        throw new AssertionError("child made no commit " + context + "; its stderr:\n" + Files.readString(log));
      }
      Thread.sleep(5);
    }
  }

  /** Reopens the store and checks it; returns the head height (-1 for a store killed before genesis). */
  private static long checkConsistent(Path dir, long reportedHeight, String context, boolean prune) {
    try (ChainStore store = ChainStore.open(dir, CrashWriter.config(prune))) {
      long head = store.head().map(ChainHead::height).orElse(-1L);
      assertThat(head).as("a commit that returned was lost " + context).isGreaterThanOrEqualTo(reportedHeight);
      ChainVerifier verifier = new ChainVerifier(store);
      VerificationResult chain = verifier.verify(ChainVerifier.Progress.NONE);
      assertThat(chain.passed()).as(chain + " " + context).isTrue();
      VerificationResult state = verifier.verifyState();
      assertThat(state.passed()).as(state + " " + context).isTrue();
      checkEveryIndexedTxHasItsBlock(store, head, context);
      if (prune) {
        checkRetainedTreesComplete(store, head, context);
      }
      return head;
    }
  }

  /** Every node of every retained height's tree is stored: pruning never deleted what a retained root needs. */
  private static void checkRetainedTreesComplete(ChainStore store, long head, String context) {
    long from = Math.max(0, store.stateRetainedFrom());
    assertThat(from).as("state retained beyond the head " + context).isLessThanOrEqualTo(Math.max(0, head));
    for (long h = from; h <= head; h++) {
      java.util.ArrayDeque<Hash> todo = new java.util.ArrayDeque<>(java.util.List.of(store.header(h).orElseThrow().stateRoot()));
      while (!todo.isEmpty()) {
        Hash node = todo.pop();
        if (node.equals(dev.cairn.ledger.state.SparseMerkleTree.EMPTY_ROOT)) {
          continue;
        }
        byte[] encoding = store.rocks().get(ColumnFamily.STATE_NODES, node.unsafeArray());
        assertThat(encoding).as("node " + node.shortHex() + " of the tree at retained height " + h + " " + context).isNotNull();
        if (encoding[0] == 0x01) {
          todo.push(Hash.wrap(java.util.Arrays.copyOfRange(encoding, 1, 33)));
          todo.push(Hash.wrap(java.util.Arrays.copyOfRange(encoding, 33, 65)));
        }
      }
    }
  }

  private static void checkEveryIndexedTxHasItsBlock(ChainStore store, long head, String context) {
    store.rocks().iterate(ColumnFamily.TX_INDEX, it -> {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        Hash txId = Hash.wrap(it.key());
        dev.cairn.ledger.model.TxPosition position = StoreCodec.decodeTxPosition(it.value());
        assertThat(position.height()).as("tx indexed above head " + context).isLessThanOrEqualTo(head);
        Block block = store.block(position.height()).orElseThrow(() ->
            new AssertionError("indexed tx " + txId.shortHex() + " has no block " + context));
        assertThat(block.transactions().get(position.index()).id()).as(context).isEqualTo(txId);
      }
      return null;
    });
  }
}
