package dev.cairn.tools.loadgen;

import dev.cairn.rpc.client.RpcAnswer;
import dev.cairn.rpc.client.RpcClient;
import dev.cairn.rpc.client.RpcError;
import dev.cairn.rpc.client.RpcTransportException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * One load run: submits the presigned transfers in JSON-RPC batches over several HTTP connections spread
 * round-robin over the nodes' RPC URLs, at a fixed rate or open loop, while a {@link FinalityTracker}
 * marks each transaction final when the block that holds it is announced. The clock starts after signing.
 */
public final class LoadRun {
  /** Transport failures (connection refused, timeout) count as rejections under this pseudo-code. */
  public static final int TRANSPORT_FAILURE_CODE = -1;
  private static final byte SENT = 1;
  private static final byte ACCEPTED = 2;
  private static final byte REJECTED = 3;

  /**
   * @param ratePerSecond target submit rate; 0 = open loop (each connection sends its next batch as soon as
   *     the previous one is answered)
   * @param rampSeconds within the warm-up, the rate rises linearly to the target over this long (see {@link
   *     SubmitSchedule}); 0 = the target rate from the start
   * @param drainSecondsMax how long to wait after the last submission for accepted transactions to be final
   */
  public record Settings(List<URI> rpcUrls, long ratePerSecond, int batchLength, int connections,
      double warmupSeconds, double rampSeconds, double durationSeconds, double drainSecondsMax) {
    public Settings {
      rpcUrls = List.copyOf(rpcUrls);
      if (rpcUrls.isEmpty() || batchLength < 1 || connections < 1 || ratePerSecond < 0 || durationSeconds <= 0 || warmupSeconds < 0) {
        throw new IllegalArgumentException("need RPC URLs, batch >= 1, connections >= 1, rate >= 0, duration > 0");
      }
      if (rampSeconds < 0 || rampSeconds > warmupSeconds || (rampSeconds > 0 && ratePerSecond == 0)) {
        throw new IllegalArgumentException("the ramp must fit in the warm-up and needs a target rate");
      }
    }

    double totalSeconds() {
      return warmupSeconds + durationSeconds;
    }
  }

  /** Callbacks at the measurement window's edges (to sample the node processes). */
  public interface WindowListener {
    void windowStarted();

    void windowEnded();

    /** Once a second while the run lasts (after the progress line), e.g. to sample memory. */
    default void everySecond(long nowNanos) {}
  }

  /**
   * What the run saw; the report adds process figures and the scenario.
   *
   * @param resubmitted batches sent again to another node after a transport failure
   * @param committedPerSecond txs final in [s, s+1) seconds after {@code startNanos}, index s
   * @param blocksInWindow blocks finalized in the window (empty ones included)
   */
  public record Outcome(long submitted, long accepted, long rejected, long committedInWindow, long lost,
      LatencyStats latency, Map<Integer, Long> rejectedByCode, long resubmitted, long startNanos,
      long[] committedPerSecond, long blocksInWindow) {}

  private final Settings settings;
  /** The fixed-rate schedule, or null for open loop. */
  private final SubmitSchedule schedule;
  private final PresignedLoad load;
  private final long[] sentAt;
  private final long[] finalAt;
  private final byte[] state;
  private final ConcurrentHashMap<Integer, LongAdder> rejectedByCode = new ConcurrentHashMap<>();
  private final AtomicInteger nextBatch = new AtomicInteger();
  private final LongAdder submitted = new LongAdder();
  private final LongAdder accepted = new LongAdder();
  private final LongAdder rejected = new LongAdder();
  private final LongAdder finalized = new LongAdder();
  private final LongAdder resubmitted = new LongAdder();
  private volatile long startNanos;

  public LoadRun(Settings settings, PresignedLoad load) {
    this.settings = settings;
    this.schedule = settings.ratePerSecond() > 0 ? new SubmitSchedule(settings.ratePerSecond(), settings.rampSeconds()) : null;
    this.load = load;
    this.sentAt = new long[load.size()];
    this.finalAt = new long[load.size()];
    this.state = new byte[load.size()];
  }

