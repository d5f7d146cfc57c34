package dev.cairn.tools.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.cairn.genesis.ConsensusParameters;
import dev.cairn.ledger.model.Limits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A campaign run: the testnet, the honest load and the faults, as written in a TOML manifest
 * (docs/reliability.md has the format). Every field is checked when read; a bad one names itself.
 *
 * @param seed feeds the load's choices (recipients, amounts, which node a client talks to)
 * @param durationSeconds the load and the faults run this long; faults must heal within it
 * @param healBoundSeconds after the last fault heals, every node must hold a new final block within this
 * @param namespaces each node runs in its own network namespace (needs root), which network faults need
 * @param diskMib each node's data dir is a filesystem of this many MiB of its own (a tmpfs; root), which
 *     {@code disk-full} needs; 0 for the machine's disk
 * @param blockBytesMax the genesis' {@code blockBytesMax} (most encoded bytes of one block); 0 for the default
 *     (8 MiB). A small one with {@code load.record-bytes} keeps blocks full while rounds change.
 */
public record Manifest(
    String name,
    long seed,
    int validators,
    int observers,
    long blockPeriodMillis,
    double durationSeconds,
    double healBoundSeconds,
    Load load,
    List<Perturbation> perturbations,
    boolean namespaces,
    int diskMib,
    int blockBytesMax) {

  /** Validators and observers together at most this many: one 2-core machine runs them all. */
  public static final int NODES_MAX = 10;
  public static final int SENDERS_MAX = 4096;

  /**
   * Honest client load: {@code senders} accounts offering {@code transfersPerSecond + recordsPerSecond} in all,
   * open-loop (each sender a share of the rate), each with at most {@code inFlightPerSender} transactions signed
   * and not yet final (consecutive nonces), and balance reads at {@code readsPerSecond}.
   *
   * @param inFlightPerSender the back-pressure: a sender's slots wait while this many of its transactions are in
   *     flight; with finality latency L seconds, {@code senders * inFlightPerSender / L} bounds the final rate
   * @param roleChangesPerSecond the genesis admin grants or revokes the member role of a few accounts that
   *     send nothing (so the senders' load is not refused), at this rate
   * @param validatorChangeEverySeconds every this many seconds each genesis validator votes the first
   *     observer into the validator set, the next time out of it (0: no votes; needs an observer)
   * @param recordBytes each record's value has this many bytes (0: a short text), up to
   *     {@link Limits#RECORD_VALUE_BYTES_MAX}: with a small {@code block-bytes-max}, blocks full to the limit
   */
  public record Load(int senders, double transfersPerSecond, double recordsPerSecond, double readsPerSecond,
      double roleChangesPerSecond, double validatorChangeEverySeconds, int recordBytes, int inFlightPerSender) {
    /** The default: enough that a sender's rate is not bound by one round trip, far below the mempool's bounds. */
    public static final int IN_FLIGHT_PER_SENDER_DEFAULT = 4;
    /** A sender's pending transactions stay well inside a node's per-sender and nonce-gap bounds. */
    public static final int IN_FLIGHT_PER_SENDER_MAX = 256;

    public Load {
      if (senders < 2 || senders > SENDERS_MAX) {
        throw new IllegalArgumentException("load.senders must be in 2.." + SENDERS_MAX + ", got " + senders);
      }
      for (double rate : new double[] {transfersPerSecond, recordsPerSecond, readsPerSecond, roleChangesPerSecond}) {
        if (!(rate >= 0) || Double.isInfinite(rate)) {
          throw new IllegalArgumentException("load rates must be >= 0 per second, got " + rate);
        }
      }
      if (validatorChangeEverySeconds != 0 && !(validatorChangeEverySeconds >= 5 && validatorChangeEverySeconds <= 3_600)) {
        throw new IllegalArgumentException("load.validator-change-every-s must be 0 (no votes) or in 5..3600, got "
            + validatorChangeEverySeconds);
      }
      if (recordBytes < 0 || recordBytes > Limits.RECORD_VALUE_BYTES_MAX) {
        throw new IllegalArgumentException("load.record-bytes must be in 0.." + Limits.RECORD_VALUE_BYTES_MAX + ", got "
            + recordBytes);
      }
      if (inFlightPerSender < 1 || inFlightPerSender > IN_FLIGHT_PER_SENDER_MAX) {
        throw new IllegalArgumentException("load.in-flight-per-sender must be in 1.." + IN_FLIGHT_PER_SENDER_MAX + ", got "
            + inFlightPerSender);
      }
    }

    /** Transfers, records and reads only, {@link #IN_FLIGHT_PER_SENDER_DEFAULT} in flight per sender. */
    public Load(int senders, double transfersPerSecond, double recordsPerSecond, double readsPerSecond) {
      this(senders, transfersPerSecond, recordsPerSecond, readsPerSecond, 0, 0, 0, IN_FLIGHT_PER_SENDER_DEFAULT);
    }
  }

  public Manifest {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("name must not be empty");
    }
    if (validators < 4) {
      throw new IllegalArgumentException("validators must be >= 4 (one may fail), got " + validators);
    }
    if (observers < 0 || validators + observers > NODES_MAX) {
      throw new IllegalArgumentException("validators + observers must be at most " + NODES_MAX + ", got "
          + validators + " + " + observers);
    }
    if (blockPeriodMillis < 50 || blockPeriodMillis > 60_000) {
      throw new IllegalArgumentException("block-period-ms must be in 50..60000, got " + blockPeriodMillis);
    }
    if (!(durationSeconds >= 5) || durationSeconds > 86_400) {
      throw new IllegalArgumentException("duration-s must be in 5..86400, got " + durationSeconds);
    }
    if (!(healBoundSeconds > 0) || healBoundSeconds > 3_600) {
      throw new IllegalArgumentException("heal-bound-s must be in (0, 3600], got " + healBoundSeconds);
    }
    if (load.validatorChangeEverySeconds() > 0 && observers < 1) {
      throw new IllegalArgumentException("load.validator-change-every-s votes the first observer in and out: it needs "
          + "observers >= 1");
    }
    if (blockBytesMax != 0 && (blockBytesMax < ConsensusParameters.BLOCK_BYTES_MIN || blockBytesMax > Limits.BLOCK_BYTES_MAX)) {
      throw new IllegalArgumentException("block-bytes-max must be 0 (the default) or in " + ConsensusParameters.BLOCK_BYTES_MIN
          + ".." + Limits.BLOCK_BYTES_MAX + ", got " + blockBytesMax);
    }
    perturbations = perturbations.stream().sorted(Comparator.comparingDouble(Perturbation::atSeconds)).toList();
    if (diskMib != 0 && (diskMib < 64 || diskMib > 16_384)) {
      throw new IllegalArgumentException("disk-mib must be 0 (the machine's disk) or in 64..16384, got " + diskMib);
    }
    for (Perturbation p : perturbations) {
      if (p.kind() == Perturbation.Kind.DISK_FULL && diskMib == 0) {
        throw new IllegalArgumentException("disk-full at " + p.atSeconds() + " s needs disk-mib (each node's data dir "
            + "on a filesystem of its own that can be filled; root)");
      }
      if (p.kind().network() && !namespaces) {
        throw new IllegalArgumentException(p.kindName() + " at " + p.atSeconds() + " s is a network fault: it needs "
            + "namespaces = true (each node in its own network namespace; root)");
      }
      for (int member : p.side()) {
        if (member < 0 || member >= validators + observers) {
          throw new IllegalArgumentException(p.kindName() + " at " + p.atSeconds() + " s names node " + member
              + "; nodes are 0.." + (validators + observers - 1));
        }
      }
      if (p.kind() == Perturbation.Kind.PARTITION && p.side().size() >= validators + observers) {
        throw new IllegalArgumentException("partition at " + p.atSeconds() + " s: side must leave some nodes out");
      }
      if (p.node() < 0 || p.node() >= validators + observers) {
        throw new IllegalArgumentException(p.kindName() + " at " + p.atSeconds() + " s names node " + p.node()
            + "; nodes are 0.." + (validators + observers - 1));
      }
      if (p.healsAtSeconds() > durationSeconds) {
        throw new IllegalArgumentException(p.kindName() + " of node " + p.node() + " heals at " + p.healsAtSeconds()
            + " s, after duration-s " + durationSeconds + "; every fault must heal while the load runs");
      }
    }
    for (int i = 0; i < perturbations.size(); i++) {
      for (int j = i + 1; j < perturbations.size(); j++) {
        Perturbation a = perturbations.get(i);
        Perturbation b = perturbations.get(j);
        if (a.node() == b.node() && b.atSeconds() < a.healsAtSeconds() + 1) {
          throw new IllegalArgumentException("node " + a.node() + ": " + b.kindName() + " at " + b.atSeconds()
              + " s starts before its " + a.kindName() + " has healed (+1 s); one fault per node at a time");
        }
      }
    }
  }

  /** A manifest with the default {@code blockBytesMax}. */
  public Manifest(String name, long seed, int validators, int observers, long blockPeriodMillis, double durationSeconds,
      double healBoundSeconds, Load load, List<Perturbation> perturbations, boolean namespaces, int diskMib) {
    this(name, seed, validators, observers, blockPeriodMillis, durationSeconds, healBoundSeconds, load, perturbations,
        namespaces, diskMib, 0);
  }

  public int nodes() {
    return validators + observers;
  }

  /** When the last fault heals (0 with no faults). */
  public double lastHealSeconds() {
    return perturbations.stream().mapToDouble(Perturbation::healsAtSeconds).max().orElse(0);
  }

  /** The largest number of faults active at one instant. */
  public int overlapMax() {
    int max = 0;
    for (Perturbation p : perturbations) {
      int active = 0;
      for (Perturbation q : perturbations) {
        if (q.atSeconds() <= p.atSeconds() && p.atSeconds() < q.healsAtSeconds()) {
          active++;
        }
      }
      max = Math.max(max, active);
    }
    return max;
  }

  private static final Set<String> TOP_KEYS = Set.of("name", "seed", "validators", "observers", "block-period-ms",
      "duration-s", "heal-bound-s", "load", "perturbation", "namespaces", "disk-mib", "block-bytes-max");
  private static final Set<String> LOAD_KEYS = Set.of("senders", "transfers-per-second", "records-per-second",
      "reads-per-second", "role-changes-per-second", "validator-change-every-s", "record-bytes", "in-flight-per-sender");
  private static final Set<String> FAULT_KEYS = Set.of("kind", "node", "at-s", "down-s", "for-s", "percent", "kbit",
      "offset-s", "ms", "side", "peers");

  /** Reads and checks a manifest file. */
  public static Manifest read(Path file) {
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read manifest " + file + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("manifest " + file + ": " + e.getMessage(), e);
    }
  }

  public static Manifest parse(String toml) {
    JsonNode root;
    try {
      root = new TomlMapper().readTree(toml);
    } catch (IOException e) {
      throw new IllegalArgumentException("not valid TOML: " + e.getMessage(), e);
    }
    unknownKeys(root, TOP_KEYS, "");
    JsonNode load = root.path("load");
    unknownKeys(load, LOAD_KEYS, "load.");
    List<Perturbation> faults = new ArrayList<>();
    for (JsonNode f : root.path("perturbation")) {
      unknownKeys(f, FAULT_KEYS, "perturbation.");
      int node = integer(f, "node", -1);
      double at = number(f, "at-s", -1);
      Perturbation.Kind kind = Perturbation.Kind.parse(f.path("kind").asText(""));
      List<Integer> side = new ArrayList<>();
      for (String key : List.of("side", "peers")) {
        if (!f.has(key)) {
          continue;
        }
        if (!f.get(key).isArray()) {
          throw new IllegalArgumentException(key + " must be an array of node indexes, got " + f.get(key));
        }
        if (key.equals("side") != (kind == Perturbation.Kind.PARTITION)) {
          throw new IllegalArgumentException(kind.toml() + " takes no " + key
              + " (side: partition; peers: isolate and one-way)");
        }
        for (JsonNode member : f.get(key)) {
          if (!member.isIntegralNumber() || !member.canConvertToInt()) {
            throw new IllegalArgumentException(key + " must be an array of node indexes, got " + f.get(key));
          }
          side.add(member.asInt());
        }
        if (node == -1 && !side.isEmpty() && key.equals("side")) {
          node = side.get(0);
        }
      }
      double amount = kind.amountKey() == null ? 0 : number(f, kind.amountKey(), Double.NaN);
      for (String key : List.of("percent", "kbit", "offset-s", "ms")) {
        if (f.has(key) && !key.equals(kind.amountKey())) {
          throw new IllegalArgumentException(kind.toml() + " takes no " + key);
        }
      }
      faults.add(new Perturbation(kind, node, at, number(f, kind.lengthKey(), -1), amount, side));
    }
    return new Manifest(
        root.path("name").asText(""),
        root.path("seed").asLong(1),
        integer(root, "validators", 4),
        integer(root, "observers", 0),
        integer(root, "block-period-ms", 500),
        number(root, "duration-s", 60),
        number(root, "heal-bound-s", 30),
        new Load(integer(load, "senders", 16), number(load, "transfers-per-second", 40),
            number(load, "records-per-second", 5), number(load, "reads-per-second", 5),
            number(load, "role-changes-per-second", 0), number(load, "validator-change-every-s", 0),
            integer(load, "record-bytes", 0), integer(load, "in-flight-per-sender", Load.IN_FLIGHT_PER_SENDER_DEFAULT)),
        faults,
        bool(root, "namespaces", false),
        integer(root, "disk-mib", 0),
        integer(root, "block-bytes-max", 0));
  }

  /** The manifest as TOML that {@link #parse} reads back to an equal manifest. */
  public String toToml() {
    StringBuilder out = new StringBuilder();
    out.append("name = \"").append(name.replace("\\", "\\\\").replace("\"", "\\\"")).append("\"\n");
    out.append("seed = ").append(seed).append('\n');
    out.append("validators = ").append(validators).append('\n');
    out.append("observers = ").append(observers).append('\n');
    out.append("block-period-ms = ").append(blockPeriodMillis).append('\n');
    out.append("duration-s = ").append(num(durationSeconds)).append('\n');
    out.append("heal-bound-s = ").append(num(healBoundSeconds)).append('\n');
    out.append("namespaces = ").append(namespaces).append('\n');
    out.append("disk-mib = ").append(diskMib).append('\n');
    out.append("block-bytes-max = ").append(blockBytesMax).append("\n\n");
    out.append("[load]\n");
    out.append("senders = ").append(load.senders()).append('\n');
    out.append("transfers-per-second = ").append(num(load.transfersPerSecond())).append('\n');
    out.append("records-per-second = ").append(num(load.recordsPerSecond())).append('\n');
    out.append("reads-per-second = ").append(num(load.readsPerSecond())).append('\n');
    out.append("role-changes-per-second = ").append(num(load.roleChangesPerSecond())).append('\n');
    out.append("validator-change-every-s = ").append(num(load.validatorChangeEverySeconds())).append('\n');
    out.append("record-bytes = ").append(load.recordBytes()).append('\n');
    out.append("in-flight-per-sender = ").append(load.inFlightPerSender()).append('\n');
    for (Perturbation p : perturbations) {
      out.append("\n[[perturbation]]\nkind = \"").append(p.kindName()).append("\"\nnode = ").append(p.node())
          .append("\nat-s = ").append(num(p.atSeconds())).append('\n');
      out.append(p.kind().lengthKey()).append(" = ").append(num(p.lengthSeconds())).append('\n');
      if (p.kind().amountKey() != null) {
        out.append(p.kind().amountKey()).append(" = ").append(num(p.amount())).append('\n');
      }
      if (!p.side().isEmpty()) {
        out.append(p.sideKey()).append(" = ").append(p.side()).append('\n');
      }
    }
    return out.toString();
  }

  private static String num(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) + ".0" : String.format(Locale.ROOT, "%.3f", v);
  }

  private static void unknownKeys(JsonNode node, Set<String> known, String prefix) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!known.contains(key)) {
        throw new IllegalArgumentException("unknown key '" + prefix + key + "'; known: " + known.stream().sorted().toList());
      }
    }
  }

  private static int integer(JsonNode node, String key, int otherwise) {
    JsonNode v = node.get(key);
    if (v == null) {
      return otherwise;
    }
    if (!v.canConvertToInt() || !v.isIntegralNumber()) {
      throw new IllegalArgumentException(key + " must be an integer, got " + v);
    }
    return v.asInt();
  }

  private static boolean bool(JsonNode node, String key, boolean otherwise) {
    JsonNode v = node.get(key);
    if (v == null) {
      return otherwise;
    }
    if (!v.isBoolean()) {
      throw new IllegalArgumentException(key + " must be true or false, got " + v);
    }
    return v.asBoolean();
  }

  private static double number(JsonNode node, String key, double otherwise) {
    JsonNode v = node.get(key);
    if (v == null) {
      return otherwise;
    }
    if (!v.isNumber()) {
      throw new IllegalArgumentException(key + " must be a number, got " + v);
    }
    return v.asDouble();
  }
}
