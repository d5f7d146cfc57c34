package dev.cairn.tools.chaos;

/**
 * One fault a campaign applies to one node of its testnet, at {@code atSeconds} after the load starts. Each
 * heals by itself: a killed node is restarted, a paused one continued. {@link #healsAtSeconds()} is when the
 * node is back (its process running again; it may still be catching up).
 */
public sealed interface Perturbation {
  /** Index of the node in the testnet (validators first, then observers). */
  int node();

  double atSeconds();

  double healsAtSeconds();

  /** The manifest's name for the kind, as written in TOML. */
  String kind();

  /** SIGKILL (a crash or power loss), restarted on the same data dir {@code downSeconds} later. */
  record Kill(int node, double atSeconds, double downSeconds) implements Perturbation {
    public Kill {
      Checks.timing(atSeconds, downSeconds);
    }

    @Override
    public double healsAtSeconds() {
      return atSeconds + downSeconds;
    }

    @Override
    public String kind() {
      return "kill";
    }
  }

  /** SIGTERM (a clean stop: RocksDB closed, peers told), restarted {@code downSeconds} later. */
  record Restart(int node, double atSeconds, double downSeconds) implements Perturbation {
    public Restart {
      Checks.timing(atSeconds, downSeconds);
    }

    @Override
    public double healsAtSeconds() {
      return atSeconds + downSeconds;
    }

    @Override
    public String kind() {
      return "restart";
    }
  }

  /** SIGSTOP, then SIGCONT {@code forSeconds} later: a stalled JVM, a VM migration, a long GC pause. */
  record Pause(int node, double atSeconds, double forSeconds) implements Perturbation {
    public Pause {
      Checks.timing(atSeconds, forSeconds);
    }

    @Override
    public double healsAtSeconds() {
      return atSeconds + forSeconds;
    }

    @Override
    public String kind() {
      return "pause";
    }
  }

  /**
   * SIGKILL, the node's data dir deleted (its key and config kept), restarted {@code downSeconds} later: it
   * must sync the whole chain from its peers and rejoin.
   */
  record WipeAndRejoin(int node, double atSeconds, double downSeconds) implements Perturbation {
    public WipeAndRejoin {
      Checks.timing(atSeconds, downSeconds);
    }

    @Override
    public double healsAtSeconds() {
      return atSeconds + downSeconds;
    }

    @Override
    public String kind() {
      return "wipe-and-rejoin";
    }
  }

  /** Argument checks shared by the records. */
  final class Checks {
    private Checks() {}

    static void timing(double at, double length) {
      if (!(at >= 0) || !(length > 0) || Double.isInfinite(at) || Double.isInfinite(length)) {
        throw new IllegalArgumentException("a perturbation needs at >= 0 s and a length > 0 s, got at=" + at
            + " length=" + length);
      }
    }
  }
}