  /** Transactions a run of these settings can use at most (for presigning); open loop needs a guess. */
  public static int txsNeeded(Settings settings, long openLoopRateGuess) {
    double txs = settings.ratePerSecond() == 0
        ? (double) openLoopRateGuess * settings.totalSeconds()
        : new SubmitSchedule(settings.ratePerSecond(), settings.rampSeconds()).dueBy(settings.totalSeconds());
    return (int) Math.min(Integer.MAX_VALUE - 8, (long) Math.ceil(txs) + settings.batchLength());
  }

  public Outcome run(PrintStream progress, WindowListener window) throws InterruptedException, IOException {
    try (FinalityTracker tracker = FinalityTracker.open(settings.rpcUrls().getFirst(), this::markFinal)) {
      startNanos = System.nanoTime();
      List<Thread> workers = new ArrayList<>();
      for (int c = 0; c < settings.connections(); c++) {
        int first = c % settings.rpcUrls().size();
        workers.add(Thread.ofPlatform().name("submit-" + c).start(() -> submitLoop(first)));
      }
      long windowStart = startNanos + seconds(settings.warmupSeconds());
      long windowEnd = windowStart + seconds(settings.durationSeconds());
      boolean started = false;
      boolean ended = false;
      long lastCommitted = 0;
      long lastSubmitted = 0;
      long drainDeadline = Long.MAX_VALUE;
      while (true) {
        Thread.sleep(1000);
        long now = System.nanoTime();
        if (!started && now >= windowStart) {
          started = true;
          window.windowStarted();
        }
        if (!ended && now >= windowEnd) {
          ended = true;
          window.windowEnded();
        }
        long committed = finalized.sum();
        long sent = submitted.sum();
        progress.printf(Locale.ROOT, "t=%5.1fs submitted/s=%6d committed/s=%6d committed=%d pending=%d rejected=%d%s%n",
            (now - startNanos) / 1e9, sent - lastSubmitted, committed - lastCommitted, committed,
            Math.max(0, accepted.sum() - committed), rejected.sum(), started && !ended ? "" : (ended ? " (drain)" : " (warm-up)"));
        lastCommitted = committed;
        lastSubmitted = sent;
        window.everySecond(now);
        boolean submitting = workers.stream().anyMatch(Thread::isAlive);
        if (!submitting && drainDeadline == Long.MAX_VALUE) {
          drainDeadline = now + seconds(settings.drainSecondsMax());
        }
        if (ended && !submitting && (committed >= accepted.sum() || now >= drainDeadline)) {
          break;
        }
      }
      for (Thread w : workers) {
        w.join();
      }
      tracker.close();
      return outcome(windowStart, windowEnd, tracker.blocksBetween(windowStart, windowEnd));
    }
  }

  private Outcome outcome(long windowStart, long windowEnd, long blocksInWindow) {
    long inWindow = 0;
    long lost = 0;
    long[] latencies = new long[load.size()];
    int n = 0;
    for (int i = 0; i < load.size(); i++) {
      long f = finalAt[i];
      if (f >= windowStart && f < windowEnd) {
        inWindow++;
      }
      if (state[i] == ACCEPTED && f == 0) {
        lost++;
      }
      if (f != 0 && sentAt[i] >= windowStart && sentAt[i] < windowEnd) {
        latencies[n++] = f - sentAt[i];
      }
    }
    Map<Integer, Long> codes = new TreeMap<>();
    rejectedByCode.forEach((code, count) -> codes.put(code, count.sum()));
    return new Outcome(submitted.sum(), accepted.sum(), rejected.sum(), inWindow, lost,
        LatencyStats.ofNanos(java.util.Arrays.copyOf(latencies, n)), codes, resubmitted.sum(), startNanos,
        perSecond(finalAt, startNanos), blocksInWindow);
  }

