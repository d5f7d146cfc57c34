package dev.cairn.p2p.gossip;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.cairn.p2p.identity.HostKey;
import dev.cairn.p2p.identity.IdentityKeys;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class MessageSigningTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final HostKey ALICE =
      HostKey.fromSeed(HEX.parseHex("2bd806c97f0e00af1a1fc3328fa763a9269723c8db8fac4f93af71db186d6e90"));

  private static PubsubMessage vector() {
    return MessageSigning.sign(ALICE, "interop", ByteString.copyFromUtf8("hello from A"), 0x18ea99641a532581L);
  }

  @Test
  void signsTheInteropVectorExactlyAsJsDoes() {
    PubsubMessage m = vector();
    assertThat(HEX.formatHex(MessageSigning.signedBytes(m))).isEqualTo(
        HEX.formatHex("libp2p-pubsub:".getBytes(StandardCharsets.US_ASCII))
            + "0a26002408011220d5bf4a3fcce717b0388bcc2749ebc148ad9969b23f45ee1b605fd58778576ac4"
            + "120c68656c6c6f2066726f6d2041" + "1a0818ea99641a532581" + "2207696e7465726f70");
    assertThat(HEX.formatHex(m.signature().toByteArray())).isEqualTo(
        "cfbace082d3b2a71ebfe608920e60e4ec66e8299d9316a9d0a2434c26fef6791"
            + "0d15d8f7b83ea82d94fef23538d42147fe91b35ca76cca024cfc2be58228fc06");
    assertThat(HEX.formatHex(m.key().toByteArray()))
        .isEqualTo("08011220d5bf4a3fcce717b0388bcc2749ebc148ad9969b23f45ee1b605fd58778576ac4");
    assertThat(MessageSigning.check(SignaturePolicy.STRICT_SIGN, m)).isEqualTo(MessageCheck.VALID);
  }

  @Test
  void keyIsOptionalForEd25519Authors() {
    PubsubMessage m = vector();
    PubsubMessage noKey = new PubsubMessage(m.from(), m.data(), m.seqno(), m.topic(), m.signature(), ByteString.EMPTY);
    assertThat(MessageSigning.check(SignaturePolicy.STRICT_SIGN, noKey)).isEqualTo(MessageCheck.VALID);
  }

  @Test
  void refusesTamperingWithAReason() {
    PubsubMessage m = vector();
    assertThat(reason(new PubsubMessage(m.from(), ByteString.copyFromUtf8("hello from B"), m.seqno(), m.topic(),
        m.signature(), m.key()))).isEqualTo(MessageCheck.Reason.INVALID_SIGNATURE);
    assertThat(reason(new PubsubMessage(m.from(), m.data(), m.seqno().substring(1), m.topic(), m.signature(),
        m.key()))).isEqualTo(MessageCheck.Reason.INVALID_SEQNO);
    assertThat(reason(new PubsubMessage(ByteString.copyFromUtf8("nobody"), m.data(), m.seqno(), m.topic(),
        m.signature(), m.key()))).isEqualTo(MessageCheck.Reason.INVALID_PEER_ID);
    HostKey bob = HostKey.fromSeed(new byte[32]);
    assertThat(reason(new PubsubMessage(m.from(), m.data(), m.seqno(), m.topic(), m.signature(),
        ByteString.copyFrom(IdentityKeys.toProtobuf(bob.publicKey()))))).isEqualTo(MessageCheck.Reason.KEY_MISMATCH);
    assertThat(reason(PubsubMessage.unsigned("interop", m.data()))).isEqualTo(MessageCheck.Reason.INVALID_SEQNO);
    assertThat(MessageSigning.check(SignaturePolicy.STRICT_NO_SIGN, m))
        .isInstanceOf(MessageCheck.Invalid.class);
    assertThat(MessageSigning.check(SignaturePolicy.STRICT_NO_SIGN, PubsubMessage.unsigned("t", m.data())))
        .isEqualTo(MessageCheck.VALID);
  }

  @Test
  void aCachedAuthorStillNeedsAMatchingKeyAndAValidSignature() {
    AuthorKeys authors = new AuthorKeys(2);
    PubsubMessage m = vector();
    assertThat(MessageSigning.check(SignaturePolicy.STRICT_SIGN, m, authors)).isEqualTo(MessageCheck.VALID);
    HostKey bob = HostKey.fromSeed(new byte[32]);
    PubsubMessage wrongKey = new PubsubMessage(m.from(), m.data(), m.seqno(), m.topic(), m.signature(),
        ByteString.copyFrom(IdentityKeys.toProtobuf(bob.publicKey())));
    assertThat(((MessageCheck.Invalid) MessageSigning.check(SignaturePolicy.STRICT_SIGN, wrongKey, authors)).reason())
        .isEqualTo(MessageCheck.Reason.KEY_MISMATCH);
    PubsubMessage tampered = new PubsubMessage(m.from(), ByteString.copyFromUtf8("x"), m.seqno(), m.topic(),
        m.signature(), m.key());
    assertThat(((MessageCheck.Invalid) MessageSigning.check(SignaturePolicy.STRICT_SIGN, tampered, authors)).reason())
        .isEqualTo(MessageCheck.Reason.INVALID_SIGNATURE);
    assertThat(MessageSigning.check(SignaturePolicy.STRICT_SIGN, m, authors)).isEqualTo(MessageCheck.VALID);
  }

  @Test
  void messageIdFunctionsFollowSpecAndJs() {
    PubsubMessage m = vector();
    assertThat(HEX.formatHex(MessageIdFunction.fromAndSeqno().apply(m).bytes().toByteArray())).isEqualTo(
        "002408011220d5bf4a3fcce717b0388bcc2749ebc148ad9969b23f45ee1b605fd58778576ac4" + "18ea99641a532581");
    byte[] js = MessageIdFunction.publicKeyAndSeqno().apply(m).bytes().toByteArray();
    assertThat(js).hasSize(44);
    assertThat(HEX.formatHex(js)).startsWith("08011220d5bf").endsWith("18ea99641a532581");
    assertThat(MessageIdFunction.sha256OfData().apply(m).bytes().size()).isEqualTo(32);
  }

  private static MessageCheck.Reason reason(PubsubMessage m) {
    return ((MessageCheck.Invalid) MessageSigning.check(SignaturePolicy.STRICT_SIGN, m)).reason();
  }
}
