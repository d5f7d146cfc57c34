package dev.cairn.consensus;

import dev.cairn.consensus.message.ConsensusMessage;
import dev.cairn.consensus.message.MessageCodec;
import dev.cairn.consensus.message.PreparedCertificate;
import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.encoding.CanonicalReader;
import dev.cairn.ledger.encoding.CanonicalWriter;
import dev.cairn.ledger.encoding.CodecException;
import dev.cairn.ledger.encoding.TypeTag;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Encoding of {@link PersistedState}: CONSENSUS_MESSAGE type tag, sub-tag 0x81, u64 height, u32 count of
 * length-prefixed messages, optional certificate (the lock, with its block). The node writes it; a corrupt
 * file is an I/O failure, so decoding throws {@link CodecException}. Sub-tag 0x80 is the first layout, whose
 * re-proposals carried their block twice; it is still read.
 *
 * <p>Each own message is at most {@link MessageCodec#MESSAGE_BYTES_MAX} (one block), and the engine keeps
 * one proposal in what it persists (see {@code HeightState.persisted}), so the whole record holds at most two
 * blocks: the latest own proposal's and the lock's.
 */
public final class PersistedStateCodec {
  static final int SUB_TAG = 0x81;
  static final int SUB_TAG_FIRST_LAYOUT = 0x80;
  /** Own messages at one height: a proposal, prepare, commit and round change per retained round. */
  public static final int OWN_MESSAGES_MAX = 4 * 1024;

  private PersistedStateCodec() {}

  public static byte[] encode(PersistedState state) {
    CanonicalWriter w = new CanonicalWriter(1024);
    TypeTag.CONSENSUS_MESSAGE.writeTo(w);
    w.u8(SUB_TAG).u64(state.height()).u32(state.ownMessages().size());
    for (ConsensusMessage message : state.ownMessages()) {
      w.bytes(Bytes.wrap(MessageCodec.encode(message)), MessageCodec.MESSAGE_BYTES_MAX);
    }
    w.bool(state.lock().isPresent());
    state.lock().ifPresent(lock -> MessageCodec.writeCertificate(w, lock));
    return w.toByteArray();
  }

  public static PersistedState decode(byte[] bytes) {
    CanonicalReader r = new CanonicalReader(bytes);
    TypeTag.CONSENSUS_MESSAGE.readFrom(r);
    int subTag = r.u8("persisted state sub-tag");
    if (subTag != SUB_TAG && subTag != SUB_TAG_FIRST_LAYOUT) {
      throw new CodecException("persisted state sub-tag: unknown " + subTag);
    }
    long height = r.u64("height");
    int count = r.u32Bounded("own message count", OWN_MESSAGES_MAX);
    List<ConsensusMessage> own = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      MessageCodec.Decoding decoding = MessageCodec.decode(
          r.bytes("own message", MessageCodec.MESSAGE_BYTES_MAX).unsafeArray(), subTag == SUB_TAG_FIRST_LAYOUT);
      if (decoding instanceof MessageCodec.Decoding.Rejected rejected) {
        throw new CodecException("own message " + i + ": " + rejected.reason());
      }
      own.add(((MessageCodec.Decoding.Decoded) decoding).message());
    }
    Optional<PreparedCertificate> lock =
        r.bool("has lock") ? Optional.of(MessageCodec.readCertificate(r)) : Optional.empty();
    r.finish("persisted consensus state");
    try {
      return new PersistedState(height, own, lock);
    } catch (IllegalArgumentException e) {
      throw new CodecException("persisted consensus state: " + e.getMessage());
    }
  }
}
