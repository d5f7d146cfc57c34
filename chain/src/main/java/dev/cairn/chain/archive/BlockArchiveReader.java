package dev.cairn.chain.archive;

import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.codec.LedgerCodec;
import dev.cairn.ledger.encoding.CanonicalReader;
import dev.cairn.ledger.encoding.CodecException;
import dev.cairn.ledger.model.FinalizedBlock;
import dev.cairn.ledger.model.Limits;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * Reads a block archive ({@link BlockArchive}) from an untrusted file: every length is checked against its
 * bound before anything is buffered, and every problem is an {@link Item.Invalid} naming the reason, never an
 * exception from a decoder. The blocks themselves are not trusted here; the importer checks their
 * certificates and re-executes them.
 */
public final class BlockArchiveReader implements AutoCloseable {
  /** Why a file is refused; stable snake_case codes printed by the import command. */
  public enum Reason {
    NOT_AN_ARCHIVE,
    UNSUPPORTED_VERSION,
    HEADER_MALFORMED,
    TRUNCATED,
    FRAME_TOO_LARGE,
    FRAME_MALFORMED,
    BLOCK_MALFORMED,
    OUT_OF_ORDER,
    COUNT_MISMATCH,
    DIGEST_MISMATCH,
    TRAILING_BYTES
  }

  /** One step through the file. */
  public sealed interface Item {
    record Block(FinalizedBlock block) implements Item {}

    /** The end frame, checked: the count and the digest match what was read. */
    record End(long blocks) implements Item {}

    record Invalid(Reason reason, String detail) implements Item {
      @Override
      public String toString() {
        return reason.name().toLowerCase(java.util.Locale.ROOT) + ": " + detail;
      }
    }
  }

  /** The header, or why the file is not an archive this build reads. */
  public sealed interface Opening {
    record Opened(BlockArchive.Header header) implements Opening {}

    record Refused(Item.Invalid invalid) implements Opening {}
  }

  private final MessageDigest digest = BlockArchiveWriter.sha256();
  private final DataInputStream in;
  private final int frameBytesMax;
  private BlockArchive.Header header;
  private long nextHeight;
  private boolean done;

  /**
   * @param frameBytesMax the largest frame accepted (at most {@link BlockArchive#FRAME_BYTES_MAX}); the
   *     importer passes its chain's block size limit plus room for a certificate
   */
  public BlockArchiveReader(InputStream source, int frameBytesMax) {
    if (frameBytesMax < 1 || frameBytesMax > BlockArchive.FRAME_BYTES_MAX) {
      throw new IllegalArgumentException("frameBytesMax must be 1.." + BlockArchive.FRAME_BYTES_MAX);
    }
    this.in = new DataInputStream(new DigestInputStream(new BufferedInputStream(source, 1 << 20), digest));
    this.frameBytesMax = frameBytesMax;
  }

  public Opening open() throws IOException {
    byte[] magic = new byte[BlockArchive.MAGIC.length];
    if (!readFully(magic) || !Arrays.equals(magic, BlockArchive.MAGIC)) {
      return refused(Reason.NOT_AN_ARCHIVE, "the file does not start with the block archive magic CAIRNBLK");
    }
    int version = in.read();
    if (version != BlockArchive.FORMAT_VERSION) {
      return refused(Reason.UNSUPPORTED_VERSION, "format version " + version + ", this build reads " + BlockArchive.FORMAT_VERSION);
    }
    byte[] lengthBytes = new byte[4];
    if (!readFully(lengthBytes)) {
      return refused(Reason.TRUNCATED, "the file ends inside its header");
    }
    int length = toInt(lengthBytes);
    if (length < 0 || length > BlockArchive.HEADER_BYTES_MAX) {
      return refused(Reason.HEADER_MALFORMED, "header length " + Integer.toUnsignedString(length) + " over " + BlockArchive.HEADER_BYTES_MAX);
    }
    byte[] encoded = new byte[length];
    if (!readFully(encoded)) {
      return refused(Reason.TRUNCATED, "the file ends inside its header");
    }
    try {
      CanonicalReader r = new CanonicalReader(encoded);
      String chainId = r.string("chain_id", Limits.CHAIN_ID_BYTES_MAX);
      Hash genesis = r.hash("genesis_hash");
      long from = r.u64("from_height");
      long to = r.u64("to_height");
      r.finish("archive header");
      header = new BlockArchive.Header(chainId, genesis, from, to);
    } catch (CodecException | IllegalArgumentException e) {
      return refused(Reason.HEADER_MALFORMED, String.valueOf(e.getMessage()));
    }
    nextHeight = header.fromHeight();
    return new Opening.Opened(header);
  }

