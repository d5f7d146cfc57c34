package dev.cairn.ledger.encoding;

/**
 * Bytes that are not the canonical encoding of the expected object: truncated, oversized, with trailing
 * bytes, an unknown tag, or a non-canonical form. The message names the field and what was wrong; it is
 * safe to return to the peer or client that sent the bytes.
 */
public final class CodecException extends RuntimeException {
  public CodecException(String message) {
    super(message, null, false, false);
  }
}
