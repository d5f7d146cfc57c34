package dev.cairn.genesis;

/** A genesis file that cannot be used (unreadable or invalid); the message is one line naming the field. */
public final class GenesisException extends RuntimeException {
  public GenesisException(String message) {
    super(message);
  }

  public GenesisException(String message, Throwable cause) {
    super(message, cause);
  }
}
