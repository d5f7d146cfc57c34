package dev.cairn.node.archfixture.a;

import dev.cairn.node.archfixture.b.B;

/** With {@link B}, a package cycle on purpose: RulesCatchViolationsTest checks that the cycle rule notices. */
public final class A {
  private A() {}

  public static int depth(int n) {
    return n <= 0 ? 0 : 1 + B.depth(n - 1);
  }
}
