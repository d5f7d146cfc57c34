package dev.cairn.p2p.gossip;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.p2p.gossip.MessageCheck.Invalid;
import dev.cairn.p2p.gossip.MessageCheck.Reason;
import dev.cairn.p2p.identity.HostKey;
import dev.cairn.p2p.identity.IdentityKeys;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * StrictSign and StrictNoSign as the pubsub spec defines them: the author signs {@code "libp2p-pubsub:"}
 * followed by the Message protobuf without signature (5) and key (6), encoded canonically in field order.
 * {@code key} is optional on receipt (an Ed25519 {@code from} inlines the key); if present it must derive to
 * {@code from}. Checks run in js-libp2p's order: seqno, signature, peer ID.
 */
public final class MessageSigning {
  private static final byte[] SIGN_PREFIX = "libp2p-pubsub:".getBytes(StandardCharsets.US_ASCII);
  public static final int SEQNO_BYTES = 8;

  private MessageSigning() {}

  /** The bytes the author signs. */
  public static byte[] signedBytes(PubsubMessage message) {
    byte[] body = RpcEncoder.encodeMessage(message.withoutSignature());
    byte[] out = Arrays.copyOf(SIGN_PREFIX, SIGN_PREFIX.length + body.length);
    System.arraycopy(body, 0, out, SIGN_PREFIX.length, body.length);
    return out;
  }

  /** A StrictSign message authored by {@code key}, with the key field set as js-libp2p sends it. */
  public static PubsubMessage sign(HostKey key, String topic, ByteString data, long seqno) {
    byte[] seq = new byte[SEQNO_BYTES];
    for (int i = 0; i < SEQNO_BYTES; i++) {
      seq[i] = (byte) (seqno >>> (8 * (SEQNO_BYTES - 1 - i)));
    }
    PubsubMessage unsigned = new PubsubMessage(
        wrap(key.peerId().bytes()), data, wrap(seq), topic, ByteString.EMPTY, ByteString.EMPTY);
    byte[] signature = key.sign(signedBytes(unsigned));
    return new PubsubMessage(unsigned.from(), data, unsigned.seqno(), topic, wrap(signature),
        wrap(IdentityKeys.toProtobuf(key.publicKey())));
  }

  /** Checks one message without a key cache (tests, one-offs). */
  public static MessageCheck check(SignaturePolicy policy, PubsubMessage m) {
    return check(policy, m, new AuthorKeys(1));
  }

  static MessageCheck check(SignaturePolicy policy, PubsubMessage m, AuthorKeys authors) {
    if (m.topic().isEmpty()) {
      return new Invalid(Reason.EMPTY_TOPIC, "message without topic");
    }
    return switch (policy) {
      case STRICT_NO_SIGN -> m.from().isEmpty() && m.seqno().isEmpty() && m.signature().isEmpty() && m.key().isEmpty()
          ? MessageCheck.VALID
          : new Invalid(Reason.UNEXPECTED_SIGNATURE_FIELDS, "StrictNoSign message carries from/seqno/signature/key");
      case STRICT_SIGN -> checkSigned(m, authors);
    };
  }

  private static MessageCheck checkSigned(PubsubMessage m, AuthorKeys authors) {
    return switch (prepare(m, authors)) {
      case Prepared.Refused refused -> refused.invalid();
      case Prepared.Ready ready -> ready.verify();
    };
  }

  /** A StrictSign message after its cheap checks: refused, or ready for the (costly) signature check. */
  sealed interface Prepared {
    record Refused(Invalid invalid) implements Prepared {}

    /** Only the signature remains to check; {@link #verify} is pure and may run on any thread. */
    record Ready(PublicKey author, PubsubMessage message) implements Prepared {
      MessageCheck verify() {
        return IdentityKeys.verify(author, signedBytes(message), message.signature().toByteArray())
            ? MessageCheck.VALID
            : new Invalid(Reason.INVALID_SIGNATURE, "signature does not verify");
      }
    }
  }

  /**
   * The StrictSign checks that need the router's key cache, in js-libp2p's order (topic, seqno, signature
   * present, author key); the signature itself is left to {@link Prepared.Ready#verify}.
   */
  static Prepared prepare(PubsubMessage m, AuthorKeys authors) {
    if (m.topic().isEmpty()) {
      return new Prepared.Refused(new Invalid(Reason.EMPTY_TOPIC, "message without topic"));
    }
    if (m.seqno().size() != SEQNO_BYTES) {
      return new Prepared.Refused(new Invalid(Reason.INVALID_SEQNO, "seqno is " + m.seqno().size() + " bytes"));
    }
    if (m.signature().isEmpty()) {
      return new Prepared.Refused(new Invalid(Reason.INVALID_SIGNATURE, "no signature"));
    }
    return switch (authors.resolve(m.from(), m.key())) {
      case AuthorKeys.Refused refused -> new Prepared.Refused(refused.invalid());
      case AuthorKeys.Found found -> new Prepared.Ready(found.key(), m);
    };
  }

  private static ByteString wrap(byte[] fresh) {
    return UnsafeByteOperations.unsafeWrap(fresh);
  }
}
