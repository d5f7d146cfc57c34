package dev.cairn.p2p.host;

import dev.cairn.p2p.identity.PeerId;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The network-level permission check: a peer-ID allowlist consulted right after the Noise handshake has
 * authenticated the remote (and before dialing). Changeable at runtime; a change disconnects peers that
 * are no longer allowed. {@link #open()} admits everyone (for tests and public networks).
 */
public final class ConnectionGater {
  private volatile Set<PeerId> allowed; // null: open
  private final List<Consumer<ConnectionGater>> changeListeners = new CopyOnWriteArrayList<>();

  private ConnectionGater(Set<PeerId> allowed) {
    this.allowed = allowed == null ? null : Set.copyOf(allowed);
  }

  public static ConnectionGater allowlist(Set<PeerId> peers) {
    return new ConnectionGater(peers);
  }

  public static ConnectionGater open() {
    return new ConnectionGater(null);
  }

  public boolean allows(PeerId peer) {
    Set<PeerId> a = allowed;
    return a == null || a.contains(peer);
  }

  /** Replaces the allowlist (e.g. after a validator-set change). */
  public void setAllowlist(Set<PeerId> peers) {
    allowed = Set.copyOf(peers);
    changed();
  }

  public synchronized void allow(PeerId peer) {
    Set<PeerId> next = allowed == null ? new HashSet<>() : new HashSet<>(allowed);
    next.add(peer);
    allowed = Set.copyOf(next);
    changed();
  }

  public synchronized void revoke(PeerId peer) {
    Set<PeerId> next = allowed == null ? new HashSet<>() : new HashSet<>(allowed);
    next.remove(peer);
    allowed = Set.copyOf(next);
    changed();
  }

  /** The current allowlist, or empty when the gater is open. */
  public Set<PeerId> allowlist() {
    Set<PeerId> a = allowed;
    return a == null ? Set.of() : a;
  }

  public boolean isOpen() {
    return allowed == null;
  }

  void onChange(Consumer<ConnectionGater> listener) {
    changeListeners.add(listener);
  }

  private void changed() {
    for (Consumer<ConnectionGater> l : changeListeners) l.accept(this);
  }
}
