package dev.cairn.ledger.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.ledger.bytes.Bytes;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Batch verdicts must equal BouncyCastle's single verdicts item by item, for valid batches and for batches
 * with hostile items: a difference would let validators disagree about a block depending on how its
 * transactions were grouped. Valid batches (including the mixed-order signatures BouncyCastle's cofactored
 * check accepts) must pass the batch equation itself, not the fallback. Each sample is a size and a seed;
 * jqwik prints both (and its own seed) when a property fails. Edge-case generation is off: edge seeds
 * (0, 1, -1, ...) would spend the tries on a handful of identical random streams.
 */
class Ed25519BatchProperties {
  private static final HexFormat HEX = HexFormat.of();
  private static final BigInteger L = EdwardsPoint.L;
  private static final byte[] BASE_ENCODED =
      HEX.parseHex("5866666666666666666666666666666666666666666666666666666666666666");

  /** The eight small-order points' canonical encodings (neutral, order 2, two of order 4, four of order 8). */
  private static final List<byte[]> SMALL_ORDER = hexes(
      "0100000000000000000000000000000000000000000000000000000000000000",
      "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
      "0000000000000000000000000000000000000000000000000000000000000000",
      "0000000000000000000000000000000000000000000000000000000000000080",
      "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
      "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
      "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
      "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85");

  /** Encodings every decoder must refuse: y >= p, and x = 0 with the sign bit set. */
  private static final List<byte[]> NON_CANONICAL = hexes(
      "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
      "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
      "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
      "0100000000000000000000000000000000000000000000000000000000000080",
      "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff");

  @Property(tries = 40, edgeCases = EdgeCasesMode.NONE)
  void validBatchesPassTheBatchEquation(@ForAll @IntRange(min = 1, max = 200) int size, @ForAll long seed) {
    Batch batch = Batch.valid(new Random(seed), size);
    long fallbacksBefore = Ed25519Batch.fallbacks();
    boolean[] verdicts = batch.verifyAll();
    assertThat(Ed25519Batch.fallbacks()).as("no fallback for a valid batch").isEqualTo(fallbacksBefore);
    for (boolean verdict : verdicts) {
      assertThat(verdict).isTrue();
    }
  }

  @Property(tries = 30, edgeCases = EdgeCasesMode.NONE)
  void mixedOrderSignaturesBouncyCastleAcceptsPassTheBatchEquation(
      @ForAll @IntRange(min = 1, max = 120) int size, @ForAll long seed) {
    Random random = new Random(seed);
    Batch batch = Batch.valid(random, size);
    for (int i = 0; i < size; i++) {
      if (random.nextBoolean()) {
        batch.mixedOrder(random, i);
      }
    }
    boolean[] reference = batch.reference();
    long fallbacksBefore = Ed25519Batch.fallbacks();
    assertThat(batch.verifyAll()).isEqualTo(reference);
    for (boolean verdict : reference) {
      assertThat(verdict).as("BouncyCastle 1.80 accepts mixed-order R and A (cofactored check)").isTrue();
    }
    assertThat(Ed25519Batch.fallbacks()).isEqualTo(fallbacksBefore);
  }

