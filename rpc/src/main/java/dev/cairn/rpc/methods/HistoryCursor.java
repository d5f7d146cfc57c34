package dev.cairn.rpc.methods;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.model.Limits;
import dev.cairn.ledger.model.TxPosition;
import dev.cairn.rpc.jsonrpc.Params;
import dev.cairn.rpc.jsonrpc.RpcFailure;
import java.util.Optional;

/**
 * The {@code nextCursor} of a history page as the client sees it: 0x and 24 hex digits, the position of the
 * page's last entry (height u64, index u32, big-endian). Clients pass it back as they got it; a value this
 * server could not have issued (another length, a height with the top bit set, an index beyond a block's
 * largest) is refused as an invalid {@code cursor} param before any read.
 */
final class HistoryCursor {
  static final int BYTES = 12;

  private HistoryCursor() {}

  static String encode(TxPosition position) {
    byte[] bytes = new byte[BYTES];
    for (int i = 0; i < 8; i++) {
      bytes[i] = (byte) (position.height() >>> (56 - 8 * i));
    }
    for (int i = 0; i < 4; i++) {
      bytes[8 + i] = (byte) (position.index() >>> (24 - 8 * i));
    }
    return JsonShapes.hex(bytes);
  }

  /** The cursor param at {@code index}: absent or null for the newest page. */
  static Optional<TxPosition> read(Params p, int index) {
    if (p.optional(index) == null) {
      return Optional.empty();
    }
    Bytes bytes = p.hexBytes(index, BYTES);
    if (bytes.size() != BYTES) {
      throw RpcFailure.invalidParam(p.name(index), "expected a cursor of " + BYTES + " bytes (a page's nextCursor), got "
          + bytes.size());
    }
    byte[] raw = bytes.unsafeArray();
    long height = 0;
    for (int i = 0; i < 8; i++) {
      height = (height << 8) | (raw[i] & 0xFF);
    }
    long position = 0;
    for (int i = 8; i < BYTES; i++) {
      position = (position << 8) | (raw[i] & 0xFF);
    }
    if (height < 0) {
      throw RpcFailure.invalidParam(p.name(index), "not a cursor this server issued (height out of range)");
    }
    if (position >= Limits.BLOCK_TXS_MAX) {
      throw RpcFailure.invalidParam(p.name(index), "not a cursor this server issued (index out of range)");
    }
    return Optional.of(new TxPosition(height, (int) position));
  }
}
