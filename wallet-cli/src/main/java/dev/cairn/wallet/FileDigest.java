package dev.cairn.wallet;

import dev.cairn.ledger.bytes.Hash;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * A file's SHA-256 (plain, untagged: what {@code sha256sum} prints) and the number of bytes hashed. The file is
 * streamed through one fixed buffer, so hashing a file of any size takes the same memory.
 */
public record FileDigest(Hash sha256, long sizeBytes) {
  /** Large enough that a read costs little next to hashing it, small enough to be nothing in the heap. */
  static final int BUFFER_BYTES = 1024 * 1024;

  public FileDigest {
    Objects.requireNonNull(sha256, "sha256");
    if (sizeBytes < 0) {
      throw new IllegalArgumentException("size must be >= 0");
    }
  }

  /**
   * Hashes {@code file}, telling {@code progress} how far it got. A file that changes size or modification time
   * while it is read is refused: its digest would be of no version of it that anyone could check later.
   */
  public static FileDigest of(Path file, HashProgress progress) {
    BasicFileAttributes before = attributes(file);
    if (!before.isRegularFile()) {
      throw new IllegalArgumentException(file + " is not a regular file");
    }
    MessageDigest sha256 = newSha256();
    byte[] buffer = new byte[BUFFER_BYTES];
    long hashed = 0;
    try (InputStream in = Files.newInputStream(file)) {
      int read;
      while ((read = in.read(buffer)) >= 0) {
        sha256.update(buffer, 0, read);
        hashed += read;
        progress.hashed(hashed, before.size());
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
    } finally {
      progress.done();
    }
    BasicFileAttributes after = attributes(file);
    if (hashed != before.size() || after.size() != before.size() || !sameTime(before.lastModifiedTime(), after.lastModifiedTime())) {
      throw new IllegalArgumentException(file + " changed while it was hashed (" + before.size() + " bytes before, "
          + hashed + " read, " + after.size() + " after); hash a file nobody is writing");
    }
    return new FileDigest(Hash.wrap(sha256.digest()), hashed);
  }

  private static boolean sameTime(FileTime a, FileTime b) {
    return a.compareTo(b) == 0;
  }

  private static BasicFileAttributes attributes(Path file) {
    try {
      return Files.readAttributes(file, BasicFileAttributes.class);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
    }
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