  /** The soak's finding: S + L of an S near 2^256 overflowed the test's own tamper, not the verifier. */
  @Example
  void shiftingALargeSStaysInThirtyTwoBytes() {
    Random random = new Random(1);
    Batch batch = Batch.valid(random, 8);
    byte[] sig = batch.signatures.get(3).clone();
    java.util.Arrays.fill(sig, 32, 64, (byte) 0xff);
    Batch.shiftSByGroupOrder(sig);
    assertThat(Scalars.fromLittleEndian(sig, 32, 32))
        .isEqualTo(BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE).subtract(L));
    batch.signatures.set(3, sig);
    assertThat(batch.verifyAll()).isEqualTo(batch.reference());
    assertThat(batch.reference()[3]).isFalse();
  }

  @Property(tries = 80, edgeCases = EdgeCasesMode.NONE)
  void tamperedBatchesGetBouncyCastlesVerdictForEveryItem(
      @ForAll @IntRange(min = 1, max = 200) int size, @ForAll long seed) {
    Random random = new Random(seed);
    Batch batch = Batch.valid(random, size);
    int tampered = 1 + random.nextInt(Math.min(size, 8));
    for (int t = 0; t < tampered; t++) {
      batch.tamper(random, random.nextInt(size));
    }
    assertThat(batch.verifyAll()).isEqualTo(batch.reference());
  }

  /**
   * R of small order, canonical (BouncyCastle accepts) or in a refused encoding (it rejects), with S = k·a:
   * the cofactored equation holds either way, so only the encoding checks decide, and they must decide alike.
   * Likewise a small-order key with R = the key and S = 0, which BouncyCastle refuses by the key's y alone.
   */
  @Property(tries = 30, edgeCases = EdgeCasesMode.NONE)
  void forgeriesOnSmallOrderEncodingsGetBouncyCastlesVerdict(
      @ForAll @IntRange(min = 4, max = 60) int size, @ForAll long seed) {
    Random random = new Random(seed);
    Batch batch = Batch.valid(random, size);
    for (int i = 0; i < size; i++) {
      if (random.nextInt(5) == 0) {
        byte[] key = random.nextBoolean() ? pick(random, SMALL_ORDER) : pick(random, NON_CANONICAL);
        byte[] forged = new byte[64];
        System.arraycopy(key, 0, forged, 0, 32);
        batch.keys.set(i, key);
        batch.signatures.set(i, forged);
      } else if (random.nextInt(3) == 0) {
        byte[] encodedR = random.nextBoolean() ? pick(random, NON_CANONICAL) : pick(random, SMALL_ORDER);
        Signer signer = batch.signers.get(i);
        batch.signatures.set(i, signer.signWithEncodedR(encodedR, batch.keys.get(i), batch.messages.get(i)));
      }
    }
    assertThat(batch.verifyAll()).isEqualTo(batch.reference());
  }

  /** One key's secret scalar a and public key A = [a]B, as BouncyCastle derives them from a seed. */
  private record Signer(byte[] seed, BigInteger secret, byte[] publicKey) {
    static Signer random(Random random) {
      byte[] seed = new byte[32];
      random.nextBytes(seed);
      byte[] publicKey = new byte[32];
      Ed25519.generatePublicKey(seed, 0, publicKey, 0);
      byte[] h = sha512(seed);
      h[0] &= (byte) 0xf8;
      h[31] &= 0x7f;
      h[31] |= 0x40;
      return new Signer(seed, Scalars.fromLittleEndian(h, 0, 32), publicKey);
    }

    byte[] sign(byte[] message) {
      byte[] sig = new byte[64];
      Ed25519.sign(seed, 0, publicKey, 0, message, 0, message.length, sig, 0);
      return sig;
    }

    /**
     * A signature whose R bytes are a refused encoding of a small-order point (or of nothing), with S = k·a so
     * that the cofactored equation would hold if a decoder accepted the encoding: only the encoding checks
     * can reject it.
     */
    byte[] signWithEncodedR(byte[] encodedR, byte[] keyUsed, byte[] message) {
      BigInteger k = Scalars.fromLittleEndian(sha512(encodedR, keyUsed, message), 0, 64).mod(L);
      byte[] sig = new byte[64];
      System.arraycopy(encodedR, 0, sig, 0, 32);
      System.arraycopy(Scalars.littleEndian32(k.multiply(secret).mod(L)), 0, sig, 32, 32);
      return sig;
    }

    /** A signature with nonce r whose R is [r]B + torsion, under key bytes keyUsed (A, or A plus torsion). */
    byte[] signWith(BigInteger r, byte[] torsion, byte[] keyUsed, byte[] message) {
      byte[] encodedR = add(multiplyBase(r), torsion);
      BigInteger k = Scalars.fromLittleEndian(sha512(encodedR, keyUsed, message), 0, 64).mod(L);
      byte[] sig = new byte[64];
      System.arraycopy(encodedR, 0, sig, 0, 32);
      System.arraycopy(Scalars.littleEndian32(r.add(k.multiply(secret)).mod(L)), 0, sig, 32, 32);
      return sig;
    }
  }

  /** Parallel lists of keys, messages and signatures, mutable so single items can be tampered with. */
  private record Batch(List<Signer> signers, List<byte[]> keys, List<byte[]> messages, List<byte[]> signatures) {
    static Batch valid(Random random, int size) {
      // Fewer keys than signatures, so keys repeat as members' keys do within a block.
      int keyCount = 1 + random.nextInt(size);
      List<Signer> pool = new ArrayList<>();
      for (int i = 0; i < keyCount; i++) {
        pool.add(Signer.random(random));
      }
      Batch batch = new Batch(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
      for (int i = 0; i < size; i++) {
        Signer signer = pool.get(random.nextInt(keyCount));
        byte[] message = new byte[random.nextInt(4) == 0 ? random.nextInt(100) : 32];
        random.nextBytes(message);
        batch.signers.add(signer);
        batch.keys.add(signer.publicKey.clone());
        batch.messages.add(message);
        batch.signatures.add(signer.sign(message));
      }
      return batch;
    }

    /** Re-signs item i so BouncyCastle's cofactored check still accepts it with torsion in R or in A. */
    void mixedOrder(Random random, int i) {
      Signer signer = signers.get(i);
      byte[] torsion = SMALL_ORDER.get(random.nextInt(SMALL_ORDER.size()));
      BigInteger r = new BigInteger(252, random);
      switch (random.nextInt(3)) {
        case 0 -> signatures.set(i, signer.signWith(r, torsion, keys.get(i), messages.get(i)));
        case 1 -> {
          byte[] mixedKey = add(signer.publicKey, torsion);
          keys.set(i, mixedKey);
          signatures.set(i, signer.signWith(r, SMALL_ORDER.get(0), mixedKey, messages.get(i)));
        }
        // R of small order alone: r = 0, S = k·a.
        default -> signatures.set(i, signer.signWith(BigInteger.ZERO, torsion, keys.get(i), messages.get(i)));
      }
    }

    /**
     * S ± L: the malleated twin of a canonical S (S + L), or, when an earlier tamper already left S so large that
     * S + L no longer fits in 32 bytes, S - L. The soak found the overflow (seed 4564577401576541445, try 1480:
     * an item tampered twice, random bytes then S + L); {@link #shiftingALargeSStaysInThirtyTwoBytes} keeps it.
     */
    static void shiftSByGroupOrder(byte[] sig) {
      BigInteger s = Scalars.fromLittleEndian(sig, 32, 32);
      BigInteger shifted = s.add(L).bitLength() <= 256 ? s.add(L) : s.subtract(L);
      System.arraycopy(Scalars.littleEndian32(shifted), 0, sig, 32, 32);
    }

    void tamper(Random random, int i) {
      byte[] sig = signatures.get(i).clone();
      switch (random.nextInt(13)) {
        case 0 -> flipBit(random, sig, 0, 32);
        case 1 -> flipBit(random, sig, 32, 32);
        case 2 -> {
          byte[] message = messages.get(i).clone();
          if (message.length == 0) {
            message = new byte[] {1};
          } else {
            flipBit(random, message, 0, message.length);
          }
          messages.set(i, message);
        }
        case 3 -> {
          byte[] key = keys.get(i).clone();
          flipBit(random, key, 0, 32);
          keys.set(i, key);
        }
        case 4 -> sig = signatures.get(random.nextInt(signatures.size())).clone();
        case 5 -> shiftSByGroupOrder(sig);
        case 6 -> System.arraycopy(pick(random, NON_CANONICAL), 0, sig, 0, 32);
        case 7 -> random.nextBytes(sig); // mostly off-curve R, S >= L
        case 8 -> {
          byte[] offCurve = new byte[32];
          random.nextBytes(offCurve);
          offCurve[31] &= 0x3f;
          System.arraycopy(offCurve, 0, sig, 0, 32);
        }
        case 9 -> System.arraycopy(pick(random, SMALL_ORDER), 0, sig, 0, 32);
        case 10 -> keys.set(i, random.nextBoolean() ? pick(random, SMALL_ORDER) : pick(random, NON_CANONICAL));
        case 11 -> sig = signers.get(i).signWithEncodedR(pick(random, NON_CANONICAL), keys.get(i), messages.get(i));
        default -> {
          mixedOrder(random, i);
          sig = signatures.get(i);
          if (random.nextBoolean()) {
            flipBit(random, sig, 32, 31);
          }
        }
      }
      signatures.set(i, sig);
    }

    boolean[] verifyAll() {
      List<PublicKey> keyList = keys.stream().map(k -> new PublicKey(Bytes.wrap(k.clone()))).toList();
      List<Signature> sigList = signatures.stream().map(s -> new Signature(Bytes.wrap(s.clone()))).toList();
      return Signatures.verifyAll(keyList, messages, sigList);
    }

    /** BouncyCastle 1.80's verdict per item, straight from the raw bytes (and through the cached path). */
    boolean[] reference() {
      boolean[] out = new boolean[keys.size()];
      for (int i = 0; i < out.length; i++) {
        PublicKey key = new PublicKey(Bytes.wrap(keys.get(i).clone()));
        Signature sig = new Signature(Bytes.wrap(signatures.get(i).clone()));
        out[i] = Signatures.verifyUncached(key, messages.get(i), sig);
        assertThat(Signatures.verify(key, messages.get(i), sig)).isEqualTo(out[i]);
      }
      return out;
    }
  }

  private static void flipBit(Random random, byte[] bytes, int offset, int length) {
    int bit = random.nextInt(length * 8);
    bytes[offset + bit / 8] ^= (byte) (1 << (bit % 8));
  }

  private static byte[] pick(Random random, List<byte[]> encodings) {
    return encodings.get(random.nextInt(encodings.size())).clone();
  }

  private static byte[] multiplyBase(BigInteger r) {
    EdwardsPoint.Affine base = new EdwardsPoint.Affine();
    EdwardsPoint.decode(BASE_ENCODED, 0, base, new EdwardsPoint.Temps());
    return Ed25519Msm.sum(new EdwardsPoint.Affine[] {base}, new long[][] {Scalars.limbs(r)}, new int[] {253}, 1)
        .encode();
  }

  /** The encoding of the sum of two encoded points (both must decode). */
  private static byte[] add(byte[] p, byte[] q) {
    EdwardsPoint.Temps tmp = new EdwardsPoint.Temps();
    EdwardsPoint.Affine a = new EdwardsPoint.Affine();
    EdwardsPoint.Affine b = new EdwardsPoint.Affine();
    assertThat(EdwardsPoint.decode(p, 0, a, tmp) && EdwardsPoint.decode(q, 0, b, tmp)).isTrue();
    EdwardsPoint sum = new EdwardsPoint();
    sum.set(a, false);
    sum.addAffine(b, false, tmp);
    return sum.encode();
  }

  private static byte[] sha512(byte[]... parts) {
    MessageDigest md = Ed25519Batch.sha512();
    for (byte[] part : parts) {
      md.update(part);
    }
    return md.digest();
  }

  private static List<byte[]> hexes(String... hex) {
    List<byte[]> out = new ArrayList<>();
    for (String h : hex) {
      out.add(HEX.parseHex(h));
    }
    return List.copyOf(out);
  }
}
