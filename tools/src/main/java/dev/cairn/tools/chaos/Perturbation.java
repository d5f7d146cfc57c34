package dev.cairn.tools.chaos;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One fault a campaign applies to one node of its testnet, {@code atSeconds} after the load starts, lasting
 * {@code lengthSeconds}; each heals by itself (a killed node is restarted, a paused one continued, a cut link
 * restored). {@link #healsAtSeconds()} is when the node is due back (its process running again or its links
 * restored; it may still be catching up).
 *
 * @param node index of the node in the testnet (validators first, then observers); for a partition, the first
 *     node of {@code side}
 * @param amount the kind's quantity ({@link Kind#amountKey()}): loss percent, bandwidth kbit/s, clock offset
 *     in seconds, delay in milliseconds; 0 for kinds without one
 * @param side the nodes cut off from all others by a partition; for {@code isolate} and {@code one-way}, the
 *     peers the node is cut from (manifest key {@code peers}; empty: every other node); empty for other kinds
 */
public record Perturbation(Kind kind, int node, double atSeconds, double lengthSeconds, double amount, List<Integer> side) {
  /** What is done to the node; {@code toml} is the manifest's name and {@code lengthKey} its length's key. */
  public enum Kind {
    /** SIGKILL (a crash or power loss), restarted on the same data dir {@code down-s} later. */
    KILL("kill", "down-s", null, false),
    /** SIGTERM (a clean stop: RocksDB closed, peers told), restarted {@code down-s} later. */
    RESTART("restart", "down-s", null, false),
    /** SIGSTOP, then SIGCONT {@code for-s} later: a stalled JVM, a VM migration, a long GC pause. */
    PAUSE("pause", "for-s", null, false),
    /**
     * SIGKILL, the node's data dir deleted (its key and config kept), restarted {@code down-s} later: it must
     * sync the whole chain from its peers and rejoin.
     */
    WIPE_AND_REJOIN("wipe-and-rejoin", "down-s", null, false),
    /** Every packet between the node and every other node dropped, both ways; clients still reach it. */
    ISOLATE("isolate", "for-s", null, true),
    /** The nodes of {@code side} and the others cannot exchange a packet, both ways (a split network). */
    PARTITION("partition", "for-s", null, true),
    /** What the node sends to other nodes is dropped; what they send it arrives (an asymmetric link). */
    ONE_WAY("one-way", "for-s", null, true),
    /** {@code percent} of the packets between the node and the other nodes dropped at random, each way. */
    LOSS("loss", "for-s", "percent", true),
    /** What the node sends limited to {@code kbit} kilobits a second (a token bucket on its link). */
    BANDWIDTH("bandwidth", "for-s", "kbit", true),
    /**
     * Every byte between the node and the other nodes held {@code ms} milliseconds (plus up to a tenth more,
     * seeded) each way, by a userspace TCP relay on the bridge: this kernel has no {@code netem}.
     */
    DELAY("delay", "for-s", "ms", true),
    /** The node's wall clock set {@code offset-s} seconds off (an NTP step), its monotonic clock untouched. */
    CLOCK_SKEW("clock-skew", "for-s", "offset-s", false),
    /**
     * The node's data disk filled to the last byte for {@code for-s}, then freed; a node that stopped on the
     * failed writes is started again then, as its supervisor would. Needs {@code disk-mib}.
     */
    DISK_FULL("disk-full", "for-s", null, false);

    private final String toml;
    private final String lengthKey;
    private final String amountKey;
    private final boolean network;

    Kind(String toml, String lengthKey, String amountKey, boolean network) {
      this.toml = toml;
      this.lengthKey = lengthKey;
      this.amountKey = amountKey;
      this.network = network;
    }

    public String toml() {
      return toml;
    }

    public String lengthKey() {
      return lengthKey;
    }

    /** The manifest key of the kind's quantity, or null when it has none. */
    public String amountKey() {
      return amountKey;
    }

    /** Needs the nodes in network namespaces (manifest key {@code namespaces = true}). */
    public boolean network() {
      return network;
    }

    static Kind parse(String text) {
      return Arrays.stream(values()).filter(k -> k.toml.equals(text)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("perturbation.kind '" + text + "' is not one of "
              + Arrays.stream(values()).map(Kind::toml).toList()));
    }
  }

  /** A fault of a kind without a quantity or side. */
  public Perturbation(Kind kind, int node, double atSeconds, double lengthSeconds) {
    this(kind, node, atSeconds, lengthSeconds, 0, List.of());
  }

  public Perturbation {
    Objects.requireNonNull(kind, "kind");
    side = List.copyOf(side);
    if (!(atSeconds >= 0) || !(lengthSeconds > 0) || Double.isInfinite(atSeconds) || Double.isInfinite(lengthSeconds)) {
      throw new IllegalArgumentException("a perturbation needs at >= 0 s and a length > 0 s, got at=" + atSeconds
          + " length=" + lengthSeconds);
    }
    switch (kind) {
      case LOSS -> require(amount >= 1 && amount <= 100 && amount == Math.rint(amount), "loss percent must be an integer in 1..100", amount);
      case BANDWIDTH -> require(amount >= 8 && amount <= 10_000_000 && amount == Math.rint(amount), "bandwidth kbit must be an integer in 8..10000000", amount);
      case DELAY -> require(amount >= 1 && amount <= 5_000 && amount == Math.rint(amount), "delay ms must be an integer in 1..5000", amount);
      case CLOCK_SKEW -> require(amount != 0 && Math.abs(amount) <= 86_400, "clock-skew offset-s must be non-zero, within a day", amount);
      default -> require(amount == 0, kind.toml() + " takes no amount", amount);
    }
    if (kind == Kind.PARTITION) {
      if (side.isEmpty() || side.get(0) != node || side.stream().distinct().count() != side.size()) {
        throw new IllegalArgumentException("partition.side must list distinct nodes, the first being node, got " + side);
      }
    } else if (kind == Kind.ISOLATE || kind == Kind.ONE_WAY) {
      if (side.contains(node) || side.stream().distinct().count() != side.size()) {
        throw new IllegalArgumentException(kind.toml() + ".peers must list distinct nodes other than node, got " + side);
      }
    } else if (!side.isEmpty()) {
      throw new IllegalArgumentException(kind.toml() + " takes no side or peers");
    }
  }

  private static void require(boolean ok, String what, double got) {
    if (!ok || Double.isNaN(got)) {
      throw new IllegalArgumentException(what + ", got " + got);
    }
  }

  /** The manifest key of {@link #side()}: {@code side} for a partition, {@code peers} for a partial cut. */
  public String sideKey() {
    return kind == Kind.PARTITION ? "side" : "peers";
  }

  public double healsAtSeconds() {
    return atSeconds + lengthSeconds;
  }

  /** The manifest's name for the kind, as written in TOML. */
  public String kindName() {
    return kind.toml();
  }
}
