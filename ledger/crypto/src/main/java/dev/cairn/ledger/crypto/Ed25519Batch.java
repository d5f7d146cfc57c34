package dev.cairn.ledger.crypto;

import dev.cairn.ledger.bytes.Bytes;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ed25519 batch verification with verdicts identical to {@link Signatures#verify}, item by item.
 *
 * <p>BouncyCastle's verify is cofactored: it accepts when [8]([S]B - R - [k]A) is the neutral element, after
 * rejecting R with y >= p or not on the curve, S >= L, and keys that fail its partial validation (y >= p,
 * y in {0, 1, p-1} or the y of an order-8 point, or not on the curve). This class applies exactly those
 * prechecks, then checks all surviving items at once with random 128-bit weights z_i:
 * [8]([Σ z_i·S_i]B - Σ [z_i]R_i - Σ [z_i·k_i]A_i) = O. If every item satisfies its own equation the sum
 * does too, so a batch of valid signatures always passes; if one does not, the batch passes only when the
 * attacker guessed the weights (probability about 2^-128), which they cannot since the weights come from a
 * per-process secret. A failing batch falls back to BouncyCastle's own verify per item, so a rejected
 * item always gets BouncyCastle's verdict.
 *
 * <p>Signatures by the same key share one point with the summed scalar ({@link BatchEquation}), and decoded
 * keys are cached with their [2^128] multiple, so a key's first batch pays for its precomputation.
 */
final class Ed25519Batch {
  /**
   * Below this many items single verifies are used: the multi-scalar multiplication has a fixed cost of about
   * 130 doublings and the windows' bucket sums. Measured with Ed25519BatchBenchmark (distinct keys): a batch
   * of 4 cost the same as 4 single verifies, a batch of 6 was 13% cheaper, of 16 about 35% cheaper.
   */
  static final int BATCH_ITEMS_MIN = 6;
  /**
   * Decoded public keys kept; beyond it the cache starts over. An entry holds A and [2^128]A (ten field
   * elements, about 750 bytes with the map's overhead: 12 MB when full), and a miss costs a decompression
   * plus 128 doublings and an inversion, about half a single verify.
   */
  static final int DECODED_KEYS_MAX = 16_384;

  /** y values (top bit clear) of the order-8 points, which BouncyCastle refuses as keys. */
  private static final List<BigInteger> ORDER_8_Y = List.of(
      Scalars.fromLittleEndian(
          HexFormat.of().parseHex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"), 0, 32),
      Scalars.fromLittleEndian(
          HexFormat.of().parseHex("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05"), 0, 32));

  /** The weights' secret: never leaves the process, so an attacker cannot predict any z_i. */
  private static final byte[] WEIGHT_KEY = weightKey();
  private static final AtomicLong BATCHES = new AtomicLong();
  private static final AtomicLong FALLBACKS = new AtomicLong();
  private static final DecodedKeys<BatchEquation.SplitPoint> DECODED = new DecodedKeys<>(DECODED_KEYS_MAX);

  private Ed25519Batch() {}

  static boolean[] verify(List<PublicKey> keys, List<byte[]> messages, List<Signature> signatures) {
    int n = keys.size();
    if (messages.size() != n || signatures.size() != n) {
      throw new IllegalArgumentException(
          "keys, messages and signatures differ in number: " + n + ", " + messages.size() + ", " + signatures.size());
    }
    boolean[] verdicts = new boolean[n];
    if (n < BATCH_ITEMS_MIN) {
      for (int i = 0; i < n; i++) {
        verdicts[i] = Signatures.verify(keys.get(i), messages.get(i), signatures.get(i));
      }
      return verdicts;
    }
    EdwardsPoint.Temps tmp = new EdwardsPoint.Temps();
    BatchEquation equation = new BatchEquation(n);
    WeightStream weights = new WeightStream();
    MessageDigest sha512 = sha512();
    for (int i = 0; i < n; i++) {
      byte[] sig = signatures.get(i).bytes().unsafeArray();
      Bytes keyBytes = keys.get(i).bytes();
      BatchEquation.SplitPoint a = decodedKey(keyBytes, tmp);
      EdwardsPoint.Affine r = new EdwardsPoint.Affine();
      if (a == null || !Scalars.isBelowL(sig, 32) || !isBelowP(sig, 0) || !EdwardsPoint.decode(sig, 0, r, tmp)) {
        continue; // verdict stays false: BouncyCastle rejects these before any curve arithmetic
      }
      verdicts[i] = true; // provisional: confirmed by the batch equation or replaced by the fallback
      sha512.update(sig, 0, 32);
      sha512.update(keyBytes.unsafeArray());
      sha512.update(messages.get(i));
      BigInteger k = Scalars.fromLittleEndian(sha512.digest(), 0, 64);
      equation.add(keyBytes, a, r, weights.next(), k, Scalars.fromLittleEndian(sig, 32, 32));
    }
    if (equation.items() > 0 && !equation.holds()) {
      FALLBACKS.incrementAndGet();
      for (int i = 0; i < n; i++) {
        if (verdicts[i]) {
          verdicts[i] = Signatures.verify(keys.get(i), messages.get(i), signatures.get(i));
        }
      }
    }
    return verdicts;
  }

  /** Batches whose equation failed so far, each then verified item by item: an attacker's signature, or a bug. */
  static long fallbacks() {
    return FALLBACKS.get();
  }

  /** BouncyCastle's check on R's encoding: y (top bit cleared) below p. */
  private static boolean isBelowP(byte[] encoded, int offset) {
    return yOf(encoded, offset).compareTo(EdwardsPoint.P) < 0;
  }

  private static BigInteger yOf(byte[] encoded, int offset) {
    byte[] copy = new byte[32];
    System.arraycopy(encoded, offset, copy, 0, 32);
    copy[31] &= 0x7f;
    return Scalars.fromLittleEndian(copy, 0, 32);
  }

  /**
   * The decoded key, or null when BouncyCastle's partial validation would refuse it: y >= p, y in
   * {0, 1, p - 1}, the y of an order-8 point, or no point with this y. Only valid keys are cached.
   */
  static BatchEquation.SplitPoint decodedKey(Bytes key, EdwardsPoint.Temps tmp) {
    BatchEquation.SplitPoint cached = DECODED.get(key);
    if (cached != null) {
      return cached;
    }
    byte[] encoded = key.unsafeArray();
    BigInteger y = yOf(encoded, 0);
    if (y.compareTo(EdwardsPoint.P.subtract(BigInteger.ONE)) >= 0
        || y.compareTo(BigInteger.ONE) <= 0
        || ORDER_8_Y.contains(y)) {
      return null;
    }
    EdwardsPoint.Affine point = new EdwardsPoint.Affine();
    if (!EdwardsPoint.decode(encoded, 0, point, tmp)) {
      return null;
    }
    BatchEquation.SplitPoint split = BatchEquation.SplitPoint.of(point, tmp);
    DECODED.put(key, split);
    return split;
  }

  private static byte[] weightKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return key;
  }

  static MessageDigest sha512() {
    try {
      return MessageDigest.getInstance("SHA-512");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-512", e);
    }
  }

  /**
   * 128-bit weights: SHA-512(secret || batch number || block number) gives four weights per hash, so a
   * batch costs one hash per four items and no SecureRandom call.
   */
  private static final class WeightStream {
    private final MessageDigest sha512 = sha512();
    private final long batch = BATCHES.getAndIncrement();
    private final ByteBuffer counters = ByteBuffer.allocate(12);
    private byte[] block = new byte[0];
    private int blockNumber;
    private int used;

    byte[] next() {
      if (used == block.length) {
        sha512.update(WEIGHT_KEY);
        counters.clear();
        counters.putLong(batch).putInt(blockNumber++);
        sha512.update(counters.array());
        block = sha512.digest();
        used = 0;
      }
      byte[] z = new byte[16];
      System.arraycopy(block, used, z, 0, 16);
      used += 16;
      return z;
    }
  }
}
