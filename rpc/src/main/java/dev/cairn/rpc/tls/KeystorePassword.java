package dev.cairn.rpc.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A keystore password, read from a file or an environment variable, never from a flag (which any local
 * user could read in the process list). Its {@code toString} never shows it, so it cannot reach a log.
 */
public final class KeystorePassword {
  static final int FILE_BYTES_MAX = 4096;
  private final char[] password;

  private KeystorePassword(char[] password) {
    this.password = password;
  }

  public static KeystorePassword of(char[] password) {
    return new KeystorePassword(password.clone());
  }

  /** The file's first line (a trailing newline is not part of the password). */
  public static KeystorePassword fromFile(Path file) {
    try {
      if (Files.size(file) > FILE_BYTES_MAX) {
        throw new IllegalArgumentException("keystore password file " + file + " is over " + FILE_BYTES_MAX + " bytes");
      }
      String text = Files.readString(file, StandardCharsets.UTF_8);
      return new KeystorePassword(text.lines().findFirst().orElse("").toCharArray());
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read keystore password file " + file + ": " + e.getMessage());
    }
  }

  /** A copy: the caller (a keystore load) may wipe it. */
  public char[] chars() {
    return password.clone();
  }

  @Override
  public String toString() {
    return "KeystorePassword[redacted]";
  }
}
