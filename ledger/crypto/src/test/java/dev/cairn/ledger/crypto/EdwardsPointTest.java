package dev.cairn.ledger.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.junit.jupiter.api.Test;

/** The batch verifier's point arithmetic against the curve's own facts and BouncyCastle's key generation. */
class EdwardsPointTest {
  private static final byte[] BASE_ENCODED =
      HexFormat.of().parseHex("5866666666666666666666666666666666666666666666666666666666666666");
  private static final long SEED = 20261124L;

  @Test
  void theBasePointDecodesAndEncodesBack() {
    EdwardsPoint b = point(BASE_ENCODED);
    assertThat(b.encode()).isEqualTo(BASE_ENCODED);
  }

  @Test
  void theBasePointTimesLIsNeutral() {
    EdwardsPoint.Affine b = affine(BASE_ENCODED);
    EdwardsPoint product = naiveMultiply(b, EdwardsPoint.L);
    assertThat(product.encode()).isEqualTo(EdwardsPoint.neutral().encode());
    EdwardsPoint almost = naiveMultiply(b, EdwardsPoint.L.subtract(BigInteger.ONE));
    EdwardsPoint negatedBase = new EdwardsPoint();
    negatedBase.set(b, true);
    assertThat(almost.encode()).isEqualTo(negatedBase.encode());
  }

  /** BouncyCastle's public key is [s]B with s the clamped hash of the seed: our arithmetic must agree. */
  @Test
  void keysFromBouncyCastleRoundTripAndEqualTheirScalarTimesBase() throws Exception {
    Random random = new Random(SEED);
    EdwardsPoint.Affine b = affine(BASE_ENCODED);
    for (int round = 0; round < 20; round++) {
      byte[] seed = new byte[32];
      random.nextBytes(seed);
      byte[] key = new byte[32];
      Ed25519.generatePublicKey(seed, 0, key, 0);
      assertThat(point(key).encode()).as("seed %d round %d", SEED, round).isEqualTo(key);
      byte[] h = MessageDigest.getInstance("SHA-512").digest(seed);
      h[0] &= (byte) 0xf8;
      h[31] &= 0x7f;
      h[31] |= 0x40;
      BigInteger s = Scalars.fromLittleEndian(h, 0, 32);
      assertThat(naiveMultiply(b, s).encode()).as("seed %d round %d", SEED, round).isEqualTo(key);
    }
  }

  @Test
  void doubledAffinePointEqualsThePowerOfTwoMultiple() {
    Random random = new Random(SEED + 4);
    EdwardsPoint.Affine q = affine(randomKey(random));
    EdwardsPoint.Affine high = EdwardsPoint.doubled(q, 128, new EdwardsPoint.Temps());
    EdwardsPoint viaAffine = new EdwardsPoint();
    viaAffine.set(high, false);
    assertThat(viaAffine.encode()).isEqualTo(naiveMultiply(q, BigInteger.ONE.shiftLeft(128)).encode());
  }

  @Test
  void doublingEqualsAddingAPointToItself() {
    Random random = new Random(SEED + 1);
    EdwardsPoint.Temps tmp = new EdwardsPoint.Temps();
    for (int round = 0; round < 20; round++) {
      EdwardsPoint.Affine q = affine(randomKey(random));
      EdwardsPoint doubled = new EdwardsPoint();
      doubled.set(q, false);
      doubled.dbl(true, tmp);
      EdwardsPoint mixed = new EdwardsPoint();
      mixed.set(q, false);
      mixed.addAffine(q, false, tmp);
      EdwardsPoint extended = new EdwardsPoint();
      extended.set(q, false);
      EdwardsPoint same = new EdwardsPoint();
      same.set(q, false);
      extended.addPoint(same, tmp);
      assertThat(mixed.encode()).isEqualTo(doubled.encode());
      assertThat(extended.encode()).isEqualTo(doubled.encode());
      // P + (-P) is neutral on both addition paths.
      mixed.set(q, false);
      mixed.addAffine(q, true, tmp);
      assertThat(mixed.encode()).isEqualTo(EdwardsPoint.neutral().encode());
    }
  }

  @Test
  void multiScalarMultiplicationEqualsTheSumOfSingleMultiples() {
    Random random = new Random(SEED + 2);
    for (int count : new int[] {1, 2, 5, 17, 64, 150}) {
      EdwardsPoint.Affine[] points = new EdwardsPoint.Affine[count];
      long[][] scalars = new long[count][];
      int[] bitLengths = new int[count];
      EdwardsPoint expected = EdwardsPoint.neutral();
      EdwardsPoint.Temps tmp = new EdwardsPoint.Temps();
      for (int i = 0; i < count; i++) {
        points[i] = affine(randomKey(random));
        bitLengths[i] = random.nextBoolean() ? 128 : 1 + random.nextInt(253);
        BigInteger s = new BigInteger(bitLengths[i], random);
        scalars[i] = Scalars.limbs(s);
        expected.addPoint(naiveMultiply(points[i], s), tmp);
      }
      EdwardsPoint actual = Ed25519Msm.sum(points, scalars, bitLengths, count);
      assertThat(actual.encode()).as("seed %d count %d", SEED + 2, count).isEqualTo(expected.encode());
    }
  }

  @Test
  void signedDigitsRecombineToTheScalar() {
    Random random = new Random(SEED + 3);
    for (int round = 0; round < 500; round++) {
      int width = 2 + random.nextInt(Ed25519Msm.WINDOW_BITS_MAX - 1);
      int bitLength = 1 + random.nextInt(255);
      BigInteger s = random.nextInt(4) == 0
          ? BigInteger.ONE.shiftLeft(bitLength).subtract(BigInteger.ONE)
          : new BigInteger(bitLength, random);
      short[] digits = new short[Ed25519Msm.windows(bitLength, width)];
      Ed25519Msm.recode(Scalars.limbs(s), bitLength, width, digits, 0);
      BigInteger sum = BigInteger.ZERO;
      for (int w = digits.length - 1; w >= 0; w--) {
        assertThat(Math.abs(digits[w])).isLessThanOrEqualTo(1 << (width - 1));
        sum = sum.shiftLeft(width).add(BigInteger.valueOf(digits[w]));
      }
      assertThat(sum).as("seed %d round %d width %d", SEED + 3, round, width).isEqualTo(s);
    }
  }

  /** Double-and-add from the top bit: slow and obviously right. */
  private static EdwardsPoint naiveMultiply(EdwardsPoint.Affine q, BigInteger s) {
    EdwardsPoint.Temps tmp = new EdwardsPoint.Temps();
    EdwardsPoint acc = EdwardsPoint.neutral();
    for (int bit = s.bitLength() - 1; bit >= 0; bit--) {
      acc.dbl(true, tmp);
      if (s.testBit(bit)) {
        acc.addAffine(q, false, tmp);
      }
    }
    return acc;
  }

  private static byte[] randomKey(Random random) {
    byte[] seed = new byte[32];
    random.nextBytes(seed);
    byte[] key = new byte[32];
    Ed25519.generatePublicKey(seed, 0, key, 0);
    return key;
  }

  private static EdwardsPoint.Affine affine(byte[] encoded) {
    EdwardsPoint.Affine a = new EdwardsPoint.Affine();
    assertThat(EdwardsPoint.decode(encoded, 0, a, new EdwardsPoint.Temps())).isTrue();
    return a;
  }

  private static EdwardsPoint point(byte[] encoded) {
    EdwardsPoint p = new EdwardsPoint();
    p.set(affine(encoded), false);
    return p;
  }
}
