package dev.cairn.ledger.crypto;

import dev.cairn.ledger.bytes.Bytes;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * One batch's equation, built item by item: Σ [z_i]R_i + Σ_A [Σ_{i signed by A} z_i·k_i]A - [Σ z_i·S_i]B.
 * Its [8]-multiple is the neutral element whenever every item's own cofactored equation holds (the terms
 * are those equations weighted by z_i and negated as a whole).
 *
 * <p>Every scalar of the multi-scalar multiplication is kept to 128 bits: R's weights are 128-bit by
 * choice, and a 253-bit scalar c of A or B is split as [c]A = [c mod 2^128]A + [c >> 128]([2^128]A), with
 * [2^128]A computed once per key when it is decoded. Pippenger's bucket sums cost per window, so halving
 * the scalars' length halves that share of the work. Signatures by the same key add into one scalar.
 */
final class BatchEquation {
  static final int HALF_BITS = 128;
  /** Bits of c >> 128 for c below L < 2^253. */
  private static final int HIGH_BITS = 125;

  /** A decoded point P and [2^128]P. */
  record SplitPoint(EdwardsPoint.Affine low, EdwardsPoint.Affine high) {
    static SplitPoint of(EdwardsPoint.Affine point, EdwardsPoint.Temps tmp) {
      return new SplitPoint(point, EdwardsPoint.doubled(point, HALF_BITS, tmp));
    }
  }

  static final SplitPoint BASE = base();

  private final EdwardsPoint.Affine[] rPoints;
  private final long[][] rWeights;
  private int rCount;
  private final Map<Bytes, Integer> keySlots = new HashMap<>();
  private final SplitPoint[] keyPoints;
  private final BigInteger[] keySums;
  private int keyCount;
  private BigInteger sSum = BigInteger.ZERO;

  BatchEquation(int itemsMax) {
    rPoints = new EdwardsPoint.Affine[itemsMax];
    rWeights = new long[itemsMax][];
    keyPoints = new SplitPoint[itemsMax];
    keySums = new BigInteger[itemsMax];
  }

  /**
   * Adds one item that passed the encoding checks: weight z (16 little-endian bytes), k = SHA-512(R || A || M)
   * as an unreduced integer (the key's sum is reduced once), and S.
   */
  void add(Bytes keyBytes, SplitPoint key, EdwardsPoint.Affine r, byte[] z, BigInteger k, BigInteger s) {
    if (rCount == rPoints.length) {
      throw new IllegalStateException("batch equation full at " + rCount + " items");
    }
    BigInteger weight = Scalars.fromLittleEndian(z, 0, 16);
    Integer slot = keySlots.get(keyBytes);
    if (slot == null) {
      slot = keyCount++;
      keySlots.put(keyBytes, slot);
      keyPoints[slot] = key;
      keySums[slot] = BigInteger.ZERO;
    }
    keySums[slot] = keySums[slot].add(weight.multiply(k));
    sSum = sSum.add(weight.multiply(s));
    rPoints[rCount] = r;
    rWeights[rCount] = Scalars.limbs(z, 0, 16);
    rCount++;
  }

  int items() {
    return rCount;
  }

  /** True when [8] times the equation's sum is neutral: with random weights, every item's equation holds. */
  boolean holds() {
    int count = 2 + 2 * keyCount + rCount;
    EdwardsPoint.Affine[] points = new EdwardsPoint.Affine[count];
    long[][] scalars = new long[count][];
    int[] bitLengths = new int[count];
    // -[s]B = [L - s]B since B has order L.
    BigInteger sReduced = sSum.mod(EdwardsPoint.L);
    split(BASE, EdwardsPoint.L.subtract(sReduced).mod(EdwardsPoint.L), points, scalars, bitLengths, 0);
    for (int slot = 0; slot < keyCount; slot++) {
      split(keyPoints[slot], keySums[slot].mod(EdwardsPoint.L), points, scalars, bitLengths, 2 + 2 * slot);
    }
    int rOffset = 2 + 2 * keyCount;
    for (int i = 0; i < rCount; i++) {
      points[rOffset + i] = rPoints[i];
      scalars[rOffset + i] = rWeights[i];
      bitLengths[rOffset + i] = HALF_BITS;
    }
    EdwardsPoint sum = Ed25519Msm.sum(points, scalars, bitLengths, count);
    return sum.timesCofactorIsNeutral(new EdwardsPoint.Temps());
  }

  /** Writes [c]P as [c_low]P + [c_high]([2^128]P) at index and index + 1. */
  private static void split(
      SplitPoint point, BigInteger c, EdwardsPoint.Affine[] points, long[][] scalars, int[] bitLengths, int index) {
    long[] limbs = Scalars.limbs(c);
    points[index] = point.low();
    scalars[index] = new long[] {limbs[0], limbs[1], 0, 0};
    bitLengths[index] = HALF_BITS;
    points[index + 1] = point.high();
    scalars[index + 1] = new long[] {limbs[2], limbs[3], 0, 0};
    bitLengths[index + 1] = HIGH_BITS;
  }

  private static SplitPoint base() {
    EdwardsPoint.Affine b = new EdwardsPoint.Affine();
    EdwardsPoint.Temps tmp = new EdwardsPoint.Temps();
    byte[] encoded = HexFormat.of().parseHex("5866666666666666666666666666666666666666666666666666666666666666");
    if (!EdwardsPoint.decode(encoded, 0, b, tmp)) {
      throw new IllegalStateException("the Ed25519 base point failed to decode");
    }
    return SplitPoint.of(b, tmp);
  }
}
