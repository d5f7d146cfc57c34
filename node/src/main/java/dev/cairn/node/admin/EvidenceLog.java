package dev.cairn.node.admin;

import dev.cairn.consensus.Evidence;
import dev.cairn.consensus.message.ConsensusMessage;
import dev.cairn.consensus.message.MessageCodec;
import dev.cairn.consensus.message.SignedMessage;
import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.store.ChainStore;
import dev.cairn.rpc.admin.NodeAdmin;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Equivocation evidence kept in the node's store (its metadata column), so an operator can still show it after
 * a restart: a ring of the newest {@link #ENTRIES_MAX} entries, each written synced when the consensus thread
 * reports it (rare: once per validator, height, round and kind). A vote is kept whole (it is small); a message
 * over {@link #MESSAGE_BYTES_KEPT_MAX} (a proposal with a large block) keeps its signed digest, which with the
 * validator's key still proves the signature, but not its body.
 */
public final class EvidenceLog {
  public static final int ENTRIES_MAX = 256;
  public static final int MESSAGE_BYTES_KEPT_MAX = 64 * 1024;
  static final String NEXT_KEY = "admin.evidence.next";
  private static final int FORMAT_VERSION = 1;

  private final ChainStore store;
  private long next;

  public EvidenceLog(ChainStore store) {
    this.store = store;
    this.next = store.getMeta(NEXT_KEY).map(b -> java.nio.ByteBuffer.wrap(b.unsafeArray()).getLong()).orElse(0L);
  }

  /** Persists one piece of evidence (synced); the oldest entry makes room once the ring is full. */
  public synchronized void record(Evidence evidence, long detectedAtMillis) {
    store.putMeta(entryKey(next % ENTRIES_MAX), Bytes.wrap(encode(evidence, detectedAtMillis)));
    next++;
    store.putMeta(NEXT_KEY, Bytes.wrap(java.nio.ByteBuffer.allocate(8).putLong(next).array()));
  }

  /** The newest {@code limit} entries, oldest first. */
  public synchronized List<NodeAdmin.Evidence> newest(int limit) {
    long count = Math.min(next, ENTRIES_MAX);
    long from = next - Math.min(count, limit);
    List<NodeAdmin.Evidence> out = new ArrayList<>();
    for (long i = from; i < next; i++) {
      store.getMeta(entryKey(i % ENTRIES_MAX)).map(b -> decode(b.unsafeArray())).ifPresent(out::add);
    }
    return out;
  }

  public synchronized long recorded() {
    return next;
  }

  private static String entryKey(long slot) {
    return "admin.evidence." + slot;
  }

  static byte[] encode(Evidence evidence, long detectedAtMillis) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT_VERSION);
      out.writeLong(detectedAtMillis);
      out.write(evidence.validator().bytes().unsafeArray());
      out.writeLong(evidence.first().height());
      out.writeInt(evidence.first().round());
      out.writeUTF(evidence.first().kind().name());
      writeSigned(out, evidence.first());
      writeSigned(out, evidence.second());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static void writeSigned(DataOutputStream out, SignedMessage message) throws IOException {
    out.write(SignedMessage.digest(message.body()).unsafeArray());
    out.write(message.signature().bytes().unsafeArray());
    byte[] encoded = MessageCodec.encode(ConsensusMessage.vote(message));
    if (encoded.length > MESSAGE_BYTES_KEPT_MAX) {
      out.writeInt(0);
    } else {
      out.writeInt(encoded.length);
      out.write(encoded);
    }
  }

  static NodeAdmin.Evidence decode(byte[] bytes) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      int version = in.readUnsignedByte();
      if (version != FORMAT_VERSION) {
        throw new IllegalStateException("evidence entry of unknown format " + version);
      }
      long detectedAt = in.readLong();
      String validator = hex(in.readNBytes(32));
      long height = in.readLong();
      int round = in.readInt();
      String kind = in.readUTF().toLowerCase(java.util.Locale.ROOT);
      return new NodeAdmin.Evidence(validator, height, round, kind, detectedAt, readSigned(in), readSigned(in));
    } catch (IOException e) {
      throw new IllegalStateException("evidence entry unreadable: " + e.getMessage(), e);
    }
  }

  private static NodeAdmin.SignedPart readSigned(DataInputStream in) throws IOException {
    String digest = hex(in.readNBytes(32));
    String signature = hex(in.readNBytes(64));
    int length = in.readInt();
    if (length < 0 || length > MESSAGE_BYTES_KEPT_MAX) {
      throw new IOException("message length " + length);
    }
    return new NodeAdmin.SignedPart(digest, signature, length == 0 ? Optional.empty() : Optional.of(hex(in.readNBytes(length))));
  }

  private static String hex(byte[] bytes) {
    return "0x" + HexFormat.of().formatHex(bytes);
  }
}
