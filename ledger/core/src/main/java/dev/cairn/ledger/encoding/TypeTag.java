package dev.cairn.ledger.encoding;

/**
 * The first byte of every top-level encoding names the object type; the second its format version. A node
 * that meets an unknown version refuses the bytes instead of misreading them, so formats can evolve.
 */
public enum TypeTag {
  TRANSACTION(0x01),
  TRANSACTION_SIGNING(0x02),
  BLOCK_HEADER(0x03),
  BLOCK(0x04),
  COMMIT_CERTIFICATE(0x05),
  RECEIPT(0x06),
  VALIDATOR_SET(0x07),
  ACCOUNT(0x08),
  FINALIZED_BLOCK(0x09),
  RECEIPTS(0x0A),
  VOTE_TALLY(0x0B),
  CONSENSUS_MESSAGE(0x20);

  public static final int VERSION_1 = 1;

  private final int code;

  TypeTag(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** Writes the tag and the current version: every codec of this scheme starts its objects so. */
  public void writeTo(CanonicalWriter writer) {
    writer.u8(code).u8(VERSION_1);
  }

  /** Reads and checks the tag and the version; anything else is a {@link CodecException}. */
  public void readFrom(CanonicalReader reader) {
    reader.expect(code, name().toLowerCase(java.util.Locale.ROOT) + " type tag");
    reader.expect(VERSION_1, name().toLowerCase(java.util.Locale.ROOT) + " version");
  }
}
