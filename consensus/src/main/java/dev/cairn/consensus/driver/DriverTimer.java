package dev.cairn.consensus.driver;

import dev.cairn.consensus.Effects;
import java.util.Objects;

/** What an {@link DriverCommand.ArmTimer} asks to be told about later, as a {@link DriverEvent.TimerFired}. */
public sealed interface DriverTimer {
  /** The engine's round timer. Older ones need no cancelling: the engine ignores all but the latest. */
  record Round(Effects.TimerRequest request) implements DriverTimer {
    public Round {
      Objects.requireNonNull(request, "request");
    }
  }

  /** The block period since the parent has passed: build the candidate the engine asked for. */
  record BuildTick() implements DriverTimer {}
}
