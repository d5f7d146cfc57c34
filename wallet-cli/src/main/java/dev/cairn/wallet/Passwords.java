package dev.cairn.wallet;

import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Where a keystore password comes from: --password-file, then $CAIRN_WALLET_PASSWORD, then the terminal. */
final class Passwords {
  private final Optional<Path> file;

  Passwords(Optional<Path> file) {
    this.file = file;
  }

  char[] read(String prompt) {
    return read(prompt, false);
  }

  /**
   * With {@code confirm} (a password for a new or imported key), an interactive prompt asks twice and an
   * empty password is refused from every source: it would leave the key unprotected.
   */
  char[] read(String prompt, boolean confirm) {
    char[] password = readAny(prompt, confirm);
    if (confirm && password.length == 0) {
      throw new IllegalArgumentException("empty password: a keystore needs a password to protect the key"
          + (file.isPresent() ? " (the first line of " + file.get() + " is empty)" : ""));
    }
    return password;
  }

  private char[] readAny(String prompt, boolean confirm) {
    if (file.isPresent()) {
      try {
        List<String> lines = Files.readAllLines(file.get(), StandardCharsets.UTF_8);
        return (lines.isEmpty() ? "" : lines.get(0)).toCharArray();
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read --password-file " + file.get() + ": " + e.getMessage());
      }
    }
    String env = System.getenv("CAIRN_WALLET_PASSWORD");
    if (env != null) {
      return env.toCharArray();
    }
    Console console = System.console();
    if (console == null) {
      throw new IllegalArgumentException("no password: use --password-file FILE or set CAIRN_WALLET_PASSWORD (no terminal to prompt on)");
    }
    char[] first = console.readPassword("%s: ", prompt);
    if (first == null) {
      throw new IllegalArgumentException("no password entered");
    }
    if (confirm) {
      char[] second = console.readPassword("repeat %s: ", prompt);
      if (second == null || !Arrays.equals(first, second)) {
        throw new IllegalArgumentException("the two passwords differ; nothing was written");
      }
    }
    return first;
  }
}
