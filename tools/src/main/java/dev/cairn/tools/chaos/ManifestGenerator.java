package dev.cairn.tools.chaos;

import dev.cairn.ledger.model.Limits;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random but seed-reproducible manifests: a testnet of 4 or 5 validators and at most one observer, honest
 * load, and at least three faults that overlap in time (each starts while the previous ones are still
 * active), all healed well before the end so that recovery is judged; the load mixes transfers, records and
 * reads with, on some seeds, role changes, validator-set votes (the observer voted in and out) and records
 * large enough to fill a small block limit. The same seed always gives the same manifest, so a failing
 * campaign run is reproduced from its seed alone.
 */
public final class ManifestGenerator {
  /** Each node's own data filesystem in namespaced manifests, so that {@code disk-full} can be drawn. */
  static final int NAMESPACED_DISK_MIB = 256;
  /** The block limit of manifests drawn with large records: ~15 records of 4 KiB fill a block. */
  static final int LARGE_BLOCK_BYTES_MAX = 65_536;
  /** Mixed into the seed for the load kinds' own random stream (an arbitrary odd constant). */
  private static final long LOAD_KINDS_STREAM = 0x6C6F61644B696E64L;
  private final double durationSeconds;
  private final boolean namespaces;

  /** @param durationSeconds each manifest's load duration; at least 40 s leaves room for faults and healing */
  public ManifestGenerator(double durationSeconds) {
    this(durationSeconds, false);
  }

  /**
   * @param namespaces also generate network faults (isolate, partition, one-way, loss, bandwidth), clock
   *     skews and full disks, with every node in its own network namespace and data filesystem; false keeps the process faults only, and the
   *     same manifests for the same seeds as before network faults existed
   */
  public ManifestGenerator(double durationSeconds, boolean namespaces) {
    if (durationSeconds < 40) {
      throw new IllegalArgumentException("generated manifests need duration-s >= 40, got " + durationSeconds);
    }
    this.durationSeconds = durationSeconds;
    this.namespaces = namespaces;
  }

  public Manifest generate(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int validators = 4 + random.nextInt(2);
    int observers = random.nextInt(2);
    int nodes = validators + observers;
    // Faults start after a short warm-up and heal at least 15 s before the end, so recovery is observed.
    double first = 5;
    double last = durationSeconds - 15;
    List<Perturbation> faults = new ArrayList<>();
    double[] busyUntil = new double[nodes];
    int wanted = 3 + random.nextInt(4);
    double clusterStart = first + random.nextDouble() * Math.max(0, (last - first) / 3);
    for (int attempt = 0; faults.size() < wanted && attempt < wanted * 20; attempt++) {
      double at = round1(clusterStart + random.nextDouble() * 8);
      double length = round1(3 + random.nextDouble() * Math.min(20, last - at - 3));
      if (at + length > last || length < 1) {
        clusterStart = first + random.nextDouble() * Math.max(0, (last - first) / 3);
        continue;
      }
      int node = random.nextInt(nodes);
      if (busyUntil[node] + 1 > at) {
        continue;
      }
      int kind = random.nextInt(100);
      Perturbation p = namespaces ? anyFault(random, kind, node, nodes, at, length)
          : new Perturbation(kind < 35 ? Perturbation.Kind.KILL
          : kind < 60 ? Perturbation.Kind.PAUSE
          : kind < 80 ? Perturbation.Kind.RESTART
          : Perturbation.Kind.WIPE_AND_REJOIN, node, at, length);
      faults.add(p);
      busyUntil[node] = p.healsAtSeconds();
      // The next fault starts while this one is active more often than not.
      if (random.nextInt(4) == 0) {
        clusterStart = round1(Math.min(last - 4, at + length / 2));
      }
    }
    int senders = 8 + random.nextInt(25);
    double transfers = 20 + random.nextInt(60);
    double records = random.nextInt(10);
    double reads = 2 + random.nextInt(8);
    long blockPeriodMillis = 250 + 250L * random.nextInt(3);
    // The other load kinds come from a stream of their own, so that a seed keeps the topology, faults and
    // rates it drew before these kinds existed (a failure found then is still reproduced by its seed).
    SplittableRandom kinds = new SplittableRandom(seed ^ LOAD_KINDS_STREAM);
    double roleChanges = kinds.nextInt(3) == 0 ? 0 : 0.5 * (1 + kinds.nextInt(4));
    double validatorChangeEvery = observers > 0 && kinds.nextBoolean() ? 10 + kinds.nextInt(21) : 0;
    int recordBytes = 0;
    int blockBytesMax = 0;
    if (kinds.nextInt(3) == 0) {
      // Large blocks while rounds change: records of up to the largest value, offered faster than a small
      // block limit holds them, so blocks are full to blockBytesMax when faults make rounds time out.
      // 3,000+ bytes at 100+ a second is more than a 64 KiB block every 250 ms holds (262 KB/s).
      recordBytes = 3_000 + kinds.nextInt(Limits.RECORD_VALUE_BYTES_MAX - 3_000 + 1);
      blockBytesMax = LARGE_BLOCK_BYTES_MAX;
      records = 100 + kinds.nextInt(61);
      senders = Math.max(senders, 128);
    }
    Manifest.Load load = new Manifest.Load(senders, transfers, records, reads, roleChanges, validatorChangeEvery,
        recordBytes, Manifest.Load.IN_FLIGHT_PER_SENDER_DEFAULT);
    return new Manifest("generated-" + Long.toUnsignedString(seed), seed, validators, observers, blockPeriodMillis,
        durationSeconds, 45, load, faults, namespaces, namespaces ? NAMESPACED_DISK_MIB : 0, blockBytesMax);
  }

