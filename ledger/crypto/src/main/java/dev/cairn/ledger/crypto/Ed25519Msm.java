package dev.cairn.ledger.crypto;

/**
 * Multi-scalar multiplication Σ [s_i]·P_i by Pippenger's bucket method with signed digits.
 *
 * <p>Each scalar is cut into windows of c bits recoded to digits in [-2^(c-1), 2^(c-1)] (the top window
 * may reach +2^(c-1)), so a window needs 2^(c-1) buckets rather than 2^c - 1: a negative digit adds the
 * negated point, which costs nothing for an affine point. Per window every point with a non-zero digit
 * costs one mixed addition into its bucket, then the buckets are summed by the running-sum trick (two
 * additions per bucket), and the windows are combined by c doublings each. The width c is chosen per call
 * from a cost model, as the best width grows with the number of points. Scalars may have different bit
 * lengths: the batch verifier's R points carry 128-bit scalars, so they take part only in the low windows.
 */
final class Ed25519Msm {
  /** Widest window considered: 2^(c-1) buckets; beyond this the bucket sums dominate any batch we build. */
  static final int WINDOW_BITS_MAX = 12;

  private Ed25519Msm() {}

  /**
   * Σ [scalars[i]]·points[i] for i below count, each scalar given as four little-endian 64-bit limbs and
   * below 2^bitLengths[i] (bit lengths at most 255).
   */
  static EdwardsPoint sum(EdwardsPoint.Affine[] points, long[][] scalars, int[] bitLengths, int count) {
    int width = windowBits(bitLengths, count);
    int windowsMax = 0;
    for (int i = 0; i < count; i++) {
      windowsMax = Math.max(windowsMax, windows(bitLengths[i], width));
    }
    short[] digits = new short[count * windowsMax];
    for (int i = 0; i < count; i++) {
      recode(scalars[i], bitLengths[i], width, digits, i * windowsMax);
    }
    EdwardsPoint.Temps tmp = new EdwardsPoint.Temps();
    int bucketCount = 1 << (width - 1);
    EdwardsPoint[] buckets = new EdwardsPoint[bucketCount];
    for (int j = 0; j < bucketCount; j++) {
      buckets[j] = new EdwardsPoint();
    }
    boolean[] filled = new boolean[bucketCount];
    EdwardsPoint running = new EdwardsPoint();
    EdwardsPoint windowSum = new EdwardsPoint();
    EdwardsPoint total = null;
    for (int w = windowsMax - 1; w >= 0; w--) {
      if (total != null) {
        for (int k = 0; k < width; k++) {
          total.dbl(k == width - 1, tmp);
        }
      }
      java.util.Arrays.fill(filled, false);
      for (int i = 0; i < count; i++) {
        int digit = digits[i * windowsMax + w];
        if (digit == 0) {
          continue;
        }
        int j = Math.abs(digit) - 1;
        if (filled[j]) {
          buckets[j].addAffine(points[i], digit < 0, tmp);
        } else {
          buckets[j].set(points[i], digit < 0);
          filled[j] = true;
        }
      }
      if (sumBuckets(buckets, filled, running, windowSum, tmp)) {
        if (total == null) {
          total = new EdwardsPoint();
          total.set(windowSum);
        } else {
          total.addPoint(windowSum, tmp);
        }
      }
    }
    return total == null ? EdwardsPoint.neutral() : total;
  }

  /**
   * windowSum = Σ (j + 1)·buckets[j] over the filled buckets, as running sums from the top bucket down;
   * false when every bucket is empty (windowSum untouched).
   */
  private static boolean sumBuckets(
      EdwardsPoint[] buckets, boolean[] filled, EdwardsPoint running, EdwardsPoint windowSum, EdwardsPoint.Temps tmp) {
    boolean runningSet = false;
    boolean sumSet = false;
    for (int j = buckets.length - 1; j >= 0; j--) {
      if (filled[j]) {
        if (runningSet) {
          running.addPoint(buckets[j], tmp);
        } else {
          running.set(buckets[j]);
          runningSet = true;
        }
      }
      if (runningSet) {
        if (sumSet) {
          windowSum.addPoint(running, tmp);
        } else {
          windowSum.set(running);
          sumSet = true;
        }
      }
    }
    return sumSet;
  }

  /** Windows needed for a scalar of bitLength bits: one spare bit above it absorbs the recoding carry. */
  static int windows(int bitLength, int width) {
    return (bitLength + 1 + width - 1) / width;
  }

  /**
   * Writes the signed digits of a scalar, lowest window first: d_w in [-2^(c-1), 2^(c-1)) with
   * Σ d_w·2^(c·w) = scalar, the top window keeping its value (at most 2^(c-1), thanks to the spare bit).
   */
  static void recode(long[] scalar, int bitLength, int width, short[] out, int offset) {
    int n = windows(bitLength, width);
    int half = 1 << (width - 1);
    int carry = 0;
    for (int w = 0; w < n; w++) {
      int value = Scalars.bits(scalar, w * width, width) + carry;
      if (w < n - 1 && value >= half) {
        value -= 1 << width;
        carry = 1;
      } else {
        carry = 0;
      }
      if (w == n - 1 && value > half) {
        throw new IllegalStateException("scalar longer than its declared " + bitLength + " bits");
      }
      out[offset + w] = (short) value;
    }
  }

  /**
   * The window width minimising an operation count in multiplications: 7 per mixed addition of a point
   * into its bucket, 9 per extended addition (2 per bucket to sum a window), 7 per doubling.
   */
  static int windowBits(int[] bitLengths, int count) {
    int best = 2;
    long bestCost = Long.MAX_VALUE;
    for (int width = 2; width <= WINDOW_BITS_MAX; width++) {
      long pointAdds = 0;
      int windowsMax = 0;
      for (int i = 0; i < count; i++) {
        int n = windows(bitLengths[i], width);
        pointAdds += n;
        windowsMax = Math.max(windowsMax, n);
      }
      long cost = 7 * pointAdds + (long) windowsMax * ((1L << (width - 1)) * 2 * 9 + width * 7L);
      if (cost < bestCost) {
        bestCost = cost;
        best = width;
      }
    }
    return best;
  }
}
