package dev.cairn.p2p.gossip;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Encodes RPCs canonically: fields in declaration order, empty fields omitted (proto3). The message encoding
 * without fields 5 and 6 is exactly what StrictSign signs, so {@link #encodeMessage} doubles as the input to
 * signing and verification.
 */
final class RpcEncoder {
  private RpcEncoder() {}

  static byte[] encode(Rpc rpc) {
    byte[] out = new byte[rpcSize(rpc)];
    CodedOutputStream cos = CodedOutputStream.newInstance(out);
    try {
      for (Rpc.Subscription s : rpc.subscriptions()) {
        cos.writeTag(1, 2);
        cos.writeUInt32NoTag(subscriptionSize(s));
        writeSubscription(cos, s);
      }
      for (PubsubMessage m : rpc.messages()) {
        cos.writeTag(2, 2);
        cos.writeUInt32NoTag(messageSize(m));
        writeMessage(cos, m);
      }
      if (!rpc.control().isEmpty()) {
        cos.writeTag(3, 2);
        cos.writeUInt32NoTag(controlSize(rpc.control()));
        writeControl(cos, rpc.control());
      }
      cos.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException("encoding into an exactly sized array cannot fail", e);
    }
    return out;
  }

  /** The Message protobuf alone (fields 1..6 as present). */
  static byte[] encodeMessage(PubsubMessage m) {
    byte[] out = new byte[messageSize(m)];
    CodedOutputStream cos = CodedOutputStream.newInstance(out);
    try {
      writeMessage(cos, m);
      cos.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException("encoding into an exactly sized array cannot fail", e);
    }
    return out;
  }

  static int rpcSize(Rpc rpc) {
    int size = 0;
    for (Rpc.Subscription s : rpc.subscriptions()) {
      size += delimited(1, subscriptionSize(s));
    }
    for (PubsubMessage m : rpc.messages()) {
      size += messageEntrySize(m);
    }
    if (!rpc.control().isEmpty()) {
      size += delimited(3, controlSize(rpc.control()));
    }
    return size;
  }

  /** Bytes one message adds to an RPC (tag, length and body). */
  static int messageEntrySize(PubsubMessage m) {
    return delimited(2, messageSize(m));
  }

  private static int delimited(int field, int bodySize) {
    return CodedOutputStream.computeTagSize(field) + CodedOutputStream.computeUInt32SizeNoTag(bodySize) + bodySize;
  }

  private static int bytesSize(int field, ByteString b) {
    return b.isEmpty() ? 0 : CodedOutputStream.computeBytesSize(field, b);
  }

  private static int stringSize(int field, String s) {
    return s.isEmpty() ? 0 : CodedOutputStream.computeStringSize(field, s);
  }

  private static int subscriptionSize(Rpc.Subscription s) {
    return (s.subscribe() ? CodedOutputStream.computeBoolSize(1, true) : 0) + stringSize(2, s.topic());
  }

  static int messageSize(PubsubMessage m) {
    return bytesSize(1, m.from()) + bytesSize(2, m.data()) + bytesSize(3, m.seqno()) + stringSize(4, m.topic())
        + bytesSize(5, m.signature()) + bytesSize(6, m.key());
  }

  private static int idsSize(int field, List<MessageId> ids) {
    int size = 0;
    for (MessageId id : ids) {
      size += CodedOutputStream.computeBytesSize(field, id.bytes());
    }
    return size;
  }

  private static int ihaveSize(Control.IHave h) {
    return stringSize(1, h.topic()) + idsSize(2, h.messageIds());
  }

  private static int pruneSize(Control.Prune p) {
    int size = stringSize(1, p.topic());
    for (ByteString peer : p.peers()) {
      size += CodedOutputStream.computeBytesSize(2, peer);
    }
    return size + (p.backoffSeconds() == 0 ? 0 : CodedOutputStream.computeUInt64Size(3, p.backoffSeconds()));
  }

  private static int controlSize(Control c) {
    int size = 0;
    for (Control.IHave h : c.ihave()) {
      size += delimited(1, ihaveSize(h));
    }
    for (Control.IWant w : c.iwant()) {
      size += delimited(2, idsSize(1, w.messageIds()));
    }
    for (Control.Graft g : c.graft()) {
      size += delimited(3, stringSize(1, g.topic()));
    }
    for (Control.Prune p : c.prune()) {
      size += delimited(4, pruneSize(p));
    }
    return size;
  }

  private static void writeSubscription(CodedOutputStream cos, Rpc.Subscription s) throws IOException {
    if (s.subscribe()) {
      cos.writeBool(1, true);
    }
    writeString(cos, 2, s.topic());
  }

  private static void writeMessage(CodedOutputStream cos, PubsubMessage m) throws IOException {
    writeBytes(cos, 1, m.from());
    writeBytes(cos, 2, m.data());
    writeBytes(cos, 3, m.seqno());
    writeString(cos, 4, m.topic());
    writeBytes(cos, 5, m.signature());
    writeBytes(cos, 6, m.key());
  }

  private static void writeControl(CodedOutputStream cos, Control c) throws IOException {
    for (Control.IHave h : c.ihave()) {
      cos.writeTag(1, 2);
      cos.writeUInt32NoTag(ihaveSize(h));
      writeString(cos, 1, h.topic());
      writeIds(cos, 2, h.messageIds());
    }
    for (Control.IWant w : c.iwant()) {
      cos.writeTag(2, 2);
      cos.writeUInt32NoTag(idsSize(1, w.messageIds()));
      writeIds(cos, 1, w.messageIds());
    }
    for (Control.Graft g : c.graft()) {
      cos.writeTag(3, 2);
      cos.writeUInt32NoTag(stringSize(1, g.topic()));
      writeString(cos, 1, g.topic());
    }
    for (Control.Prune p : c.prune()) {
      cos.writeTag(4, 2);
      cos.writeUInt32NoTag(pruneSize(p));
      writeString(cos, 1, p.topic());
      for (ByteString peer : p.peers()) {
        cos.writeBytes(2, peer);
      }
      if (p.backoffSeconds() != 0) {
        cos.writeUInt64(3, p.backoffSeconds());
      }
    }
  }

  private static void writeIds(CodedOutputStream cos, int field, List<MessageId> ids) throws IOException {
    for (MessageId id : ids) {
      cos.writeBytes(field, id.bytes());
    }
  }

  private static void writeBytes(CodedOutputStream cos, int field, ByteString b) throws IOException {
    if (!b.isEmpty()) {
      cos.writeBytes(field, b);
    }
  }

  private static void writeString(CodedOutputStream cos, int field, String s) throws IOException {
    if (!s.isEmpty()) {
      cos.writeString(field, s);
    }
  }
}
