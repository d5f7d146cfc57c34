package dev.cairn.ledger.crypto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.Set;

/**
 * Node key files: the 32-byte Ed25519 seed as hex on one line. Secret files are created with mode 0600 from the
 * start (never written world-readable and then narrowed) and moved into place atomically.
 */
public final class KeyFiles {
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  private KeyFiles() {}

  /** Writes {@code content} to {@code target} readable by its owner only; refuses to overwrite. */
  public static void writeSecret(Path target, byte[] content) {
    try {
      if (Files.exists(target)) {
        throw new FileAlreadyExistsException(target.toString(), null, "refusing to overwrite a key file");
      }
      Path dir = target.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path temp;
      if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        temp = Files.createTempFile(dir, ".key", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      } else {
        temp = Files.createTempFile(dir, ".key", ".tmp");
      }
      Files.write(temp, content);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write key file " + target + ": " + e.getMessage(), e);
    }
  }

  public static void writeNodeKey(Path target, KeyPair key) {
    writeSecret(target, (HexFormat.of().formatHex(key.seed()) + "\n").getBytes(StandardCharsets.US_ASCII));
  }

  public static KeyPair readNodeKey(Path source) {
    try {
      String text = Files.readString(source, StandardCharsets.US_ASCII).trim();
      if (text.length() != KeyPair.SEED_SIZE * 2) {
        throw new IllegalArgumentException("key file " + source + " must hold 64 hex digits");
      }
      return KeyPair.fromSeed(HexFormat.of().parseHex(text));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read key file " + source + ": " + e.getMessage(), e);
    }
  }
}
