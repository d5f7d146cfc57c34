package dev.cairn.network;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.encoding.CanonicalReader;
import dev.cairn.ledger.encoding.CanonicalWriter;
import dev.cairn.ledger.encoding.CodecException;
import dev.cairn.ledger.state.StateChunk;

/**
 * Wire encoding of the snapshot protocol ({@link NetworkTopics#snapshotProtocol}). A request names a height and
 * one of the 2^prefixBits chunks of its state: {@code u64 height | u8 prefix bits | u32 chunk index} (13 bytes,
 * exactly). The response is the chunk's canonical encoding ({@link StateChunk#encode}). Decoding untrusted bytes
 * never throws: it returns {@link SyncCodec.Decoding.Malformed} naming the reason.
 */
public final class SnapshotCodec {
  public static final int CHUNK_REQUEST_BYTES = 13;

  private SnapshotCodec() {}

  /** Chunk {@code index} of 2^{@code prefixBits} of the state at {@code height}. */
  public record ChunkRequest(long height, int prefixBits, long index) {
    public ChunkRequest {
      if (height < 1 || prefixBits < 0 || prefixBits > StateChunk.PREFIX_BITS_MAX || index < 0 || index >= (1L << prefixBits)) {
        throw new IllegalArgumentException("chunk request: height >= 1, prefix bits in [0, "
            + StateChunk.PREFIX_BITS_MAX + "] and index below 2^prefixBits required");
      }
    }

    public dev.cairn.ledger.bytes.Hash prefix() {
      return StateChunk.prefixOf(index, prefixBits);
    }
  }

  public static byte[] encode(ChunkRequest request) {
    return new CanonicalWriter(CHUNK_REQUEST_BYTES).u64(request.height()).u8(request.prefixBits()).u32(request.index())
        .toByteArray();
  }

  public static SyncCodec.Decoding<ChunkRequest> decodeChunkRequest(byte[] bytes) {
    try {
      CanonicalReader r = new CanonicalReader(bytes);
      long height = r.u64("height");
      int prefixBits = r.u8("prefix_bits");
      long index = r.u32("index");
      r.finish("chunk_request");
      return new SyncCodec.Decoding.Ok<>(new ChunkRequest(height, prefixBits, index));
    } catch (CodecException | IllegalArgumentException e) {
      return new SyncCodec.Decoding.Malformed<>("chunk_request_malformed: " + e.getMessage());
    }
  }

  /** A chunk response of at most {@code bytesMax} bytes; the caller still has to verify it against a state root. */
  public static SyncCodec.Decoding<StateChunk> decodeChunk(byte[] bytes, int bytesMax) {
    try {
      return new SyncCodec.Decoding.Ok<>(StateChunk.decode(Bytes.wrap(bytes), bytesMax));
    } catch (CodecException | IllegalArgumentException e) {
      return new SyncCodec.Decoding.Malformed<>("chunk_malformed: " + e.getMessage());
    }
  }
}
