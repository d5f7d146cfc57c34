package dev.cairn.p2p.gossip;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Computes a message's id. Every peer of a network must use the same function: IHAVE/IWANT carry ids as raw
 * bytes, and an id the other side computes differently is never matched.
 */
@FunctionalInterface
public interface MessageIdFunction {
  MessageId apply(PubsubMessage message);

  /** The spec's (and go-libp2p's) default: {@code from || seqno}, from being the peer-ID multihash. */
  static MessageIdFunction fromAndSeqno() {
    return m -> new MessageId(m.from().concat(m.seqno()));
  }

  /**
   * js-libp2p's StrictSign default: the author's PublicKey protobuf followed by seqno. For Ed25519 authors
   * (identity multihash {@code 00 24 <protobuf>}) that is {@code from} without its 2-byte multihash prefix.
   */
  static MessageIdFunction publicKeyAndSeqno() {
    return m -> {
      ByteString from = m.from();
      boolean identityMultihash = from.size() >= 2 && from.byteAt(0) == 0 && (from.byteAt(1) & 0xFF) == from.size() - 2;
      return new MessageId((identityMultihash ? from.substring(2) : from).concat(m.seqno()));
    };
  }

  /**
   * A content id for StrictNoSign networks: SHA-256 over {@code uvarint(topic byte length) || topic (UTF-8) ||
   * data}. Identical content on one topic has one id however many peers publish it; the same bytes on two
   * topics have two ids. The topic is hashed in because the seen cache and the message cache are shared by
   * all topics and IWANT names ids only: with data-only ids (js-libp2p's StrictNoSign default, {@link
   * #sha256OfData}) a payload on one topic would shadow the same payload on another and an IWANT could be
   * answered with the other topic's message. The length prefix keeps (topic, data) pairs unambiguous.
   */
  static MessageIdFunction contentHash() {
    return m -> {
      MessageDigest sha = sha256();
      byte[] topic = m.topic().getBytes(StandardCharsets.UTF_8);
      long length = topic.length;
      while (length >= 0x80) {
        sha.update((byte) ((length & 0x7F) | 0x80));
        length >>>= 7;
      }
      sha.update((byte) length);
      sha.update(topic);
      m.data().asReadOnlyByteBufferList().forEach(sha::update);
      return MessageId.of(sha.digest());
    };
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK ships SHA-256", e);
    }
  }

  /** SHA-256 of the data alone: js-libp2p's StrictNoSign default (interop); see {@link #contentHash} for Cairn. */
  static MessageIdFunction sha256OfData() {
    return m -> {
      MessageDigest sha = sha256();
      m.data().asReadOnlyByteBufferList().forEach(sha::update);
      return MessageId.of(sha.digest());
    };
  }
}