  /** The next block, the checked end, or why the file is refused; call only after {@link #open}. */
  public Item next() throws IOException {
    if (header == null || done) {
      throw new IllegalStateException(header == null ? "open() first" : "the archive was read to its end");
    }
    byte[] sumBefore = digestSoFar();
    byte[] lengthBytes = new byte[4];
    if (!readFully(lengthBytes)) {
      return invalid(Reason.TRUNCATED, "the file ends after height " + (nextHeight - 1) + " without its end frame ("
          + header.toHeight() + " announced)");
    }
    long length = Integer.toUnsignedLong(toInt(lengthBytes));
    if (length < 1 || length > frameBytesMax) {
      return invalid(Reason.FRAME_TOO_LARGE, "frame of " + length + " bytes at height " + nextHeight + ", limit " + frameBytesMax);
    }
    byte[] frame = new byte[(int) length];
    if (!readFully(frame)) {
      return invalid(Reason.TRUNCATED, "the file ends inside the frame of height " + nextHeight);
    }
    return switch (frame[0]) {
      case BlockArchive.KIND_BLOCK -> block(frame);
      case BlockArchive.KIND_END -> end(frame, sumBefore);
      default -> invalid(Reason.FRAME_MALFORMED, "unknown frame kind " + (frame[0] & 0xFF) + " at height " + nextHeight);
    };
  }

  private Item block(byte[] frame) {
    if (nextHeight > header.toHeight()) {
      return invalid(Reason.COUNT_MISMATCH, "a block frame after height " + header.toHeight() + ", the header's last");
    }
    FinalizedBlock block;
    try {
      block = LedgerCodec.decodeFinalizedBlock(Arrays.copyOfRange(frame, 1, frame.length));
    } catch (CodecException | IllegalArgumentException e) {
      return invalid(Reason.BLOCK_MALFORMED, "height " + nextHeight + ": " + e.getMessage());
    }
    if (block.block().height() != nextHeight) {
      return invalid(Reason.OUT_OF_ORDER, "expected height " + nextHeight + ", the frame holds height " + block.block().height());
    }
    nextHeight++;
    return new Item.Block(block);
  }

  private Item end(byte[] frame, byte[] sumBefore) throws IOException {
    done = true;
    if (frame.length != BlockArchive.END_FRAME_BYTES) {
      return invalid(Reason.FRAME_MALFORMED, "end frame of " + frame.length + " bytes, expected " + BlockArchive.END_FRAME_BYTES);
    }
    CanonicalReader r = new CanonicalReader(frame, 1, frame.length - 1);
    long count = r.u64("count");
    byte[] sum = r.fixed(32, "digest");
    if (count != header.blocks() || nextHeight != header.toHeight() + 1) {
      return invalid(Reason.COUNT_MISMATCH, "the end frame says " + count + " blocks, the header " + header.blocks()
          + ", and " + (nextHeight - header.fromHeight()) + " were read");
    }
    if (!MessageDigest.isEqual(sum, sumBefore)) {
      return invalid(Reason.DIGEST_MISMATCH, "the file's bytes do not match its end digest (damaged in transit?)");
    }
    if (in.read() != -1) {
      return invalid(Reason.TRAILING_BYTES, "bytes after the end frame");
    }
    return new Item.End(count);
  }

  /** SHA-256 of every byte read so far, without disturbing the running digest. */
  private byte[] digestSoFar() {
    try {
      return ((MessageDigest) digest.clone()).digest();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("SHA-256 digest cannot be cloned", e);
    }
  }

  private Opening refused(Reason reason, String detail) {
    return new Opening.Refused(new Item.Invalid(reason, detail));
  }

  private Item invalid(Reason reason, String detail) {
    done = true;
    return new Item.Invalid(reason, detail);
  }

  /** Reads exactly {@code buffer.length} bytes; false if the stream ends first. */
  private boolean readFully(byte[] buffer) throws IOException {
    try {
      in.readFully(buffer);
      return true;
    } catch (EOFException e) {
      return false;
    }
  }

  private static int toInt(byte[] b) {
    return ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
