package dev.cairn.p2p.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.p2p.wire.DecodeException;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class IdentityTest {
  private static final HexFormat HEX = HexFormat.of();
  /** The alice seed; its libp2p peer ID checked against js-libp2p (LIBP2P-NOTES "alice"). */
  private static final String ALICE_SEED = "2bd806c97f0e00af1a1fc3328fa763a9269723c8db8fac4f93af71db186d6e90";

  @Test
  void aliceVectorMatchesJsLibp2p() {
    HostKey alice = HostKey.fromSeed(HEX.parseHex(ALICE_SEED));
    assertThat(HEX.formatHex(IdentityKeys.toProtobuf(alice.publicKey())))
        .isEqualTo("08011220d5bf4a3fcce717b0388bcc2749ebc148ad9969b23f45ee1b605fd58778576ac4");
    assertThat(alice.peerId().toBase58()).isEqualTo("12D3KooWQCkBm1BYtkHpocxCwMgR8yjitEeHGx8spzcDLGt2gkBm");
    assertThat(alice.peerId().bytes()).hasSize(38).startsWith(0x00, 0x24, 0x08, 0x01, 0x12, 0x20);
    assertThat(alice.toProtobuf()).hasSize(68).startsWith(0x08, 0x01, 0x12, 0x40);
  }

  @Test
  void specPrivateKeyVectorDecodesToItsPublicKey() {
    // libp2p peer-ids spec, Ed25519 test vector.
    HostKey key = HostKey.fromProtobuf(HEX.parseHex(
        "080112407e0830617c4a7de83925dfb2694556b12936c477a0e1feb2e148ec9da60fee7d"
            + "1ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e"));
    assertThat(HEX.formatHex(IdentityKeys.toProtobuf(key.publicKey())))
        .isEqualTo("080112201ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e");
  }

  @Test
  void peerIdRoundTripsAndOrders() {
    SecureRandom rnd = new SecureRandom();
    HostKey a = HostKey.generate(rnd);
    HostKey b = HostKey.generate(rnd);
    PeerId parsed = PeerId.fromBase58(a.peerId().toBase58());
    assertThat(parsed).isEqualTo(a.peerId()).hasSameHashCodeAs(a.peerId());
    assertThat(parsed.toBase58()).startsWith("12D3KooW");
    assertThat(parsed.publicKey()).isEqualTo(a.publicKey());
    assertThat(PeerId.fromBytes(a.peerId().bytes())).isEqualTo(a.peerId());
    assertThat(a.peerId().compareTo(b.peerId())).isEqualTo(-b.peerId().compareTo(a.peerId())).isNotZero();
    assertThat(HostKey.fromProtobuf(a.toProtobuf()).peerId()).isEqualTo(a.peerId());
  }

  @Test
  void signatureVerifiesOnlyForItsMessage() {
    HostKey k = HostKey.fromSeed(HEX.parseHex(ALICE_SEED));
    byte[] sig = k.sign("hello".getBytes());
    assertThat(IdentityKeys.verify(k.publicKey(), "hello".getBytes(), sig)).isTrue();
    assertThat(IdentityKeys.verify(k.publicKey(), "hellO".getBytes(), sig)).isFalse();
    assertThat(IdentityKeys.verify(k.publicKey(), "hello".getBytes(), new byte[3])).isFalse();
    // RFC 8032 section 7.1 test 1: empty message.
    HostKey rfc = HostKey.fromSeed(HEX.parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
    assertThat(rfc.publicKey().toHex())
        .isEqualTo("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
    assertThat(HEX.formatHex(rfc.sign(new byte[0]))).isEqualTo(
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
  }

  @Test
  void rejectsNonEd25519AndMalformedIds() {
    assertThatThrownBy(() -> PeerId.fromBase58("0OIl")).isInstanceOf(DecodeException.class);
    assertThatThrownBy(() -> PeerId.fromBytes(new byte[] {0, 1, 0})).isInstanceOf(DecodeException.class);
    assertThatThrownBy(() -> IdentityKeys.fromProtobuf(HEX.parseHex("0800122001"))).isInstanceOf(DecodeException.class);
    // The neutral point (y = 1) is a valid encoding of a small-order point: a peer's key must pass full validation.
    assertThatThrownBy(() -> IdentityKeys.fromProtobuf(HEX.parseHex("08011220" + "01" + "00".repeat(31))))
        .isInstanceOf(DecodeException.class).hasMessageContaining("key_not_on_curve");
    // An RSA-style (sha2-256) ID parses but carries no inline key.
    byte[] sha = new byte[34];
    sha[0] = 0x12;
    sha[1] = 0x20;
    assertThat(PeerId.fromBytes(sha).publicKey()).isNull();
    assertThat(PeerId.fromBytes(sha).toBase58()).startsWith("Qm");
  }

  @Test
  void aLedgerKeysPeerIdIsTheBase58OfTheIdentityMultihashOfItsProtobuf() {
    PublicKey key = KeyPair.fromSeedText("peer").publicKey();
    PeerId id = PeerId.fromPublicKey(key);
    // Every Ed25519 peer ID in base58 starts with these characters: the fixed 6-byte prefix 00 24 08 01 12 20.
    assertThat(id.toBase58()).startsWith("12D3KooW").hasSize(52)
        .isEqualTo(Base58.encode(HEX.parseHex("002408011220" + key.toHex())));
    assertThat(id.publicKey()).isEqualTo(key);
    assertThat(PeerId.fromPublicKey(KeyPair.fromSeedText("other").publicKey())).isNotEqualTo(id);
  }

  @Test
  void base58KnownVectors() {
    assertThat(Base58.encode("Hello World!".getBytes())).isEqualTo("2NEpo7TZRRrLZSi2U");
    assertThat(Base58.encode(new byte[] {0, 0, 1})).isEqualTo("112");
    assertThat(Base58.decode("112")).containsExactly(0, 0, 1);
  }
}
