package dev.cairn.wallet;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.encoding.CanonicalReader;
import dev.cairn.ledger.encoding.CanonicalWriter;
import dev.cairn.ledger.encoding.CodecException;
import dev.cairn.ledger.model.Limits;

/**
 * The canonical value of a notarization record (docs/formats.md, "Notarization record"): type {@code 0x40},
 * version {@code 0x01}, digest algorithm {@code 0x01} (SHA-256), the 32-byte digest, the size as a {@code u64},
 * then name and description as {@code string}s. One encoding per notarization: the decoder rejects another
 * type, version or algorithm, a top-bit size, over-long or malformed text, control characters and trailing
 * bytes, so a client in any language that follows the page writes byte-identical values.
 */
public final class NotarizationCodec {
  /** Above the ledger's own type bytes (0x01..0x30): an application format carried in a record's value. */
  public static final int TYPE = 0x40;
  public static final int VERSION = 0x01;
  public static final int ALGORITHM_SHA256 = 0x01;
  /** 51 bytes of fixed fields and length prefixes plus the longest name and description. */
  public static final int VALUE_BYTES_MAX = 51 + Notarization.NAME_BYTES_MAX + Notarization.DESCRIPTION_BYTES_MAX;

  static {
    if (VALUE_BYTES_MAX > Limits.RECORD_VALUE_BYTES_MAX) {
      throw new IllegalStateException("a notarization must fit a record value");
    }
  }

  private NotarizationCodec() {}

  public static Bytes encode(Notarization notarization) {
    return new CanonicalWriter(VALUE_BYTES_MAX)
        .u8(TYPE).u8(VERSION).u8(ALGORITHM_SHA256)
        .hash(notarization.digest())
        .u64(notarization.sizeBytes())
        .string(notarization.name(), Notarization.NAME_BYTES_MAX)
        .string(notarization.description(), Notarization.DESCRIPTION_BYTES_MAX)
        .toBytes();
  }

  /** Throws {@link CodecException} naming the first thing that is not a canonical notarization. */
  public static Notarization decode(Bytes value) {
    if (value.size() > VALUE_BYTES_MAX) {
      throw new CodecException("notarization: " + value.size() + " bytes, at most " + VALUE_BYTES_MAX);
    }
    CanonicalReader reader = CanonicalReader.of(value);
    reader.expect(TYPE, "notarization type");
    reader.expect(VERSION, "notarization version");
    reader.expect(ALGORITHM_SHA256, "digest algorithm");
    var digest = reader.hash("digest");
    long size = reader.u64("size");
    String name = reader.string("name", Notarization.NAME_BYTES_MAX);
    String description = reader.string("description", Notarization.DESCRIPTION_BYTES_MAX);
    reader.finish("notarization");
    try {
      return new Notarization(digest, size, name, description);
    } catch (IllegalArgumentException e) {
      throw new CodecException("notarization: " + e.getMessage());
    }
  }
}
