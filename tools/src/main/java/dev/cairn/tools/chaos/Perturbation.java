package dev.cairn.tools.chaos;

import java.util.Arrays;
import java.util.Objects;

/**
 * One fault a campaign applies to one node of its testnet, {@code atSeconds} after the load starts, lasting
 * {@code lengthSeconds}; each heals by itself (a killed node is restarted, a paused one continued).
 * {@link #healsAtSeconds()} is when the node is due back (its process running again; it may still be catching up).
 *
 * @param node index of the node in the testnet (validators first, then observers)
 */
public record Perturbation(Kind kind, int node, double atSeconds, double lengthSeconds) {
  /** What is done to the node; {@code toml} is the manifest's name and {@code lengthKey} its length's key. */
  public enum Kind {
    /** SIGKILL (a crash or power loss), restarted on the same data dir {@code down-s} later. */
    KILL("kill", "down-s"),
    /** SIGTERM (a clean stop: RocksDB closed, peers told), restarted {@code down-s} later. */
    RESTART("restart", "down-s"),
    /** SIGSTOP, then SIGCONT {@code for-s} later: a stalled JVM, a VM migration, a long GC pause. */
    PAUSE("pause", "for-s"),
    /**
     * SIGKILL, the node's data dir deleted (its key and config kept), restarted {@code down-s} later: it must
     * sync the whole chain from its peers and rejoin.
     */
    WIPE_AND_REJOIN("wipe-and-rejoin", "down-s");

    private final String toml;
    private final String lengthKey;

    Kind(String toml, String lengthKey) {
      this.toml = toml;
      this.lengthKey = lengthKey;
    }

    public String toml() {
      return toml;
    }

    public String lengthKey() {
      return lengthKey;
    }

    static Kind parse(String text) {
      return Arrays.stream(values()).filter(k -> k.toml.equals(text)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("perturbation.kind '" + text
              + "' is not one of kill, restart, pause, wipe-and-rejoin"));
    }
  }

  public Perturbation {
    Objects.requireNonNull(kind, "kind");
    if (!(atSeconds >= 0) || !(lengthSeconds > 0) || Double.isInfinite(atSeconds) || Double.isInfinite(lengthSeconds)) {
      throw new IllegalArgumentException("a perturbation needs at >= 0 s and a length > 0 s, got at=" + atSeconds
          + " length=" + lengthSeconds);
    }
  }

  public double healsAtSeconds() {
    return atSeconds + lengthSeconds;
  }

  /** The manifest's name for the kind, as written in TOML. */
  public String kindName() {
    return kind.toml();
  }
}
