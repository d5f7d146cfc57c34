package dev.cairn.network;

import dev.cairn.p2p.identity.PeerId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The observers an operator admitted at run time, one peer ID per line in {@code DATA_DIR/observers-added.txt}:
 * the node reads it at start-up, so an addition outlives a restart without touching config.toml. Written whole
 * to a temporary file, synced, then moved over the old one: a crash leaves the old list or the new, never half.
 */
public final class AddedObservers {
  public static final String FILE_NAME = "observers-added.txt";
  /** Most observers added at run time; an allowlist is for a consortium's nodes, not a public crowd. */
  public static final int OBSERVERS_MAX = 1_024;
  private static final long FILE_BYTES_MAX = OBSERVERS_MAX * 64L;

  private final Path file;
  private final Set<PeerId> observers;

  private AddedObservers(Path file, Set<PeerId> observers) {
    this.file = file;
    this.observers = observers;
  }

  /** Reads the list in {@code dataDir} (none yet: empty); a malformed line stops the node with the line named. */
  public static AddedObservers open(Path dataDir) {
    Path file = dataDir.resolve(FILE_NAME);
    Set<PeerId> observers = new LinkedHashSet<>();
    if (Files.exists(file)) {
      try {
        if (Files.size(file) > FILE_BYTES_MAX) {
          throw new IllegalStateException(file + " is over " + FILE_BYTES_MAX + " bytes");
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        for (int i = 0; i < lines.size(); i++) {
          String line = lines.get(i).strip();
          if (line.isEmpty() || line.startsWith("#")) {
            continue;
          }
          try {
            observers.add(PeerId.fromBase58(line));
          } catch (RuntimeException e) {
            throw new IllegalStateException(file + " line " + (i + 1) + " is not a peer ID: " + e.getMessage());
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
    }
    return new AddedObservers(file, observers);
  }

  public synchronized Set<PeerId> all() {
    return Set.copyOf(observers);
  }

  public synchronized List<String> names() {
    return observers.stream().map(PeerId::toBase58).toList();
  }

  /** Adds and persists; false if it was there already. Throws {@link IllegalStateException} when full. */
  public synchronized boolean add(PeerId peer) {
    if (observers.contains(peer)) {
      return false;
    }
    if (observers.size() >= OBSERVERS_MAX) {
      throw new IllegalStateException("at most " + OBSERVERS_MAX + " observers may be added at run time");
    }
    observers.add(peer);
    write();
    return true;
  }

  /** Removes and persists; false if it was not there. */
  public synchronized boolean remove(PeerId peer) {
    if (!observers.remove(peer)) {
      return false;
    }
    write();
    return true;
  }

  private void write() {
    List<String> lines = new ArrayList<>();
    lines.add("# Observers admitted with admin_addPeer; edit with admin_addPeer / admin_removePeer.");
    observers.forEach(peer -> lines.add(peer.toBase58()));
    Path temporary = file.resolveSibling(FILE_NAME + ".tmp");
    try {
      Files.write(temporary, lines, StandardCharsets.US_ASCII);
      try (var channel = java.nio.channels.FileChannel.open(temporary, java.nio.file.StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      try {
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
