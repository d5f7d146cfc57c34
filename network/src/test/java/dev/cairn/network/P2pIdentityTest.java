package dev.cairn.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.ledger.crypto.KeyFiles;
import dev.cairn.ledger.crypto.KeyPair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class P2pIdentityTest {
  private final KeyPair node = KeyPair.fromSeedText("validator");
  @TempDir Path dir;

  @Test
  void theFirstStartCreatesAnOwnerOnlyKeyTheNextStartsReuse() throws Exception {
    Path file = dir.resolve("data").resolve("p2p.key");
    P2pIdentity first = P2pIdentity.load(file, node, "chain-a");
    assertThat(first.created()).isTrue();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(first.peerId()).isNotEqualTo(first.nodeKeyPeerId());
    assertThat(first.binding().check("chain-a", first.peerId())).isNull();
    assertThat(first.binding().signer()).isEqualTo(node.publicKey());

    P2pIdentity again = P2pIdentity.load(file, node, "chain-a");
    assertThat(again.created()).isFalse();
    assertThat(again.peerId()).isEqualTo(first.peerId());
  }

  @Test
  void aKeyOthersCanReadIsRefused() throws Exception {
    Path file = dir.resolve("p2p.key");
    P2pIdentity.load(file, node, "chain-a");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> P2pIdentity.load(file, node, "chain-a")).isInstanceOf(KeyFiles.InsecureKeyFileException.class);
  }

  @Test
  void theNodeKeyItselfIsRefusedAsP2pKey() {
    Path file = dir.resolve("p2p.key");
    KeyFiles.writeNodeKey(file, node);
    assertThatThrownBy(() -> P2pIdentity.load(file, node, "chain-a")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is the node key");
  }
}
