package dev.cairn.adversary;

/**
 * What a {@link ByzantineSnapshotPeer} lies about; each is one attack on the command line, named by
 * {@link #attackName}.
 */
sealed interface SnapshotLie {
  String attackName();

  record CorruptChunks() implements SnapshotLie {
    @Override
    public String attackName() {
      return "snapshot-corrupt-chunks";
    }
  }

  record ForgedRoot() implements SnapshotLie {
    @Override
    public String attackName() {
      return "snapshot-forged-root";
    }
  }

  /** Answers {@code answeredChunks} chunk requests honestly, then none. */
  record Stall(int answeredChunks) implements SnapshotLie {
    public Stall {
      if (answeredChunks < 0) throw new IllegalArgumentException("answeredChunks must be non-negative");
    }

    @Override
    public String attackName() {
      return "snapshot-stall";
    }
  }

  record ForgedSetChange(Forgery forgery) implements SnapshotLie {
    @Override
    public String attackName() {
      return "set-change-forged";
    }
  }

  /** Which part of a set change is forged. */
  enum Forgery {
    /** Seals of the made-up set on the real block: {@code set_change_certificate_invalid}. */
    CERTIFICATE,
    /** The real certificate and proof, for a set the state does not hold: {@code set_change_proof_invalid}. */
    SET
  }
}
