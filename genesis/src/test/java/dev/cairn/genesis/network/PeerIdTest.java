package dev.cairn.genesis.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.crypto.PublicKey;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class PeerIdTest {

  @Test
  void base58MatchesTheStandardVectors() {
    assertThat(PeerId.base58("Hello World!".getBytes(StandardCharsets.US_ASCII))).isEqualTo("2NEpo7TZRRrLZSi2U");
    assertThat(PeerId.base58(HexFormat.of().parseHex("0000287fb4cd"))).isEqualTo("11233QC4");
    assertThat(PeerId.base58(new byte[0])).isEmpty();
  }

  @Test
  void anEd25519PeerIdIsTheBase58OfTheIdentityMultihashOfTheProtobufKey() {
    PublicKey key = KeyPair.fromSeedText("peer").publicKey();
    String id = PeerId.of(key);
    // Every Ed25519 peer ID in base58 starts with these characters: the fixed 6-byte prefix 00 24 08 01 12 20.
    assertThat(id).startsWith("12D3KooW").hasSize(52);
    assertThat(id).isEqualTo(PeerId.base58(HexFormat.of().parseHex("002408011220" + key.toHex())));
    assertThat(PeerId.of(KeyPair.fromSeedText("other").publicKey())).isNotEqualTo(id);
  }
}
