package dev.cairn.ledger.store;

import java.nio.charset.StandardCharsets;

/**
 * The column families of the chain store. Each kind of data has its own family so that it gets the table
 * options its access pattern needs (point lookups by hash get bloom filters; height-keyed families are read
 * in order) and so that a corrupt value can be reported by family and key.
 */
enum ColumnFamily {
  /** block hash -> canonical header. */
  HEADERS("headers", Access.POINT),
  /** block hash -> the block's transaction list (store format, see {@link StoreCodec#encodeBody}). */
  BODIES("bodies", Access.POINT),
  /** block hash -> canonical commit certificate. */
  CERTIFICATES("certificates", Access.POINT),
  /** height (u64 big-endian) -> block hash of the finalized block at that height. */
  HEIGHTS("heights", Access.ORDERED),
  /** transaction id -> height u64 + position u32 of the transaction in its block. */
  TX_INDEX("tx_index", Access.POINT),
  /** block hash -> canonical receipt list, one per transaction in order. */
  RECEIPTS("receipts", Access.POINT),
  /** tree node hash -> node encoding; immutable, content-addressed. */
  STATE_NODES("state_nodes", Access.POINT),
  /** state key -> latest value at the head (deleted keys are absent). */
  FLAT_STATE("flat_state", Access.POINT),
  /** height u64 -> validator set in force from that height until the next entry. */
  VALIDATOR_SETS("validator_sets", Access.ORDERED),
  /** store metadata (head, schema version, genesis hash) and the node's own consensus state. */
  METADATA("metadata", Access.POINT),
  /**
   * Pruning of state: height u64 + node hash -> empty, for every tree node that block replaced (written only
   * while state pruning is on); deleted as pruning passes the height.
   */
  STALE_NODES("stale_nodes", Access.ORDERED),
  /** node hash -> height u64 at which it was last replaced, while the node is stale and not yet deleted. */
  STALE_MARKERS("stale_markers", Access.POINT),
  /**
   * address[20] + height u64 + index u32 (big-endian) -> format byte + the account's {@code TxParty} bits: one
   * entry per account a finalized transaction touches; a reverse scan of an address's prefix is its history,
   * newest first.
   */
  ACCOUNT_HISTORY("account_history", Access.ORDERED),
  /**
   * owner[20] + u16 key length + key UTF-8 + height u64 + index u32 -> format byte: one entry per successful
   * record_put; the length prefix keeps one record's entries apart from those of any longer key.
   */
  RECORD_HISTORY("record_history", Access.ORDERED);

  enum Access {
    POINT,
    ORDERED
  }

  private final String familyName;
  private final Access access;

  ColumnFamily(String familyName, Access access) {
    this.familyName = familyName;
    this.access = access;
  }

  String familyName() {
    return familyName;
  }

  byte[] nameBytes() {
    return familyName.getBytes(StandardCharsets.US_ASCII);
  }

  Access access() {
    return access;
  }
}
