package dev.cairn.ledger.crypto;

import static org.bouncycastle.math.ec.rfc7748.X25519Field.add;
import static org.bouncycastle.math.ec.rfc7748.X25519Field.addOne;
import static org.bouncycastle.math.ec.rfc7748.X25519Field.carry;
import static org.bouncycastle.math.ec.rfc7748.X25519Field.copy;
import static org.bouncycastle.math.ec.rfc7748.X25519Field.create;
import static org.bouncycastle.math.ec.rfc7748.X25519Field.isZeroVar;
import static org.bouncycastle.math.ec.rfc7748.X25519Field.mul;
import static org.bouncycastle.math.ec.rfc7748.X25519Field.negate;
import static org.bouncycastle.math.ec.rfc7748.X25519Field.normalize;
import static org.bouncycastle.math.ec.rfc7748.X25519Field.one;
import static org.bouncycastle.math.ec.rfc7748.X25519Field.sqr;
import static org.bouncycastle.math.ec.rfc7748.X25519Field.sqrtRatioVar;
import static org.bouncycastle.math.ec.rfc7748.X25519Field.sub;
import static org.bouncycastle.math.ec.rfc7748.X25519Field.subOne;
import static org.bouncycastle.math.ec.rfc7748.X25519Field.zero;

import java.math.BigInteger;
import org.bouncycastle.math.ec.rfc7748.X25519Field;

/**
 * A point of edwards25519, -x² + y² = 1 + d·x²·y² over GF(2^255 - 19), in extended coordinates (X:Y:Z:T)
 * with x = X/Z, y = Y/Z, x·y = T/Z (Hisil, Wong, Carter, Dawson 2008; RFC 8032 section 5.1.4).
 *
 * <p>Mutable on purpose: the batch verifier's multi-scalar multiplication adds into the same few points
 * thousands of times per batch, so points and temporaries are reused rather than allocated. Field elements
 * are BouncyCastle's public {@link X25519Field} limb arrays; everything above the field is written here
 * from the specification. The addition and doubling formulas are complete for a = -1 and non-square d, so
 * small-order and mixed-order inputs (which the verifier must accept, as BouncyCastle does) need no special
 * case.
 *
 * <p>Limb bounds: X25519Field's multiply accepts one level of add/sub over carried values; where a formula
 * stacks two, the sum is carried first.
 */
