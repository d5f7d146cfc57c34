package dev.cairn.chain.archive;

import dev.cairn.ledger.codec.LedgerCodec;
import dev.cairn.ledger.encoding.CanonicalWriter;
import dev.cairn.ledger.model.FinalizedBlock;
import dev.cairn.ledger.model.Limits;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Writes a block archive ({@link BlockArchive}): the header, then each block in height order, then the end
 * frame. Refuses a block out of order or out of the header's range: an archive holds exactly what it says.
 */
public final class BlockArchiveWriter implements AutoCloseable {
  private final BlockArchive.Header header;
  private final MessageDigest digest;
  private final DataOutputStream out;
  private long nextHeight;
  private boolean ended;

  public BlockArchiveWriter(OutputStream target, BlockArchive.Header header) throws IOException {
    this.header = header;
    this.digest = sha256();
    this.out = new DataOutputStream(new DigestOutputStream(new BufferedOutputStream(target, 1 << 20), digest));
    this.nextHeight = header.fromHeight();
    byte[] encoded = new CanonicalWriter(BlockArchive.HEADER_BYTES_MAX)
        .string(header.chainId(), Limits.CHAIN_ID_BYTES_MAX).hash(header.genesisHash())
        .u64(header.fromHeight()).u64(header.toHeight()).toByteArray();
    out.write(BlockArchive.MAGIC);
    out.writeByte(BlockArchive.FORMAT_VERSION);
    out.writeInt(encoded.length);
    out.write(encoded);
  }

  public void write(FinalizedBlock block) throws IOException {
    if (block.block().height() != nextHeight || nextHeight > header.toHeight()) {
      throw new IllegalArgumentException("archive expects height " + nextHeight + " (range " + header.fromHeight()
          + ".." + header.toHeight() + "), got " + block.block().height());
    }
    byte[] encoded = LedgerCodec.encode(block);
    if (1 + encoded.length > BlockArchive.FRAME_BYTES_MAX) {
      throw new IllegalArgumentException("block " + nextHeight + " encodes to " + encoded.length + " bytes, over the frame limit");
    }
    out.writeInt(1 + encoded.length);
    out.writeByte(BlockArchive.KIND_BLOCK);
    out.write(encoded);
    nextHeight++;
  }

  /** Writes the end frame and flushes; the archive is complete only after this. */
  public void finish() throws IOException {
    if (nextHeight != header.toHeight() + 1) {
      throw new IllegalStateException("archive ends at height " + (nextHeight - 1) + ", header says " + header.toHeight());
    }
    out.flush();
    byte[] sum = digest.digest();
    out.writeInt(BlockArchive.END_FRAME_BYTES);
    out.writeByte(BlockArchive.KIND_END);
    out.writeLong(header.blocks());
    out.write(sum);
    out.flush();
    ended = true;
  }

  @Override
  public void close() throws IOException {
    out.close();
  }

  boolean ended() {
    return ended;
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