  /** Histogram of final times by whole second since {@code startNanos}; 0 means "not final". */
  static long[] perSecond(long[] finalAtNanos, long startNanos) {
    int seconds = 0;
    for (long f : finalAtNanos) {
      if (f != 0) {
        seconds = Math.max(seconds, (int) ((f - startNanos) / 1_000_000_000L) + 1);
      }
    }
    long[] counts = new long[seconds];
    for (long f : finalAtNanos) {
      if (f != 0 && f >= startNanos) {
        counts[(int) ((f - startNanos) / 1_000_000_000L)]++;
      }
    }
    return counts;
  }

  /** Indexes (into the load) of every transaction this run saw final. */
  public java.util.BitSet finalTxs() {
    java.util.BitSet set = new java.util.BitSet(load.size());
    for (int i = 0; i < load.size(); i++) {
      if (finalAt[i] != 0) {
        set.set(i);
      }
    }
    return set;
  }

  /** Called by the tracker for each transaction id in a finalized block; {@code atNanos} = announcement time. */
  private void markFinal(String txId, long atNanos) {
    int i = load.indexOf(txId);
    if (i >= 0 && finalAt[i] == 0) {
      finalAt[i] = atNanos;
      finalized.increment();
    }
  }

  private void submitLoop(int firstUrl) {
    int url = firstUrl;
    // One connection pool per submitting thread, shared by its clients of every node.
    RpcClient pool = new RpcClient(settings.rpcUrls().getFirst(), Duration.ofSeconds(30));
    List<RpcClient> clients = settings.rpcUrls().stream().map(pool::at).toList();
    long endNanos = startNanos + seconds(settings.totalSeconds());
    int batchLength = settings.batchLength();
    while (true) {
      int from = nextBatch.getAndIncrement() * batchLength;
      if (from >= load.size() || from < 0) {
        return;
      }
      if (schedule != null) {
        long due = startNanos + (long) (schedule.dueSeconds(from) * 1e9);
        if (due >= endNanos) {
          return;
        }
        for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
          LockSupport.parkNanos(wait);
        }
      } else if (System.nanoTime() >= endNanos) {
        return;
      }
      int to = Math.min(load.size(), from + batchLength);
      url = sendBatch(clients, url, from, to);
    }
  }

  /**
   * Sends one batch to node {@code urlIndex}; on a transport failure (a node killed or restarting) the same
   * batch goes to the next node, once per node at most. Returns the node to use for the next batch.
   */
  private int sendBatch(List<RpcClient> clients, int urlIndex, int from, int to) {
    List<String> raw = load.rawHex(from, to);
    long now = System.nanoTime();
    for (int i = from; i < to; i++) {
      sentAt[i] = now;
      state[i] = SENT;
    }
    submitted.add(to - from);
    for (int attempt = 0; attempt < clients.size(); attempt++) {
      int u = (urlIndex + attempt) % clients.size();
      if (attempt > 0) {
        resubmitted.increment();
      }
      if (sendTo(clients.get(u), raw, from, to)) {
        return u;
      }
    }
    reject(from, to, TRANSPORT_FAILURE_CODE);
    return urlIndex;
  }

  /** False on a transport failure (nothing learned about the batch); true once the node answered. */
  private boolean sendTo(RpcClient client, List<String> raw, int from, int to) {
    List<RpcAnswer> answers;
    try {
      answers = client.sendTransactions(raw);
    } catch (RpcError refusedAsAWhole) {
      reject(from, to, refusedAsAWhole.code());
      return true;
    } catch (RpcTransportException e) {
      return false;
    }
    for (int k = 0; k < answers.size(); k++) {
      int i = from + k;
      switch (answers.get(k)) {
        case RpcAnswer.Failure f -> reject(i, i + 1, f.error().code());
        case RpcAnswer.Result r -> {
          state[i] = ACCEPTED;
          accepted.increment();
        }
      }
    }
    return true;
  }

  private void reject(int from, int to, int code) {
    for (int i = from; i < to; i++) {
      state[i] = REJECTED;
    }
    rejected.add(to - from);
    rejectedByCode.computeIfAbsent(code, c -> new LongAdder()).add(to - from);
  }

  private static long seconds(double s) {
    return (long) (s * TimeUnit.SECONDS.toNanos(1));
  }
}
