package dev.cairn.ledger.model;

/**
 * Hard limits of the canonical formats. The codec refuses anything larger, so no peer or client can make a
 * node allocate more than these for one object. Consensus parameters in genesis (max txs and bytes per block)
 * are tighter and checked separately.
 */
public final class Limits {
  private Limits() {}

  public static final int CHAIN_ID_BYTES_MAX = 64;
  public static final int RECORD_KEY_BYTES_MAX = 256;
  /** RECORD_PUT values are for notarization and registries, not bulk storage. */
  public static final int RECORD_VALUE_BYTES_MAX = 4096;
  /** The largest encoded transaction (a RECORD_PUT with maximal key and value plus envelope). */
  public static final int TX_BYTES_MAX = 8 * 1024;
  public static final int BLOCK_TXS_MAX = 100_000;
  public static final int BLOCK_BYTES_MAX = 64 * 1024 * 1024;
  public static final int VALIDATORS_MAX = 1024;
}
