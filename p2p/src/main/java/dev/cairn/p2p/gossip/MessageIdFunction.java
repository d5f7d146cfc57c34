package dev.cairn.p2p.gossip;

import com.google.protobuf.ByteString;
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

  /** SHA-256 of the data: js-libp2p's StrictNoSign default, and a content id for Cairn's own topics. */
  static MessageIdFunction sha256OfData() {
    return m -> {
      try {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        m.data().asReadOnlyByteBufferList().forEach(sha::update);
        return MessageId.of(sha.digest());
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every JDK ships SHA-256", e);
      }
    };
  }
}
