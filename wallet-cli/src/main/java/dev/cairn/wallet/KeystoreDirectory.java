package dev.cairn.wallet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.cairn.ledger.crypto.Address;
import dev.cairn.ledger.crypto.KeyFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The wallet's keystore directory: one {@code <address>.json} file per key, each readable by its owner only
 * (written with mode 0600 from the start, moved into place atomically, never overwritten).
 */
public final class KeystoreDirectory {
  /** A keystore file is a few hundred bytes; refuse anything absurd before parsing it. */
  private static final long FILE_BYTES_MAX = 64 * 1024;

  private final Path dir;
  private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public KeystoreDirectory(Path dir) {
    this.dir = dir;
  }

  /** $CAIRN_WALLET_DIR, else ~/.cairn/wallet. */
  public static Path defaultPath() {
    String env = System.getenv("CAIRN_WALLET_DIR");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    return Path.of(System.getProperty("user.home"), ".cairn", "wallet");
  }

  public Path path() {
    return dir;
  }

  public Path fileFor(Address address) {
    return dir.resolve(address.toText() + ".json");
  }

  public Path save(Keystore keystore) {
    Path target = fileFor(keystore.address());
    if (Files.exists(target)) {
      throw new IllegalArgumentException("a keystore for " + keystore.address() + " already exists: " + target);
    }
    try {
      KeyFiles.writeSecret(target, json.writeValueAsBytes(keystore.toJson(json)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return target;
  }

  public static Keystore read(Path file) {
    try {
      if (Files.size(file) > FILE_BYTES_MAX) {
        throw new IllegalArgumentException(file + ": too large to be a keystore");
      }
      return Keystore.fromJson(new ObjectMapper().readTree(file.toFile()));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read keystore " + file + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  public List<Keystore> list() {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<Keystore> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList()) {
        out.add(read(file));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
    }
    return out;
  }

  public Optional<Keystore> find(Address address) {
    Path file = fileFor(address);
    return Files.exists(file) ? Optional.of(read(file)) : Optional.empty();
  }

  /**
   * The account to act as: {@code from} if given, else the only key in the directory. One-line errors tell the
   * user what to do when there is none or several.
   */
  public Keystore select(Optional<String> from) {
    if (from.isPresent()) {
      Address address = Address.parse(from.get());
      return find(address)
          .orElseThrow(() -> new IllegalArgumentException("no key for " + address + " in " + dir + "; see 'wallet list'"));
    }
    List<Keystore> all = list();
    if (all.isEmpty()) {
      throw new IllegalArgumentException("no keys in " + dir + "; create one with 'wallet new' or 'wallet import'");
    }
    if (all.size() > 1) {
      throw new IllegalArgumentException(all.size() + " keys in " + dir + "; choose one with --from ADDRESS");
    }
    return all.get(0);
  }
}
