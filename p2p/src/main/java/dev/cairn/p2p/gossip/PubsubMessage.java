package dev.cairn.p2p.gossip;

import com.google.protobuf.ByteString;
import java.util.Objects;

/**
 * A pubsub message as it travels in an RPC ({@code Message} in the pubsub rpc.proto). Absent fields are
 * empty, as in proto3: {@code from}, {@code seqno}, {@code signature} and {@code key} are empty for unsigned
 * messages.
 *
 * @param from peer-ID bytes (multihash) of the author
 * @param data the application payload
 * @param seqno 8 bytes big-endian under StrictSign
 * @param topic the topic the message was published on
 * @param signature Ed25519 signature over {@code "libp2p-pubsub:"} followed by fields 1-4
 * @param key the author's PublicKey protobuf, optional when it can be derived from {@code from}
 */
public record PubsubMessage(
    ByteString from, ByteString data, ByteString seqno, String topic, ByteString signature, ByteString key) {
  public PubsubMessage {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(seqno, "seqno");
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(signature, "signature");
    Objects.requireNonNull(key, "key");
  }

  /** An unsigned message carrying only topic and data (StrictNoSign). */
  public static PubsubMessage unsigned(String topic, ByteString data) {
    return new PubsubMessage(ByteString.EMPTY, data, ByteString.EMPTY, topic, ByteString.EMPTY, ByteString.EMPTY);
  }

  /** The same message without signature and key: what the author signs. */
  public PubsubMessage withoutSignature() {
    return new PubsubMessage(from, data, seqno, topic, ByteString.EMPTY, ByteString.EMPTY);
  }

  @Override
  public String toString() {
    return "PubsubMessage[topic=" + topic + " dataBytes=" + data.size() + " seqnoBytes=" + seqno.size() + "]";
  }
}
