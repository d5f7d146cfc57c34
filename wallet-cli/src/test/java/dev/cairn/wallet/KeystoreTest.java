package dev.cairn.wallet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.crypto.KeyPair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeystoreTest {
  private final ObjectMapper json = new ObjectMapper();
  private final KeyPair key = KeyPair.fromSeedText("keystore-test");
  private final char[] password = "correct horse".toCharArray();

  @Test
  void decryptsWithTheRightPassword() {
    Keystore keystore = Keystore.encrypt(key, password, Keystore.ScryptParams.FAST);
    assertThat(keystore.decrypt(password)).isEqualTo(key);
    assertThat(keystore.address()).isEqualTo(key.address());
  }

  @Test
  void refusesAWrongPassword() {
    Keystore keystore = Keystore.encrypt(key, password, Keystore.ScryptParams.FAST);
    assertThatThrownBy(() -> keystore.decrypt("wrong".toCharArray()))
        .isInstanceOf(Keystore.WrongPasswordException.class)
        .hasMessageContaining("wrong password");
  }

  @Test
  void twoEncryptionsDifferInSaltAndIv() {
    Keystore a = Keystore.encrypt(key, password, Keystore.ScryptParams.FAST);
    Keystore b = Keystore.encrypt(key, password, Keystore.ScryptParams.FAST);
    assertThat(a.salt()).isNotEqualTo(b.salt());
    assertThat(a.iv()).isNotEqualTo(b.iv());
  }

  @Test
  void jsonRoundTrip() {
    Keystore keystore = Keystore.encrypt(key, password, Keystore.ScryptParams.FAST);
    Keystore back = Keystore.fromJson(keystore.toJson(json));
    assertThat(back).isEqualTo(keystore);
    assertThat(back.decrypt(password)).isEqualTo(key);
  }

  @Test
  void loweringTheKdfCostBreaksDecryption() {
    Keystore keystore = Keystore.encrypt(key, password, new Keystore.ScryptParams(1 << 11, 8, 1));
    ObjectNode file = keystore.toJson(json);
    ((ObjectNode) file.get("crypto")).put("n", 1 << 10);
    Keystore weakened = Keystore.fromJson(file);
    assertThatThrownBy(() -> weakened.decrypt(password)).isInstanceOf(Keystore.WrongPasswordException.class);
  }

  @Test
  void flippedCiphertextBitIsDetected() {
    Keystore keystore = Keystore.encrypt(key, password, Keystore.ScryptParams.FAST);
    byte[] ct = keystore.ciphertext().toArray();
    ct[3] ^= 1;
    Keystore tampered = new Keystore(
        keystore.address(), keystore.publicKey(), keystore.scrypt(), keystore.salt(), keystore.iv(), Bytes.wrap(ct));
    assertThatThrownBy(() -> tampered.decrypt(password)).isInstanceOf(Keystore.WrongPasswordException.class);
  }

  @Test
  void malformedFilesGetOneLineErrorsNamingTheField() {
    ObjectNode file = Keystore.encrypt(key, password, Keystore.ScryptParams.FAST).toJson(json);
    file.put("version", 7);
    assertThatThrownBy(() -> Keystore.fromJson(file)).hasMessageContaining("unsupported version 7");
    ObjectNode noSalt = Keystore.encrypt(key, password, Keystore.ScryptParams.FAST).toJson(json);
    ((ObjectNode) noSalt.get("crypto")).remove("salt");
    assertThatThrownBy(() -> Keystore.fromJson(noSalt)).hasMessageContaining("'salt'");
    ObjectNode hugeN = Keystore.encrypt(key, password, Keystore.ScryptParams.FAST).toJson(json);
    ((ObjectNode) hugeN.get("crypto")).put("n", 1 << 30);
    assertThatThrownBy(() -> Keystore.fromJson(hugeN)).hasMessageContaining("scrypt n");
    ObjectNode otherAddress = Keystore.encrypt(key, password, Keystore.ScryptParams.FAST).toJson(json);
    otherAddress.put("address", KeyPair.fromSeedText("other").address().toText());
    assertThatThrownBy(() -> Keystore.fromJson(otherAddress)).hasMessageContaining("does not belong");
  }

  @Test
  void directoryWritesOwnerOnlyFilesAndSelectsTheOnlyKey(@TempDir Path dir) throws Exception {
    KeystoreDirectory wallet = new KeystoreDirectory(dir.resolve("wallet"));
    assertThatThrownBy(() -> wallet.select(Optional.empty())).hasMessageContaining("wallet new");
    Path file = wallet.save(Keystore.encrypt(key, password, Keystore.ScryptParams.FAST));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(wallet.select(Optional.empty()).address()).isEqualTo(key.address());
    assertThatThrownBy(() -> wallet.save(Keystore.encrypt(key, password, Keystore.ScryptParams.FAST)))
        .hasMessageContaining("already exists");
    wallet.save(Keystore.encrypt(KeyPair.fromSeedText("second"), password, Keystore.ScryptParams.FAST));
    assertThatThrownBy(() -> wallet.select(Optional.empty())).hasMessageContaining("--from");
    assertThat(wallet.select(Optional.of(key.address().toText())).address()).isEqualTo(key.address());
    assertThat(wallet.list()).hasSize(2);
  }
}
