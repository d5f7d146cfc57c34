package dev.cairn.p2p.gossip;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.UnsafeByteOperations;
import com.google.protobuf.WireFormat;
import dev.cairn.p2p.gossip.RpcDecoding.Decoded;
import dev.cairn.p2p.gossip.RpcDecoding.Malformed;
import dev.cairn.p2p.gossip.RpcDecoding.Reason;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Decodes the pubsub RPC protobuf from untrusted bytes by hand, field by field, with every count and length
 * bounded by {@link RpcLimits}. Unknown fields are skipped (newer peers add e.g. IDONTWANT); a known field
 * with the wrong wire type is refused. Garbage yields {@link Malformed}, never an exception. Encoding lives
 * in {@link RpcEncoder}.
 */
public final class RpcCodec {
  /** Peer-ID multihashes are 34 (sha2-256) or 38 (identity, Ed25519) bytes; leave room, refuse junk. */
  static final int FROM_BYTES_MAX = 128;

  static final int SEQNO_BYTES_MAX = 64;
  static final int SIGNATURE_BYTES_MAX = 1024;
  static final int PEER_INFO_BYTES_MAX = 4096;

  private final RpcLimits limits;

  public RpcCodec(RpcLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  public RpcLimits limits() {
    return limits;
  }

  public byte[] encode(Rpc rpc) {
    return RpcEncoder.encode(rpc);
  }

  public RpcDecoding decode(byte[] bytes) {
    if (bytes.length > limits.rpcBytesMax()) {
      return new Malformed(Reason.RPC_TOO_LARGE, bytes.length + " > " + limits.rpcBytesMax() + " bytes");
    }
    try {
      return new Parse(CodedInputStream.newInstance(bytes)).rpc();
    } catch (IOException e) {
      return new Malformed(Reason.MALFORMED_PROTOBUF, String.valueOf(e.getMessage()));
    } catch (Refused e) {
      return e.malformed;
    }
  }

  /** Carries a limit violation out of the nested parse; never escapes {@link #decode}. */
  private static final class Refused extends Exception {
    final Malformed malformed;

    Refused(Reason reason, String detail) {
      super(null, null, false, false);
      this.malformed = new Malformed(reason, detail);
    }
  }

  /** One parse: counters are per RPC, across all nested messages. */
  private final class Parse {
    private final CodedInputStream in;
    private int controlEntries;
    private int messageIds;

    Parse(CodedInputStream in) {
      this.in = in;
    }

    RpcDecoding rpc() throws IOException, Refused {
      List<Rpc.Subscription> subscriptions = new ArrayList<>();
      List<PubsubMessage> messages = new ArrayList<>();
      Control control = Control.EMPTY;
      int tag;
      while ((tag = in.readTag()) != 0) {
        switch (WireFormat.getTagFieldNumber(tag)) {
          case 1 -> {
            if (subscriptions.size() == limits.subscriptionsPerRpcMax()) {
              throw new Refused(Reason.TOO_MANY_SUBSCRIPTIONS, "> " + limits.subscriptionsPerRpcMax());
            }
            int old = enter(tag);
            subscriptions.add(subscription());
            in.popLimit(old);
          }
          case 2 -> {
            if (messages.size() == limits.messagesPerRpcMax()) {
              throw new Refused(Reason.TOO_MANY_MESSAGES, "> " + limits.messagesPerRpcMax());
            }
            int old = enter(tag);
            messages.add(message());
            in.popLimit(old);
          }
          case 3 -> {
            int old = enter(tag);
            control = merge(control, control());
            in.popLimit(old);
          }
          default -> in.skipField(tag);
        }
      }
      return new Decoded(new Rpc(subscriptions, messages, control));
    }

    private Rpc.Subscription subscription() throws IOException, Refused {
      boolean subscribe = false;
      String topic = "";
      int tag;
      while ((tag = in.readTag()) != 0) {
        switch (WireFormat.getTagFieldNumber(tag)) {
          case 1 -> {
            expect(tag, WireFormat.WIRETYPE_VARINT);
            subscribe = in.readBool();
          }
          case 2 -> topic = topic(tag);
          default -> in.skipField(tag);
        }
      }
      return new Rpc.Subscription(subscribe, topic);
    }

    private PubsubMessage message() throws IOException, Refused {
      ByteString from = ByteString.EMPTY;
      ByteString data = ByteString.EMPTY;
      ByteString seqno = ByteString.EMPTY;
      String topic = "";
      ByteString signature = ByteString.EMPTY;
      ByteString key = ByteString.EMPTY;
      int tag;
      while ((tag = in.readTag()) != 0) {
        switch (WireFormat.getTagFieldNumber(tag)) {
          case 1 -> from = bytes(tag, FROM_BYTES_MAX, "from", Reason.FIELD_TOO_LONG);
          case 2 -> data = bytes(tag, limits.rpcBytesMax(), "data", Reason.FIELD_TOO_LONG);
          case 3 -> seqno = bytes(tag, SEQNO_BYTES_MAX, "seqno", Reason.FIELD_TOO_LONG);
          case 4 -> topic = topic(tag);
          case 5 -> signature = bytes(tag, SIGNATURE_BYTES_MAX, "signature", Reason.FIELD_TOO_LONG);
          case 6 -> key = bytes(tag, limits.keyBytesMax(), "key", Reason.FIELD_TOO_LONG);
          default -> in.skipField(tag);
        }
      }
      return new PubsubMessage(from, data, seqno, topic, signature, key);
    }

    private Control control() throws IOException, Refused {
      List<Control.IHave> ihave = new ArrayList<>();
      List<Control.IWant> iwant = new ArrayList<>();
      List<Control.Graft> graft = new ArrayList<>();
      List<Control.Prune> prune = new ArrayList<>();
      int tag;
      while ((tag = in.readTag()) != 0) {
        int field = WireFormat.getTagFieldNumber(tag);
        if (field < 1 || field > 4) {
          in.skipField(tag);
          continue;
        }
        if (++controlEntries > limits.controlEntriesPerRpcMax()) {
          throw new Refused(Reason.TOO_MANY_CONTROL_ENTRIES, "> " + limits.controlEntriesPerRpcMax());
        }
        int old = enter(tag);
        switch (field) {
          case 1 -> ihave.add(ihave());
          case 2 -> iwant.add(new Control.IWant(messageIdList(1)));
          case 3 -> graft.add(new Control.Graft(topicOnly()));
          default -> prune.add(prune());
        }
        in.popLimit(old);
      }
      return new Control(ihave, iwant, graft, prune);
    }

    private Control.IHave ihave() throws IOException, Refused {
      String topic = "";
      List<MessageId> ids = new ArrayList<>();
      int tag;
      while ((tag = in.readTag()) != 0) {
        switch (WireFormat.getTagFieldNumber(tag)) {
          case 1 -> topic = topic(tag);
          case 2 -> ids.add(messageId(tag));
          default -> in.skipField(tag);
        }
      }
      return new Control.IHave(topic, ids);
    }

    private List<MessageId> messageIdList(int field) throws IOException, Refused {
      List<MessageId> ids = new ArrayList<>();
      int tag;
      while ((tag = in.readTag()) != 0) {
        if (WireFormat.getTagFieldNumber(tag) == field) {
          ids.add(messageId(tag));
        } else {
          in.skipField(tag);
        }
      }
      return ids;
    }

    private String topicOnly() throws IOException, Refused {
      String topic = "";
      int tag;
      while ((tag = in.readTag()) != 0) {
        if (WireFormat.getTagFieldNumber(tag) == 1) {
          topic = topic(tag);
        } else {
          in.skipField(tag);
        }
      }
      return topic;
    }

    private Control.Prune prune() throws IOException, Refused {
      String topic = "";
      List<ByteString> peers = new ArrayList<>();
      long backoffSeconds = 0;
      int tag;
      while ((tag = in.readTag()) != 0) {
        switch (WireFormat.getTagFieldNumber(tag)) {
          case 1 -> topic = topic(tag);
          case 2 -> {
            if (++controlEntries > limits.controlEntriesPerRpcMax()) {
              throw new Refused(Reason.TOO_MANY_CONTROL_ENTRIES, "prune peers > " + limits.controlEntriesPerRpcMax());
            }
            peers.add(bytes(tag, PEER_INFO_BYTES_MAX, "peerInfo", Reason.FIELD_TOO_LONG));
          }
          case 3 -> {
            expect(tag, WireFormat.WIRETYPE_VARINT);
            // uint64 on the wire; a negative long means a value beyond any sane backoff: clamp.
            long raw = in.readUInt64();
            backoffSeconds = raw < 0 ? Long.MAX_VALUE : raw;
          }
          default -> in.skipField(tag);
        }
      }
      return new Control.Prune(topic, peers, backoffSeconds);
    }

    private MessageId messageId(int tag) throws IOException, Refused {
      if (++messageIds > limits.messageIdsPerRpcMax()) {
        throw new Refused(Reason.TOO_MANY_MESSAGE_IDS, "> " + limits.messageIdsPerRpcMax());
      }
      ByteString id = bytes(tag, limits.messageIdBytesMax(), "messageId", Reason.MESSAGE_ID_TOO_LONG);
      return new MessageId(id);
    }

    private String topic(int tag) throws IOException, Refused {
      ByteString raw = bytes(tag, limits.topicBytesMax(), "topic", Reason.TOPIC_TOO_LONG);
      if (!raw.isValidUtf8()) {
        throw new Refused(Reason.MALFORMED_PROTOBUF, "topic is not UTF-8");
      }
      return raw.toStringUtf8();
    }

    private ByteString bytes(int tag, int max, String name, Reason tooLong) throws IOException, Refused {
      expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      int length = in.readRawVarint32();
      if (length < 0 || length > max) {
        throw new Refused(tooLong, name + " " + Integer.toUnsignedString(length) + " > " + max + " bytes");
      }
      // The array is fresh and never shared: wrapping it saves a copy per field.
      return UnsafeByteOperations.unsafeWrap(in.readRawBytes(length));
    }

    private int enter(int tag) throws IOException, Refused {
      expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      int length = in.readRawVarint32();
      return in.pushLimit(length);
    }

    private void expect(int tag, int wireType) throws Refused {
      if (WireFormat.getTagWireType(tag) != wireType) {
        throw new Refused(
            Reason.MALFORMED_PROTOBUF,
            "field " + WireFormat.getTagFieldNumber(tag) + " has wire type " + WireFormat.getTagWireType(tag));
      }
    }
  }

  /** Protobuf merges repeated occurrences of a singular message field; so do we. */
  private static Control merge(Control a, Control b) {
    if (a.isEmpty()) {
      return b;
    }
    return new Control(
        concat(a.ihave(), b.ihave()), concat(a.iwant(), b.iwant()),
        concat(a.graft(), b.graft()), concat(a.prune(), b.prune()));
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> all = new ArrayList<>(a.size() + b.size());
    all.addAll(a);
    all.addAll(b);
    return all;
  }
}
