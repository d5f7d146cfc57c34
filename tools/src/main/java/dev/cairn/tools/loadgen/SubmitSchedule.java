package dev.cairn.tools.loadgen;

/**
 * When the load generator submits its n-th transaction at a fixed target rate: at the full rate from the
 * start, or after a linear ramp from {@link #RAMP_START_FRACTION} of the rate to the full rate over {@code
 * rampSeconds}. A ramp lets the nodes' JIT compile the hot paths under growing load instead of building a
 * backlog at full load that the measured window then inherits; it lies inside the warm-up, so the window
 * is at the full rate either way.
 */
record SubmitSchedule(long ratePerSecond, double rampSeconds) {
  static final double RAMP_START_FRACTION = 0.1;

  SubmitSchedule {
    if (ratePerSecond <= 0 || rampSeconds < 0) {
      throw new IllegalArgumentException("a schedule needs a rate > 0 and a ramp >= 0 s");
    }
  }

  /** Seconds after the start at which transaction {@code index} (0-based) is due. */
  double dueSeconds(long index) {
    double r1 = ratePerSecond;
    if (rampSeconds == 0) {
      return index / r1;
    }
    double r0 = r1 * RAMP_START_FRACTION;
    double slope = (r1 - r0) / rampSeconds;
    double duringRamp = r0 * rampSeconds + slope * rampSeconds * rampSeconds / 2;
    if (index >= duringRamp) {
      return rampSeconds + (index - duringRamp) / r1;
    }
    // Solve r0 t + slope t^2 / 2 = index for t >= 0.
    return (-r0 + Math.sqrt(r0 * r0 + 2 * slope * index)) / slope;
  }

  /** Transactions due in the first {@code seconds}: the inverse of {@link #dueSeconds}. */
  double dueBy(double seconds) {
    double r1 = ratePerSecond;
    if (seconds <= 0) {
      return 0;
    }
    if (rampSeconds == 0) {
      return r1 * seconds;
    }
    double r0 = r1 * RAMP_START_FRACTION;
    double slope = (r1 - r0) / rampSeconds;
    double t = Math.min(seconds, rampSeconds);
    return r0 * t + slope * t * t / 2 + r1 * Math.max(0, seconds - rampSeconds);
  }
}
