package dev.cairn.ledger.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.ledger.bytes.Bytes;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * The cached-point verify must give the same verdict as BouncyCastle's verify from raw key bytes for every
 * key and signature, valid or hostile: a difference would make a transaction's validity depend on whether
 * its sender's key happened to be in the cache, and validators could disagree about a block.
 */
class SignaturesProperties {
  private static final byte[] MESSAGE = "cairn signature properties".getBytes(java.nio.charset.StandardCharsets.UTF_8);

  /** Encodings of small-order points and non-canonical y values: keys an attacker would try. */
  private static final List<String> HOSTILE_KEYS = List.of(
      "0100000000000000000000000000000000000000000000000000000000000000",
      "0000000000000000000000000000000000000000000000000000000000000000",
      "0000000000000000000000000000000000000000000000000000000000000080",
      "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
      "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
      "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
      "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
      "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
      "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
      "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
      "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff");

  @Property(tries = 300)
  void cachedAndUncachedAgreeOnRandomKeysAndSignatures(@ForAll @Size(32) byte[] key, @ForAll @Size(64) byte[] sig) {
    assertAgree(new PublicKey(Bytes.wrap(key)), new Signature(Bytes.wrap(sig)));
  }

  @Property(tries = 100)
  void cachedAndUncachedAgreeOnHostileKeys(@ForAll("hostileKeys") String keyHex, @ForAll @Size(64) byte[] sig) {
    PublicKey key = PublicKey.fromHex(keyHex);
    assertAgree(key, new Signature(Bytes.wrap(sig)));
    // R = the key itself and S = 0: the classic forgery attempt against small-order keys.
    byte[] forged = new byte[64];
    System.arraycopy(HexFormat.of().parseHex(keyHex), 0, forged, 0, 32);
    assertAgree(key, new Signature(Bytes.wrap(forged)));
  }

  @Property(tries = 50)
  void aGoodSignatureVerifiesAndAnyFlippedBitFailsOnBothPaths(@ForAll @Size(32) byte[] seed, @ForAll int bitChoice) {
    KeyPair pair = KeyPair.fromSeed(seed);
    Signature good = pair.sign(MESSAGE);
    assertThat(Signatures.verify(pair.publicKey(), MESSAGE, good)).isTrue();
    assertThat(Signatures.verify(pair.publicKey(), MESSAGE, good)).as("second call, from the cache").isTrue();
    byte[] bad = good.bytes().toArray();
    int bit = Math.floorMod(bitChoice, 512);
    bad[bit / 8] ^= (byte) (1 << (bit % 8));
    assertAgree(pair.publicKey(), new Signature(Bytes.wrap(bad)));
    assertThat(Signatures.verify(pair.publicKey(), MESSAGE, new Signature(Bytes.wrap(bad)))).isFalse();
  }

  @Example
  void theCacheStartsOverWhenFullAndStillVerifies() {
    KeyPair pair = KeyPair.fromSeedText("cache-bound");
    Signature good = pair.sign(MESSAGE);
    for (int i = 0; i <= Signatures.DECODED_KEYS_MAX; i++) {
      byte[] seed = new byte[32];
      seed[0] = (byte) i;
      seed[1] = (byte) (i >>> 8);
      seed[2] = (byte) (i >>> 16);
      if (i % 4096 == 0) {
        assertThat(Signatures.verify(pair.publicKey(), MESSAGE, good)).isTrue();
      }
      Signatures.verify(new PublicKey(Bytes.wrap(seed)), MESSAGE, good);
    }
    assertThat(Signatures.verify(pair.publicKey(), MESSAGE, good)).isTrue();
  }

  @Provide
  Arbitrary<String> hostileKeys() {
    return Arbitraries.of(HOSTILE_KEYS);
  }

  private static void assertAgree(PublicKey key, Signature signature) {
    boolean reference = Signatures.verifyUncached(key, MESSAGE, signature);
    assertThat(Signatures.verify(key, MESSAGE, signature)).as("first (decoding) call").isEqualTo(reference);
    assertThat(Signatures.verify(key, MESSAGE, signature)).as("second (cached) call").isEqualTo(reference);
  }
}
