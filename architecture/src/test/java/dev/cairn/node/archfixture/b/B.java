package dev.cairn.node.archfixture.b;

import dev.cairn.node.archfixture.a.A;

/** The other half of {@link A}'s cycle. */
public final class B {
  private B() {}

  public static int depth(int n) {
    return n <= 0 ? 0 : 1 + A.depth(n - 1);
  }
}
