package dev.cairn.consensus.driver;

import dev.cairn.consensus.ConsensusEngine;
import java.util.EnumSet;

/** Test-side access to the driver's deliberate bugs, for the simulator's mutation tests. */
public final class UnsafeDrivers {
  private UnsafeDrivers() {}

  /** A bug the simulator must catch; {@link #NONE} is the driver as shipped. */
  public enum Bug {
    NONE,
    /** Broadcasts a step's own votes before the state holding them is persisted. */
    SEND_BEFORE_PERSIST,
    /** Goes on (and sends) after a failed fsync instead of halting. */
    IGNORE_FAILED_PERSIST,
    /** Commits a height the chain already has (sync and its own commit both bring it) instead of skipping it. */
    COMMIT_IMPORTED_AGAIN
  }

  public static Driver create(DriverConfig config, ConsensusEngine engine, DriverView view, Bug bug) {
    EnumSet<Driver.Mutation> mutations = EnumSet.noneOf(Driver.Mutation.class);
    if (bug != Bug.NONE) {
      mutations.add(Driver.Mutation.valueOf(bug.name()));
    }
    return new Driver(config, engine, view, mutations);
  }
}
