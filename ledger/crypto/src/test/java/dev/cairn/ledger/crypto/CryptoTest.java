package dev.cairn.ledger.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.ledger.bytes.Bytes;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.io.UncheckedIOException;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CryptoTest {
  private static final byte[] MESSAGE = "pay bob 5".getBytes(StandardCharsets.UTF_8);

  @Test
  void signatureVerifiesForItsKeyAndMessageOnly() {
    KeyPair alice = KeyPair.generate();
    KeyPair bob = KeyPair.generate();
    Signature sig = alice.sign(MESSAGE);
    assertThat(Signatures.verify(alice.publicKey(), MESSAGE, sig)).isTrue();
    assertThat(Signatures.verify(bob.publicKey(), MESSAGE, sig)).isFalse();
    assertThat(Signatures.verify(alice.publicKey(), "pay bob 6".getBytes(StandardCharsets.UTF_8), sig)).isFalse();
    byte[] flipped = sig.bytes().toArray();
    flipped[40] ^= 1;
    assertThat(Signatures.verify(alice.publicKey(), MESSAGE, new Signature(Bytes.wrap(flipped)))).isFalse();
  }

  /** RFC 8032 section 7.1, test 1: the empty message under a known secret key. */
  @Test
  void matchesTheRfc8032TestVector() {
    HexFormat hex = HexFormat.of();
    KeyPair key = KeyPair.fromSeed(hex.parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
    assertThat(key.publicKey().toHex()).isEqualTo("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
    assertThat(key.sign(new byte[0]).bytes().toHex()).isEqualTo(
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
  }

  @Test
  void signingIsDeterministicAndSeedRoundTrips() {
    KeyPair key = KeyPair.fromSeedText("cairn");
    assertThat(key.sign(MESSAGE)).isEqualTo(key.sign(MESSAGE));
    assertThat(KeyPair.fromSeed(key.seed())).isEqualTo(key);
    assertThat(key.toString()).doesNotContain(HexFormat.of().formatHex(key.seed()));
  }

  @Test
  void addressRoundTripsThroughBech32m() {
    for (int i = 0; i < 50; i++) {
      Address address = KeyPair.fromSeedText("addr-" + i).address();
      String text = address.toText();
      assertThat(text).startsWith("cairn1");
      assertThat(Address.parse(text)).isEqualTo(address);
      assertThat(Address.parse(text.toUpperCase())).isEqualTo(address);
    }
  }

  @Test
  void everySingleCharacterTypoIsCaught() {
    String text = KeyPair.fromSeedText("typo").address().toText();
    String charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    for (int i = "cairn1".length(); i < text.length(); i++) {
      for (char c : charset.toCharArray()) {
        if (c != text.charAt(i)) {
          String typo = text.substring(0, i) + c + text.substring(i + 1);
          assertThatThrownBy(() -> Address.parse(typo)).as(typo).isInstanceOf(IllegalArgumentException.class);
        }
      }
    }
  }

  @Test
  void malformedAddressesAreRefusedWithAReason() {
    String text = KeyPair.fromSeedText("bad").address().toText();
    assertThatThrownBy(() -> Address.parse("other" + text.substring(5))).hasMessageContaining("cairn1");
    assertThatThrownBy(() -> Address.parse(text.substring(0, 7) + text.substring(7).toUpperCase()))
        .hasMessageContaining("mixes");
    assertThatThrownBy(() -> Address.parse(text.replace(text.charAt(10), 'b'))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Address.parse("cairn1")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Address.parse(text + "q".repeat(90))).hasMessageContaining("too long");
    // A valid Bech32m string of the wrong payload length.
    assertThatThrownBy(() -> Address.parse(Bech32m.encode("cairn", new byte[19]))).hasMessageContaining("19 bytes");
    // Bech32 (the original, non-m checksum) of the same data must not pass.
    assertThatThrownBy(() -> Address.parse(bech32Original(text))).hasMessageContaining("checksum");
  }

  /** Re-computes the checksum of {@code bech32mText}'s data with the original Bech32 constant 1. */
  private static String bech32Original(String bech32mText) {
    String charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    String hrp = "cairn";
    String data = bech32mText.substring(hrp.length() + 1, bech32mText.length() - 6);
    int[] values = new int[hrp.length() * 2 + 1 + data.length() + 6];
    int n = 0;
    for (char c : hrp.toCharArray()) {
      values[n++] = c >>> 5;
    }
    values[n++] = 0;
    for (char c : hrp.toCharArray()) {
      values[n++] = c & 31;
    }
    for (char c : data.toCharArray()) {
      values[n++] = charset.indexOf(c);
    }
    int[] gen = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3};
    int chk = 1;
    for (int v : values) {
      int top = chk >>> 25;
      chk = ((chk & 0x1ffffff) << 5) ^ v;
      for (int i = 0; i < 5; i++) {
        if (((top >>> i) & 1) != 0) {
          chk ^= gen[i];
        }
      }
    }
    int mod = chk ^ 1;
    StringBuilder out = new StringBuilder(hrp).append('1').append(data);
    for (int i = 0; i < 6; i++) {
      out.append(charset.charAt((mod >>> (5 * (5 - i))) & 31));
    }
    return out.toString();
  }

  @Test
  void keyFilesAreOwnerOnlyAndNeverOverwritten(@TempDir Path dir) throws Exception {
    KeyPair key = KeyPair.generate();
    Path file = dir.resolve("keys/node.key");
    KeyFiles.writeNodeKey(file, key);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(KeyFiles.readNodeKey(file)).isEqualTo(key);
    assertThatThrownBy(() -> KeyFiles.writeNodeKey(file, KeyPair.generate()))
        .isInstanceOf(UncheckedIOException.class).hasCauseInstanceOf(FileAlreadyExistsException.class);
    assertThat(KeyFiles.readNodeKey(file)).isEqualTo(key);
    try (var listing = Files.list(file.getParent())) {
      assertThat(listing.map(p -> p.getFileName().toString())).containsExactly("node.key");
    }
  }

  @Test
  void aKeyFileOthersCanReadIsRefusedWithTheFix(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("node.key");
    KeyFiles.writeNodeKey(file, KeyPair.generate());
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> KeyFiles.readNodeKey(file))
        .isInstanceOf(KeyFiles.InsecureKeyFileException.class)
        .hasMessageContaining("rw-r--r--")
        .hasMessageContaining("chmod 600 " + file);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw----r--"));
    assertThatThrownBy(() -> KeyFiles.readNodeKey(file)).isInstanceOf(KeyFiles.InsecureKeyFileException.class);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
    assertThat(KeyFiles.readNodeKey(file)).isNotNull();
  }

  @Test
  void concurrentWritersOfOneKeyFileLeaveExactlyOneWinnerAndNoStrayFiles(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("node.key");
    int writers = 8;
    java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.atomic.AtomicInteger won = new java.util.concurrent.atomic.AtomicInteger();
    List<Thread> threads = new java.util.ArrayList<>();
    List<KeyPair> keys = new java.util.concurrent.CopyOnWriteArrayList<>();
    for (int i = 0; i < writers; i++) {
      Thread t = new Thread(() -> {
        KeyPair key = KeyPair.generate();
        try {
          start.await();
          KeyFiles.writeNodeKey(file, key);
          keys.add(key);
          won.incrementAndGet();
        } catch (UncheckedIOException refused) {
          // another writer won
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      t.start();
      threads.add(t);
    }
    start.countDown();
    for (Thread t : threads) t.join();
    assertThat(won.get()).as("writers that created the file").isEqualTo(1);
    assertThat(KeyFiles.readNodeKey(file)).isEqualTo(keys.get(0));
    try (var listing = Files.list(dir)) {
      assertThat(listing.map(p -> p.getFileName().toString())).containsExactly("node.key");
    }
  }

  @Test
  void aKeyFileWithTheWrongLengthIsRefused(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("short.key");
    Files.writeString(file, "abcd\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    assertThatThrownBy(() -> KeyFiles.readNodeKey(file)).hasMessageContaining("64 hex digits");
  }

  @Test
  void hashesAreDomainSeparated() {
    byte[] data = {1, 2, 3};
    assertThat(Hashing.hash(DomainTag.TX_ID, data)).isNotEqualTo(Hashing.hash(DomainTag.BLOCK_HEADER, data));
    assertThat(Hashing.hash(DomainTag.TX_ID, data)).isEqualTo(Hashing.hash(DomainTag.TX_ID, data));
  }
}
