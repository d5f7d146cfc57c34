package dev.cairn.network;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.codec.LedgerCodec;
import dev.cairn.ledger.encoding.CanonicalReader;
import dev.cairn.ledger.encoding.CanonicalWriter;
import dev.cairn.ledger.encoding.CodecException;
import dev.cairn.ledger.model.FinalizedBlock;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * Wire encoding of the sync protocols, in the ledger's canonical codec: status (a peer's finalized head),
 * blocks-by-range requests, and their responses (finalized blocks with certificates). Decoding untrusted
 * bytes never throws: it returns {@link Decoding.Malformed} naming the reason.
 */
public final class SyncCodec {
  /** Blocks in one response, whatever a peer asks for. */
  public static final int BLOCKS_PER_RESPONSE_MAX = 256;
  /** One finalized block's encoding: the protocol's block limit plus header and certificate (1024 seals). */
  public static final int FINALIZED_BLOCK_BYTES_MAX = dev.cairn.ledger.model.Limits.BLOCK_BYTES_MAX + 1024 * 1024;

  private SyncCodec() {}

  /** A node's finalized head. */
  public record Status(long height, Hash headHash) {}

  /** Finalized blocks from {@code fromHeight} upwards, at most {@code countMax}. */
  public record BlocksRequest(long fromHeight, int countMax) {
    public BlocksRequest {
      if (fromHeight < 0 || countMax < 1) {
        throw new IllegalArgumentException("fromHeight >= 0 and countMax >= 1 required");
      }
    }
  }

  public sealed interface Decoding<T> {
    record Ok<T>(T value) implements Decoding<T> {}

    record Malformed<T>(String reason) implements Decoding<T> {}
  }

  public static byte[] encode(Status status) {
    return new CanonicalWriter(40).u64(status.height()).hash(status.headHash()).toByteArray();
  }

  public static Decoding<Status> decodeStatus(byte[] bytes) {
    return decode(bytes, "status", r -> new Status(r.u64("height"), r.hash("head_hash")));
  }

  /** Encoded size of a blocks request (from_height u64, count_max u32): what the responder accepts, no more. */
  public static final int BLOCKS_REQUEST_BYTES = 12;
  /** A status request carries no body. */
  public static final int STATUS_REQUEST_BYTES_MAX = 0;

  public static byte[] encode(BlocksRequest request) {
    return new CanonicalWriter(BLOCKS_REQUEST_BYTES).u64(request.fromHeight()).u32(request.countMax()).toByteArray();
  }

  public static Decoding<BlocksRequest> decodeBlocksRequest(byte[] bytes) {
    return decode(bytes, "blocks_request", r -> {
      long from = r.u64("from_height");
      long count = r.u32("count_max");
      if (from < 0 || count < 1) {
        throw new CodecException("blocks request needs from_height >= 0 and count_max >= 1");
      }
      return new BlocksRequest(from, (int) Math.min(count, BLOCKS_PER_RESPONSE_MAX));
    });
  }

  public static byte[] encodeBlocks(List<FinalizedBlock> blocks) {
    CanonicalWriter out = new CanonicalWriter().u32(blocks.size());
    for (FinalizedBlock block : blocks) {
      out.bytes(Bytes.wrap(LedgerCodec.encode(block)), FINALIZED_BLOCK_BYTES_MAX);
    }
    return out.toByteArray();
  }

  public static Decoding<List<FinalizedBlock>> decodeBlocks(byte[] bytes) {
    return decode(bytes, "blocks_response", r -> {
      int count = r.u32Bounded("count", BLOCKS_PER_RESPONSE_MAX);
      List<FinalizedBlock> blocks = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        blocks.add(LedgerCodec.decodeFinalizedBlock(r.bytes("block", FINALIZED_BLOCK_BYTES_MAX).unsafeArray()));
      }
      return blocks;
    });
  }

  /** One finalized block as gossiped on the blocks topic: its canonical encoding. */
  /** The height in a gossiped block's header, or empty when its start does not parse (then decode it whole). */
  public static OptionalLong peekGossipedBlockHeight(byte[] bytes) {
    try {
      return OptionalLong.of(LedgerCodec.peekFinalizedBlockHeight(bytes));
    } catch (CodecException | IllegalArgumentException e) {
      return OptionalLong.empty();
    }
  }

  public static Decoding<FinalizedBlock> decodeGossipedBlock(byte[] bytes) {
    try {
      return new Decoding.Ok<>(LedgerCodec.decodeFinalizedBlock(bytes));
    } catch (CodecException | IllegalArgumentException e) {
      return new Decoding.Malformed<>("block_malformed: " + e.getMessage());
    }
  }

  private static <T> Decoding<T> decode(byte[] bytes, String object, Function<CanonicalReader, T> read) {
    try {
      CanonicalReader reader = new CanonicalReader(bytes);
      T value = read.apply(reader);
      reader.finish(object);
      return new Decoding.Ok<>(value);
    } catch (CodecException | IllegalArgumentException e) {
      return new Decoding.Malformed<>(object + "_malformed: " + e.getMessage());
    }
  }
}
