package dev.cairn.wallet;

import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.model.Text;
import java.util.Objects;

/**
 * What {@code wallet notarize} records about a file: its SHA-256 digest and size, a name and an optional
 * description. It lives in the signer's namespace under {@link #recordKey(Hash)}, so that anyone holding the
 * file and the signer's address can find it without an index; its value is {@link NotarizationCodec}'s
 * encoding (docs/formats.md, "Notarization record").
 *
 * @param sizeBytes the number of bytes that were hashed
 * @param name what the signer called the file (by default its file name); may be empty
 * @param description free text; may be empty
 */
public record Notarization(Hash digest, long sizeBytes, String name, String description) {
  /** Followed by the digest as 64 lowercase hex digits: 78 bytes, well inside a record key's 256. */
  public static final String KEY_PREFIX = "notary/sha256/";
  public static final int NAME_BYTES_MAX = 256;
  public static final int DESCRIPTION_BYTES_MAX = 1024;

  public Notarization {
    Objects.requireNonNull(digest, "digest");
    if (sizeBytes < 0) {
      throw new IllegalArgumentException("size must be >= 0, got " + sizeBytes);
    }
    checkText("name", name, NAME_BYTES_MAX);
    checkText("description", description, DESCRIPTION_BYTES_MAX);
  }

  /** The record key of a file with this SHA-256 digest, under whoever notarized it. */
  public static String recordKey(Hash digest) {
    return KEY_PREFIX + digest.toHex();
  }

  public String recordKey() {
    return recordKey(digest);
  }

  /** Whether this notarization is of {@code file}: same digest, same size. */
  public boolean describes(FileDigest file) {
    return digest.equals(file.sha256()) && sizeBytes == file.sizeBytes();
  }

  /**
   * A name or description is UTF-8 of at most {@code maxBytes} without control characters (C0, DEL, C1): a
   * verifier prints them, and a name must not be able to rewrite the terminal or forge a second output line.
   */
  public static void checkText(String field, String value, int maxBytes) {
    Objects.requireNonNull(value, field);
    int bytes = Text.utf8Length(field, value);
    if (bytes > maxBytes) {
      throw new IllegalArgumentException(field + " must have at most " + maxBytes + " UTF-8 bytes, got " + bytes);
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) {
        throw new IllegalArgumentException(field + " holds a control character (U+" + String.format("%04X", (int) c)
            + ") at index " + i);
      }
    }
  }
}
