package dev.cairn.ledger.store;

/**
 * The chain store could not read or write its database: an I/O failure, a closed store, or stored bytes that
 * do not decode (corruption). Unchecked, because no caller can repair the disk; the node stops and the
 * operator looks at the message, which names the column family and key where it applies.
 */
public final class StorageException extends RuntimeException {
  public StorageException(String message) {
    super(message);
  }

  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