  /** A process, network or clock fault, {@code kind} being a draw in 0..99. */
  private static Perturbation anyFault(SplittableRandom random, int kind, int node, int nodes, double at, double length) {
    if (kind < 15) {
      return new Perturbation(Perturbation.Kind.KILL, node, at, length);
    } else if (kind < 25) {
      return new Perturbation(Perturbation.Kind.PAUSE, node, at, length);
    } else if (kind < 33) {
      return new Perturbation(Perturbation.Kind.RESTART, node, at, length);
    } else if (kind < 40) {
      return new Perturbation(Perturbation.Kind.WIPE_AND_REJOIN, node, at, length);
    } else if (kind < 52) {
      return new Perturbation(Perturbation.Kind.ISOLATE, node, at, length);
    } else if (kind < 62) {
      List<Integer> side = new ArrayList<>(List.of(node));
      int size = 1 + random.nextInt(Math.max(1, nodes / 2));
      while (side.size() < size) {
        int other = random.nextInt(nodes);
        if (!side.contains(other)) {
          side.add(other);
        }
      }
      return new Perturbation(Perturbation.Kind.PARTITION, node, at, length, 0, side);
    } else if (kind < 72) {
      return new Perturbation(Perturbation.Kind.ONE_WAY, node, at, length);
    } else if (kind < 80) {
      return new Perturbation(Perturbation.Kind.LOSS, node, at, length, 10 + random.nextInt(51), List.of());
    } else if (kind < 84) {
      return new Perturbation(Perturbation.Kind.DELAY, node, at, length, 50 + random.nextInt(351), List.of());
    } else if (kind < 92) {
      return new Perturbation(Perturbation.Kind.BANDWIDTH, node, at, length, 64 << random.nextInt(6), List.of());
    } else if (kind < 96) {
      int seconds = 1 + random.nextInt(30);
      return new Perturbation(Perturbation.Kind.CLOCK_SKEW, node, at, length, random.nextBoolean() ? seconds : -seconds,
          List.of());
    } else {
      return new Perturbation(Perturbation.Kind.DISK_FULL, node, at, length);
    }
  }

  /**
   * {@code cycles} SIGKILLs of a random validator (never two down at once), one every {@code everySeconds},
   * each restarted {@code downSeconds} later, under {@code ratePerSecond} transfers offered by {@code senders}
   * with up to {@code inFlightPerSender} transactions in flight each.
   */
  public static Manifest killCycles(long seed, int validators, int cycles, double everySeconds, double downSeconds,
      int senders, double ratePerSecond, int inFlightPerSender) {
    if (cycles < 1) {
      throw new IllegalArgumentException("--kill-cycles must be at least 1, got " + cycles);
    }
    if (downSeconds + 1 >= everySeconds) {
      throw new IllegalArgumentException("--down-s + 1 must be below --every-s, so one validator is down at a time");
    }
    SplittableRandom random = new SplittableRandom(seed);
    List<Perturbation> kills = new ArrayList<>();
    for (int i = 0; i < cycles; i++) {
      kills.add(new Perturbation(Perturbation.Kind.KILL, random.nextInt(validators), 10 + i * everySeconds, downSeconds));
    }
    double duration = 10 + cycles * everySeconds + 15;
    return new Manifest("kill-cycles-" + cycles, seed, validators, 0, 250, duration, 45,
        new Manifest.Load(senders, ratePerSecond, 0, 5, 0, 0, 0, inFlightPerSender), kills, false, 0);
  }

  private static double round1(double v) {
    return Math.round(v * 10) / 10.0;
  }
}
