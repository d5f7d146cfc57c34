package dev.cairn.chain.archive;

import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.model.Limits;
import java.nio.charset.StandardCharsets;

/**
 * The block archive format (docs/formats.md, "Block archive"): a self-describing, versioned stream of
 * finalized blocks with their commit certificates, as {@code cairn blocks export} writes and
 * {@code cairn blocks import} reads it.
 *
 * <pre>
 * magic "CAIRNBLK" (8) | format version u8 (1) | u32 header length | header
 * header: chain id (u32 length + UTF-8, at most 64 bytes) | genesis hash (32) | from height u64 | to height u64
 * frames: u32 length | u8 kind | payload        (length counts the kind byte)
 *   kind 1 block: the canonical finalized block (header, transactions, certificate)
 *   kind 2 end:   block count u64 | SHA-256 of every byte of the file before this frame (32)
 * </pre>
 *
 * Integers are big-endian, as everywhere in the canonical codec. The end frame makes a file cut short
 * detectable (it ends without one) and the digest catches bytes damaged in transit; the certificates, not the
 * digest, are what make the blocks trustworthy.
 */
public final class BlockArchive {
  static final byte[] MAGIC = "CAIRNBLK".getBytes(StandardCharsets.US_ASCII);
  public static final int FORMAT_VERSION = 1;
  static final int KIND_BLOCK = 1;
  static final int KIND_END = 2;
  /** The header: chain id (4 + 64) + genesis hash + two heights, rounded up. */
  static final int HEADER_BYTES_MAX = 256;
  /** The largest block frame any chain can produce: the codec's block limit plus a certificate of 1,024 seals. */
  public static final int FRAME_BYTES_MAX = 1 + Limits.BLOCK_BYTES_MAX + 1024 * 1024;
  /** An end frame: kind + count + digest. */
  static final int END_FRAME_BYTES = 1 + 8 + 32;

  private BlockArchive() {}

  /** What the header says the file holds. */
  public record Header(String chainId, Hash genesisHash, long fromHeight, long toHeight) {
    public Header {
      if (fromHeight < 1 || toHeight < fromHeight) {
        throw new IllegalArgumentException("an archive holds heights from >= 1 up to to >= from, got "
            + fromHeight + ".." + toHeight);
      }
      if (chainId.getBytes(StandardCharsets.UTF_8).length > Limits.CHAIN_ID_BYTES_MAX) {
        throw new IllegalArgumentException("chain id over " + Limits.CHAIN_ID_BYTES_MAX + " bytes");
      }
    }

    public long blocks() {
      return toHeight - fromHeight + 1;
    }
  }
}
