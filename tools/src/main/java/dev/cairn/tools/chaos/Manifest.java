package dev.cairn.tools.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
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
    int diskMib) {

  /** Validators and observers together at most this many: one 2-core machine runs them all. */
  public static final int NODES_MAX = 10;
  public static final int SENDERS_MAX = 4096;

  /**
   * Honest client load: {@code senders} accounts each sending one transaction at a time (the next only after
   * the previous is final or found lost), at most {@code transfersPerSecond + recordsPerSecond} in all, and
   * balance reads at {@code readsPerSecond}.
   */
  public record Load(int senders, double transfersPerSecond, double recordsPerSecond, double readsPerSecond) {
    public Load {
      if (senders < 2 || senders > SENDERS_MAX) {
        throw new IllegalArgumentException("load.senders must be in 2.." + SENDERS_MAX + ", got " + senders);
      }
      for (double rate : new double[] {transfersPerSecond, recordsPerSecond, readsPerSecond}) {
        if (!(rate >= 0) || Double.isInfinite(rate)) {
          throw new IllegalArgumentException("load rates must be >= 0 per second, got " + rate);
        }
      }
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
          throw new IllegalArgumentException("partition at " + p.atSeconds() + " s names node " + member
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
      "duration-s", "heal-bound-s", "load", "perturbation", "namespaces", "disk-mib");
  private static final Set<String> LOAD_KEYS = Set.of("senders", "transfers-per-second", "records-per-second",
      "reads-per-second");
  private static final Set<String> FAULT_KEYS = Set.of("kind", "node", "at-s", "down-s", "for-s", "percent", "kbit",
      "offset-s", "side");

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
      if (f.has("side")) {
        if (!f.get("side").isArray()) {
          throw new IllegalArgumentException("side must be an array of node indexes, got " + f.get("side"));
        }
        for (JsonNode member : f.get("side")) {
          if (!member.isIntegralNumber() || !member.canConvertToInt()) {
            throw new IllegalArgumentException("side must be an array of node indexes, got " + f.get("side"));
          }
          side.add(member.asInt());
        }
        if (node == -1 && !side.isEmpty()) {
          node = side.get(0);
        }
      }
      double amount = kind.amountKey() == null ? 0 : number(f, kind.amountKey(), Double.NaN);
      for (String key : List.of("percent", "kbit", "offset-s")) {
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
            number(load, "records-per-second", 5), number(load, "reads-per-second", 5)),
        faults,
        bool(root, "namespaces", false),
        integer(root, "disk-mib", 0));
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
    out.append("disk-mib = ").append(diskMib).append("\n\n");
    out.append("[load]\n");
    out.append("senders = ").append(load.senders()).append('\n');
    out.append("transfers-per-second = ").append(num(load.transfersPerSecond())).append('\n');
    out.append("records-per-second = ").append(num(load.recordsPerSecond())).append('\n');
    out.append("reads-per-second = ").append(num(load.readsPerSecond())).append('\n');
    for (Perturbation p : perturbations) {
      out.append("\n[[perturbation]]\nkind = \"").append(p.kindName()).append("\"\nnode = ").append(p.node())
          .append("\nat-s = ").append(num(p.atSeconds())).append('\n');
      out.append(p.kind().lengthKey()).append(" = ").append(num(p.lengthSeconds())).append('\n');
      if (p.kind().amountKey() != null) {
        out.append(p.kind().amountKey()).append(" = ").append(num(p.amount())).append('\n');
      }
      if (!p.side().isEmpty()) {
        out.append("side = ").append(p.side()).append('\n');
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
