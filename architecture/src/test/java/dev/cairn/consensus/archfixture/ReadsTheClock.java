package dev.cairn.consensus.archfixture;

/** Breaks the purity rules on purpose: RulesCatchViolationsTest checks that they notice. */
public final class ReadsTheClock {
  private ReadsTheClock() {}

  public static long now() {
    return System.currentTimeMillis() + java.time.Instant.now().getNano();
  }

  public static void startThread() {
    new Thread(() -> { }).start();
  }
}