final class EdwardsPoint {
  static final BigInteger P = BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19));
  /** The prime order of the base point. */
  static final BigInteger L =
      BigInteger.ONE.shiftLeft(252).add(new BigInteger("27742317777372353535851937790883648493"));

  private static final BigInteger D_VALUE =
      BigInteger.valueOf(-121665).multiply(BigInteger.valueOf(121666).modInverse(P)).mod(P);
  private static final int[] D = fieldOf(D_VALUE);
  private static final int[] D2 = fieldOf(D_VALUE.shiftLeft(1).mod(P));

  final int[] x = create();
  final int[] y = create();
  final int[] z = create();
  final int[] t = create();

  /** Scratch field elements for one thread's point operations: the formulas need up to eight. */
  static final class Temps {
    final int[] a = create();
    final int[] b = create();
    final int[] c = create();
    final int[] d = create();
    final int[] e = create();
    final int[] f = create();
    final int[] g = create();
    final int[] h = create();
  }

  /**
   * An affine point prepared for mixed addition (Z = 1): y+x, y-x and 2d·x·y, plus x and y to start a
   * bucket from it. Immutable after {@link #decode}; shared through the decoded-key cache.
   */
  static final class Affine {
    final int[] x = create();
    final int[] y = create();
    final int[] yPlusX = create();
    final int[] yMinusX = create();
    final int[] xy2d = create();

    /** Fills the derived fields from x and y (carried, so they can feed a multiply directly). */
    void prepare() {
      add(y, x, yPlusX);
      carry(yPlusX);
      sub(y, x, yMinusX);
      carry(yMinusX);
      mul(x, y, xy2d);
      mul(xy2d, D2, xy2d);
    }
  }

  static EdwardsPoint neutral() {
    EdwardsPoint p = new EdwardsPoint();
    p.setNeutral();
    return p;
  }

  void setNeutral() {
    zero(x);
    one(y);
    one(z);
    zero(t);
  }

  void set(EdwardsPoint q) {
    copy(q.x, 0, x, 0);
    copy(q.y, 0, y, 0);
    copy(q.z, 0, z, 0);
    copy(q.t, 0, t, 0);
  }

  /** This = q, or -q when negate (-(x, y) = (-x, y)). */
  void set(Affine q, boolean negate) {
    if (negate) {
      negate(q.x, x);
      carry(x);
    } else {
      copy(q.x, 0, x, 0);
    }
    copy(q.y, 0, y, 0);
    one(z);
    mul(x, y, t);
  }

  /**
   * RFC 8032 section 5.1.3 decoding of 32 bytes at offset, whose y (top bit cleared) the caller has
   * already checked is below p. False when no curve point has this y, or when x = 0 and the sign bit is
   * set; both are rejections in RFC 8032 and in BouncyCastle.
   */
  static boolean decode(byte[] encoded, int offset, Affine out, Temps tmp) {
    byte[] yBytes = new byte[32];
    System.arraycopy(encoded, offset, yBytes, 0, 32);
    int sign = (yBytes[31] >>> 7) & 1;
    yBytes[31] &= 0x7f;
    X25519Field.decode(yBytes, 0, out.y);
    // x² = (y² - 1) / (d·y² + 1)
    sqr(out.y, tmp.a);
    mul(tmp.a, D, tmp.b);
    subOne(tmp.a);
    addOne(tmp.b);
    carry(tmp.a);
    carry(tmp.b);
    if (!sqrtRatioVar(tmp.a, tmp.b, out.x)) {
      return false;
    }
    normalize(out.x);
    if (isZeroVar(out.x) && sign == 1) {
      return false;
    }
    byte[] xBytes = new byte[32];
    X25519Field.encode(out.x, xBytes, 0);
    if ((xBytes[0] & 1) != sign) {
      negate(out.x, out.x);
      normalize(out.x);
    }
    normalize(out.y);
    out.prepare();
    return true;
  }

  /** [2^doublings]·p as a new affine point (one inversion): a key's high half for the split scalars. */
  static Affine doubled(Affine p, int doublings, Temps tmp) {
    EdwardsPoint q = new EdwardsPoint();
    q.set(p, false);
    for (int i = 0; i < doublings; i++) {
      q.dbl(false, tmp);
    }
    Affine out = new Affine();
    X25519Field.invVar(q.z, tmp.a);
    mul(q.x, tmp.a, out.x);
    mul(q.y, tmp.a, out.y);
    normalize(out.x);
    normalize(out.y);
    out.prepare();
    return out;
  }

  /** The 32-byte encoding (y little-endian, the sign of x in the top bit); normalizes a copy. */
  byte[] encode() {
    int[] inverse = create();
    X25519Field.inv(z, inverse);
    int[] ax = create();
    int[] ay = create();
    mul(x, inverse, ax);
    mul(y, inverse, ay);
    normalize(ax);
    normalize(ay);
    byte[] out = new byte[32];
    X25519Field.encode(ay, out, 0);
    byte[] xBytes = new byte[32];
    X25519Field.encode(ax, xBytes, 0);
    out[31] |= (byte) ((xBytes[0] & 1) << 7);
    return out;
  }

  /** This += q (or -q when negate), q affine: 7 multiplications. */
  void addAffine(Affine q, boolean negate, Temps tmp) {
    sub(y, x, tmp.a);
    add(y, x, tmp.b);
    mul(tmp.a, negate ? q.yPlusX : q.yMinusX, tmp.a);
    mul(tmp.b, negate ? q.yMinusX : q.yPlusX, tmp.b);
    mul(t, q.xy2d, tmp.c);
    if (negate) {
      negate(tmp.c, tmp.c);
    }
    mul(z, 2, tmp.d);
    finish(tmp);
  }

  /** This += q, both extended: 9 multiplications (one turns q's T into 2d·T). */
  void addPoint(EdwardsPoint q, Temps tmp) {
    sub(y, x, tmp.a);
    sub(q.y, q.x, tmp.e);
    mul(tmp.a, tmp.e, tmp.a);
    add(y, x, tmp.b);
    add(q.y, q.x, tmp.e);
    mul(tmp.b, tmp.e, tmp.b);
    mul(q.t, D2, tmp.e);
    mul(t, tmp.e, tmp.c);
    mul(z, q.z, tmp.d);
    mul(tmp.d, 2, tmp.d);
    finish(tmp);
  }

  /** The shared tail of both additions, from A = (Y1-X1)(Y2-X2), B = (Y1+X1)(Y2+X2), C = T1·2d·T2, D = 2·Z1·Z2. */
  private void finish(Temps tmp) {
    sub(tmp.b, tmp.a, tmp.e); // E = B - A
    sub(tmp.d, tmp.c, tmp.f); // F = D - C
    add(tmp.d, tmp.c, tmp.g); // G = D + C
    add(tmp.b, tmp.a, tmp.h); // H = B + A
    mul(tmp.e, tmp.f, x);
    mul(tmp.g, tmp.h, y);
    mul(tmp.e, tmp.h, t);
    mul(tmp.f, tmp.g, z);
  }

  /** This = 2·this (4 squarings, 3 or 4 multiplications): T is only needed when an addition follows. */
  void dbl(boolean withT, Temps tmp) {
    sqr(x, tmp.a); // A = X²
    sqr(y, tmp.b); // B = Y²
    sqr(z, tmp.c);
    mul(tmp.c, 2, tmp.c); // C = 2·Z²
    add(tmp.a, tmp.b, tmp.h); // H = A + B
    add(x, y, tmp.e);
    sqr(tmp.e, tmp.e);
    sub(tmp.h, tmp.e, tmp.e); // E = H - (X + Y)²
    carry(tmp.e);
    sub(tmp.a, tmp.b, tmp.g); // G = A - B
    add(tmp.c, tmp.g, tmp.f); // F = C + G
    carry(tmp.f);
    mul(tmp.e, tmp.f, x);
    mul(tmp.g, tmp.h, y);
    if (withT) {
      mul(tmp.e, tmp.h, t);
    }
    mul(tmp.f, tmp.g, z);
  }

  /** True when [8]·this is the neutral element, i.e. this lies in the 8-torsion: overwrites this. */
  boolean timesCofactorIsNeutral(Temps tmp) {
    dbl(false, tmp);
    dbl(false, tmp);
    dbl(false, tmp);
    normalize(x);
    sub(y, z, tmp.a);
    normalize(tmp.a);
    return isZeroVar(x) && isZeroVar(tmp.a);
  }

  /** A field element from an integer in [0, p). */
  static int[] fieldOf(BigInteger value) {
    int[] out = create();
    X25519Field.decode(Scalars.littleEndian32(value), 0, out);
    return out;
  }
}
