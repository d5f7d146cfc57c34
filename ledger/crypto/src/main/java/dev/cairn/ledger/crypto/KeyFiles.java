package dev.cairn.ledger.crypto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
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

  /**
   * Writes {@code content} to {@code target} readable by its owner only; refuses to overwrite. The bytes are
   * written to a temporary file created with mode 0600, fsynced, then hard-linked to {@code target} (the
   * link fails if {@code target} exists, so two writers cannot both win and none overwrites: no
   * check-then-move race), and the directory is fsynced so the new name survives a power cut.
   */
  public static void writeSecret(Path target, byte[] content) {
    Path dir = target.toAbsolutePath().getParent();
    Path temp = null;
    try {
      Files.createDirectories(dir);
      boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
      temp = posix ? Files.createTempFile(dir, ".key", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY))
          : Files.createTempFile(dir, ".key", ".tmp");
      try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) out.write(buffer);
        out.force(true);
      }
      try {
        Files.createLink(target, temp);
      } catch (FileAlreadyExistsException e) {
        throw new FileAlreadyExistsException(target.toString(), null, "refusing to overwrite a key file");
      } catch (UnsupportedOperationException e) {
        // No hard links here (some non-POSIX file systems): a move that refuses an existing target.
        Files.move(temp, target);
        temp = null;
      }
      fsyncDirectory(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write key file " + target + ": " + e.getMessage(), e);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException ignored) {
          // a stray temporary file, owner-only: harmless
        }
      }
    }
  }

  /** Makes a new directory entry durable (Linux and macOS allow fsync on a directory; others may not). */
  private static void fsyncDirectory(Path dir) {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      // Not supported on this platform (Windows): the file itself was synced.
    }
  }

  /**
   * Refuses a secret that other users can read or change: a key file must be mode 0600 (or 0400). Checked on
   * every read, because a file copied or restored from a backup often arrives 0644.
   */
  public static void checkOwnerOnly(Path source) throws IOException {
    if (!source.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return;
    }
    Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(source);
    for (PosixFilePermission p : permissions) {
      if (p.name().startsWith("GROUP_") || p.name().startsWith("OTHERS_")) {
        throw new InsecureKeyFileException("key file " + source + " has mode " + PosixFilePermissions.toString(permissions)
            + ": other users can read or change it; run `chmod 600 " + source + "` (and check who saw it) before starting");
      }
    }
  }

  /** A key file whose permissions let others read or write it. */
  public static final class InsecureKeyFileException extends IllegalStateException {
    public InsecureKeyFileException(String message) {
      super(message);
    }
  }

  public static void writeNodeKey(Path target, KeyPair key) {
    writeSecret(target, (HexFormat.of().formatHex(key.seed()) + "\n").getBytes(StandardCharsets.US_ASCII));
  }

  public static KeyPair readNodeKey(Path source) {
    try {
      checkOwnerOnly(source);
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
