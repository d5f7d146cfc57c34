package dev.cairn.consensus.message;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.codec.LedgerCodec;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.crypto.Signature;
import dev.cairn.ledger.encoding.CanonicalReader;
import dev.cairn.ledger.encoding.CanonicalWriter;
import dev.cairn.ledger.encoding.CodecException;
import dev.cairn.ledger.encoding.TypeTag;
import dev.cairn.ledger.model.Block;
import dev.cairn.ledger.model.Limits;
import dev.cairn.ledger.model.Validation;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one canonical encoding of consensus messages (layout in docs/consensus.md):
 *
 * <pre>
 * message  = TypeTag.CONSENSUS_MESSAGE(2) signed u32:count signed* bool:hasCertificate [certificate]
 * signed   = body author(32) signature(64)
 * body     = u8:kind u64:height u32:round kind-specific
 * certificate (in a ROUND_CHANGE) = bytes:block u32:count signed*   (each a PREPARE)
 * certificate (in a PROPOSAL)     = u32:count signed*               (its block is the proposal's block)
 * </pre>
 *
 * A message therefore carries at most one block: a re-proposal of a locked block sends the block once, in
 * its body, and its certificate by the prepares alone. That bounds every message by
 * {@link #messageBytesMax(int)} of the chain's block limit, which the network's limits are derived from.
 *
 * <p>Every count and length is bounded before anything is allocated; decoding untrusted bytes returns a
 * {@link Decoding} naming the reason instead of throwing.
 */
public final class MessageCodec {
  /** Largest block the wire carries (the ledger's block limit). */
  public static final int BLOCK_BYTES_MAX = Limits.BLOCK_BYTES_MAX;
  /** Round changes in one proposal's justification, and prepares in one certificate. */
  public static final int JUSTIFICATION_MESSAGES_MAX = Limits.VALIDATORS_MAX;
  /** kind, height, round of every body. */
  static final int BODY_HEADER_BYTES = 1 + 8 + 4;
  /** author and signature after every body. */
  static final int SIGNATURE_PART_BYTES = 32 + 64;
  /** A signed ROUND_CHANGE naming a prepared block (the larger of its two forms). */
  public static final int SIGNED_ROUND_CHANGE_BYTES_MAX = BODY_HEADER_BYTES + 1 + 4 + 32 + SIGNATURE_PART_BYTES;
  /** A signed PREPARE. */
  public static final int SIGNED_PREPARE_BYTES = BODY_HEADER_BYTES + 32 + SIGNATURE_PART_BYTES;
  /** A signed COMMIT: the largest message without a block. */
  public static final int SIGNED_COMMIT_BYTES = BODY_HEADER_BYTES + 32 + 64 + SIGNATURE_PART_BYTES;
  private static final int TYPE_TAG_BYTES = typeTagBytes();
  /** A whole message whose block is of the ledger's largest size. */
  public static final int MESSAGE_BYTES_MAX = messageBytesMax(BLOCK_BYTES_MAX);

  /**
   * The largest encoding of any message when blocks are at most {@code blockBytesMax} encoded bytes: the
   * worst legal message is a PROPOSAL re-proposing a locked block with the largest justification (every
   * round change naming a certificate, a certificate of as many prepares). A ROUND_CHANGE with its
   * certificate is smaller: the same block, no round changes.
   */
  public static int messageBytesMax(int blockBytesMax) {
    if (blockBytesMax < 0 || blockBytesMax > BLOCK_BYTES_MAX) {
      throw new IllegalArgumentException("block limit " + blockBytesMax + " outside 0.." + BLOCK_BYTES_MAX);
    }
    long proposal = BODY_HEADER_BYTES + 4L + blockBytesMax + SIGNATURE_PART_BYTES;
    long justification = 4L + (long) JUSTIFICATION_MESSAGES_MAX * SIGNED_ROUND_CHANGE_BYTES_MAX;
    long certificate = 1 + 4L + (long) JUSTIFICATION_MESSAGES_MAX * SIGNED_PREPARE_BYTES;
    return Math.toIntExact(TYPE_TAG_BYTES + proposal + justification + certificate);
  }

  private static int typeTagBytes() {
    CanonicalWriter w = new CanonicalWriter(16);
    TypeTag.CONSENSUS_MESSAGE.writeTo(w);
    return w.size();
  }

  private MessageCodec() {}

  /** The result of decoding untrusted bytes. */
  public sealed interface Decoding {
    record Decoded(ConsensusMessage message) implements Decoding {}

    record Rejected(Validation.Invalid reason) implements Decoding {}
  }

  public static byte[] encode(ConsensusMessage message) {
    CanonicalWriter w = new CanonicalWriter(512);
    TypeTag.CONSENSUS_MESSAGE.writeTo(w);
    writeSigned(w, message.signed());
    w.u32(message.roundChanges().size());
    for (SignedMessage rc : message.roundChanges()) {
      writeSigned(w, rc);
    }
    w.bool(message.prepared().isPresent());
    if (message.prepared().isPresent()) {
      PreparedCertificate certificate = message.prepared().get();
      if (message.body() instanceof MessageBody.Proposal p) {
        if (!p.block().hash().equals(certificate.blockHash())) {
          // Unrepresentable on the wire (and invalid anyway): a proposal with a certificate re-proposes its block.
          throw new IllegalArgumentException("a proposal's certificate must be for the proposed block");
        }
        writePrepares(w, certificate);
      } else {
        writeCertificate(w, certificate);
      }
    }
    return w.toByteArray();
  }

  public static Decoding decode(byte[] bytes) {
    return decode(bytes, false);
  }

  /**
   * With {@code proposalCertificateWithBlock}, decodes the first layout, in which a proposal's certificate
   * carried a second copy of the block: only for consensus state persisted by an older node.
   */
  public static Decoding decode(byte[] bytes, boolean proposalCertificateWithBlock) {
    if (bytes.length > MESSAGE_BYTES_MAX) {
      return rejected("message_too_large", bytes.length + " bytes, limit " + MESSAGE_BYTES_MAX);
    }
    try {
      CanonicalReader r = new CanonicalReader(bytes);
      TypeTag.CONSENSUS_MESSAGE.readFrom(r);
      SignedMessage signed = readSigned(r);
      int count = r.u32Bounded("round change count", JUSTIFICATION_MESSAGES_MAX);
      List<SignedMessage> roundChanges = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        roundChanges.add(readSigned(r));
      }
      Optional<PreparedCertificate> certificate = Optional.empty();
      if (r.bool("has certificate")) {
        certificate = Optional.of(signed.body() instanceof MessageBody.Proposal p && !proposalCertificateWithBlock
            ? new PreparedCertificate(p.block(), readPrepares(r))
            : readCertificate(r));
      }
      r.finish("consensus message");
      return new Decoding.Decoded(new ConsensusMessage(signed, roundChanges, certificate));
    } catch (CodecException e) {
      return rejected("malformed_message", e.getMessage());
    } catch (IllegalArgumentException e) {
      // A record's compact constructor refused a decoded value (negative round, bad key size...).
      return rejected("malformed_message", e.getMessage());
    }
  }

  /** The kind of an encoded message, read without decoding it (empty if the bytes are too short or unknown). */
  public static Optional<MessageKind> peekKind(byte[] bytes) {
    if (bytes.length <= TYPE_TAG_BYTES) {
      return Optional.empty();
    }
    return Optional.ofNullable(MessageKind.ofCode(bytes[TYPE_TAG_BYTES] & 0xFF));
  }

  private static Decoding rejected(String reason, String detail) {
    return new Decoding.Rejected(new Validation.Invalid(reason, detail));
  }

  /** The bytes a signature covers (hashed under DomainTag.CONSENSUS_MESSAGE by SignedMessage). */
  public static byte[] encodeBody(MessageBody body) {
    CanonicalWriter w = new CanonicalWriter(128);
    writeBody(w, body);
    return w.toByteArray();
  }

  public static void writeSigned(CanonicalWriter w, SignedMessage signed) {
    writeBody(w, signed.body());
    w.fixed(signed.author().bytes()).fixed(signed.signature().bytes());
  }

  public static SignedMessage readSigned(CanonicalReader r) {
    MessageBody body = readBody(r);
    PublicKey author = new PublicKey(Bytes.wrap(r.fixed(PublicKey.SIZE, "author")));
    Signature signature = new Signature(Bytes.wrap(r.fixed(Signature.SIZE, "signature")));
    return new SignedMessage(body, author, signature);
  }

  private static void writeBody(CanonicalWriter w, MessageBody body) {
    w.u8(body.kind().code()).u64(body.height()).u32(body.round());
    switch (body) {
      case MessageBody.Proposal p -> w.bytes(Bytes.wrap(LedgerCodec.encode(p.block())), BLOCK_BYTES_MAX);
      case MessageBody.Prepare p -> w.hash(p.blockHash());
      case MessageBody.Commit c -> w.hash(c.blockHash()).fixed(c.sealSignature().bytes());
      case MessageBody.RoundChange rc -> {
        w.bool(rc.prepared().isPresent());
        rc.prepared().ifPresent(ref -> w.u32(ref.round()).hash(ref.blockHash()));
      }
    }
  }

  private static MessageBody readBody(CanonicalReader r) {
    int code = r.u8("message kind");
    MessageKind kind = MessageKind.ofCode(code);
    if (kind == null) {
      throw new CodecException("message kind: unknown code " + code);
    }
    long height = r.u64("height");
    int round = r.u32Bounded("round", Integer.MAX_VALUE);
    return switch (kind) {
      case PROPOSAL -> new MessageBody.Proposal(height, round, readBlock(r));
      case PREPARE -> new MessageBody.Prepare(height, round, r.hash("block hash"));
      case COMMIT ->
          new MessageBody.Commit(
              height, round, r.hash("block hash"), new Signature(Bytes.wrap(r.fixed(Signature.SIZE, "seal"))));
      case ROUND_CHANGE -> {
        Optional<MessageBody.PreparedRef> prepared = Optional.empty();
        if (r.bool("has prepared")) {
          int preparedRound = r.u32Bounded("prepared round", Integer.MAX_VALUE);
          prepared = Optional.of(new MessageBody.PreparedRef(preparedRound, r.hash("prepared block hash")));
        }
        yield new MessageBody.RoundChange(height, round, prepared);
      }
    };
  }

  private static Block readBlock(CanonicalReader r) {
    return LedgerCodec.decodeBlock(r.bytes("block", BLOCK_BYTES_MAX).unsafeArray());
  }

  /** A certificate with its block (a ROUND_CHANGE's, a persisted lock). */
  public static void writeCertificate(CanonicalWriter w, PreparedCertificate certificate) {
    w.bytes(Bytes.wrap(LedgerCodec.encode(certificate.block())), BLOCK_BYTES_MAX);
    writePrepares(w, certificate);
  }

  private static void writePrepares(CanonicalWriter w, PreparedCertificate certificate) {
    w.u32(certificate.prepares().size());
    for (SignedMessage prepare : certificate.prepares()) {
      writeSigned(w, prepare);
    }
  }

  public static PreparedCertificate readCertificate(CanonicalReader r) {
    Block block = readBlock(r);
    return new PreparedCertificate(block, readPrepares(r));
  }

  private static List<SignedMessage> readPrepares(CanonicalReader r) {
    int count = r.u32Bounded("prepare count", JUSTIFICATION_MESSAGES_MAX);
    if (count == 0) {
      throw new CodecException("prepare count: a certificate needs prepares");
    }
    List<SignedMessage> prepares = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      prepares.add(readSigned(r));
    }
    return prepares;
  }
}
