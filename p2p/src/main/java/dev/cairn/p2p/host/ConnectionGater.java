package dev.cairn.p2p.host;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.p2p.identity.PeerBinding;
import dev.cairn.p2p.identity.PeerId;
import dev.cairn.p2p.wire.DecodeException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The network-level permission check, consulted right after the Noise handshake has authenticated the remote
 * (and before dialing). It admits a peer that is
 * <ul>
 *   <li>bound, by a {@link PeerBinding} it presented in the handshake, to an allowed key (a validator of the
 *       next height, a genesis observer) or to a key whose own peer ID is allowed (an observer listed by the
 *       ID it had before it got a p2p key of its own);</li>
 *   <li>allowed by its peer ID (observers listed by ID);</li>
 *   <li>or authenticated by an allowed key itself (a node of a release before p2p keys: its libp2p identity is
 *       its node key).</li>
 * </ul>
 * A binding that does not hold (malformed, for another chain, for another peer, bad signature, by a key not
 * allowed) refuses the connection with that reason, even when the peer ID alone would be allowed. The bindings
 * of admitted peers are remembered ({@link #boundKey}, {@link #boundPeer}): that is how the rest of the node
 * finds which validator a peer runs. Changeable at runtime; a change disconnects peers no longer allowed.
 * {@link #open()} admits everyone (for tests and public networks) and checks no binding.
 */
public final class ConnectionGater {
  /** Why the gater refused a peer; the name in logs is the lower-case constant. */
  public enum Refusal {
    NOT_ALLOWED, BINDING_MALFORMED, BINDING_OTHER_CHAIN, BINDING_OTHER_PEER, BINDING_BAD_SIGNATURE, BINDING_NOT_ALLOWED,
    /** A node key used as the libp2p identity (the release before p2p keys) while such identities are refused. */
    NODE_KEY_IDENTITY
  }

  /** The gater's verdict on an authenticated remote. */
  public sealed interface Decision {
    /** Admitted; {@code boundKey} is the node key the peer speaks for (its own identity key when unbound). */
    record Allowed(PublicKey boundKey) implements Decision {}

    record Refused(Refusal reason) implements Decision {}
  }

  /** Who is allowed: node keys (with their own peer IDs) and peer IDs. Immutable; replaced as a whole. */
  private record Rules(Set<PublicKey> keys, Set<PeerId> keyIds, Set<PeerId> peers) {
    static Rules of(Set<PublicKey> keys, Set<PeerId> peers) {
      Set<PeerId> keyIds = new HashSet<>();
      for (PublicKey k : keys) keyIds.add(PeerId.fromPublicKey(k));
      return new Rules(Set.copyOf(keys), Set.copyOf(keyIds), Set.copyOf(peers));
    }

    boolean allowsKey(PublicKey key) {
      return keys.contains(key) || peers.contains(PeerId.fromPublicKey(key));
    }
  }

  /** Null: open. */
  private final String chainId;
  /** Whether an allowed node key may itself be the libp2p identity (no binding): nodes of the previous release. */
  private final boolean nodeKeyIdentities;
  private volatile Rules rules; // null: open
  /** Bindings of admitted peers, both ways; only entries still allowed are kept (pruned on every change). */
  private final Map<PeerId, PublicKey> keyByPeer = new HashMap<>();
  private final Map<PublicKey, PeerId> peerByKey = new HashMap<>();
  private final List<Consumer<ConnectionGater>> changeListeners = new CopyOnWriteArrayList<>();

  private ConnectionGater(String chainId, Rules rules, boolean nodeKeyIdentities) {
    this.chainId = chainId;
    this.nodeKeyIdentities = nodeKeyIdentities;
    this.rules = rules;
  }

  /** A peer-ID allowlist with no chain: bindings are not checked (tools and tests). */
  public static ConnectionGater allowlist(Set<PeerId> peers) {
    return new ConnectionGater(null, Rules.of(Set.of(), peers), true);
  }

  /** The gater of a node of {@code chainId}: peers bound to (or authenticated by) {@code keys}, and {@code peers}. */
  public static ConnectionGater forChain(String chainId, Set<PublicKey> keys, Set<PeerId> peers) {
    return forChain(chainId, keys, peers, true);
  }

  /** ...refusing node keys as libp2p identities when {@code nodeKeyIdentities} is false (every node has a p2p key). */
  public static ConnectionGater forChain(String chainId, Set<PublicKey> keys, Set<PeerId> peers, boolean nodeKeyIdentities) {
    return new ConnectionGater(java.util.Objects.requireNonNull(chainId, "chainId"), Rules.of(keys, peers), nodeKeyIdentities);
  }

  public static ConnectionGater open() {
    return new ConnectionGater(null, null, true);
  }

  /**
   * Decides on a remote the Noise handshake authenticated as {@code peer} with identity key {@code identity},
   * presenting {@code binding} (encoded, unchecked) or none. An admitted peer's binding is remembered.
   */
  public Decision decide(PeerId peer, PublicKey identity, Optional<Bytes> binding) {
    Rules r = rules;
    if (r == null) return new Decision.Allowed(identity);
    if (chainId != null && binding.isPresent()) {
      PeerBinding b;
      try {
        b = PeerBinding.decode(binding.get().unsafeArray());
      } catch (DecodeException e) {
        return new Decision.Refused(Refusal.BINDING_MALFORMED);
      }
      PeerBinding.Fault fault = b.check(chainId, peer);
      if (fault != null) {
        return new Decision.Refused(switch (fault) {
          case MALFORMED -> Refusal.BINDING_MALFORMED;
          case OTHER_CHAIN -> Refusal.BINDING_OTHER_CHAIN;
          case OTHER_PEER -> Refusal.BINDING_OTHER_PEER;
          case BAD_SIGNATURE -> Refusal.BINDING_BAD_SIGNATURE;
        });
      }
      if (!r.allowsKey(b.signer()) && !r.peers().contains(peer)) return new Decision.Refused(Refusal.BINDING_NOT_ALLOWED);
      remember(peer, b.signer());
      return new Decision.Allowed(b.signer());
    }
    if (!r.peers().contains(peer)) {
      if (!r.keyIds().contains(peer)) return new Decision.Refused(Refusal.NOT_ALLOWED);
      if (!nodeKeyIdentities) return new Decision.Refused(Refusal.NODE_KEY_IDENTITY);
    }
    if (chainId != null) remember(peer, identity);
    return new Decision.Allowed(identity);
  }

  /** Whether a peer (connected, or about to be dialled) is allowed now: by ID, by key, or by the binding seen. */
  public boolean allows(PeerId peer) {
    Rules r = rules;
    if (r == null || r.peers().contains(peer) || (nodeKeyIdentities && r.keyIds().contains(peer))) return true;
    return boundKey(peer).map(r::allowsKey).orElse(false);
  }

  /**
   * Whether a dial to {@code peer} is worth making: a chain's gater cannot know before the handshake which key
   * an ID is bound to (a bootnode's p2p key), so it dials and decides after Noise; an ID-only allowlist refuses
   * unlisted IDs up front.
   */
  public boolean mayDial(PeerId peer) {
    return chainId != null || allows(peer);
  }

  /** The node key an admitted peer is bound to, if one was seen. */
  public synchronized Optional<PublicKey> boundKey(PeerId peer) {
    return Optional.ofNullable(keyByPeer.get(peer));
  }

  /** The peer last admitted with a binding to {@code key} (or as {@code key} itself), if any. */
  public synchronized Optional<PeerId> boundPeer(PublicKey key) {
    return Optional.ofNullable(peerByKey.get(key));
  }

  /**
   * The peer to talk to for an ID from a config file: itself, or, when it is the ID a node key derives (a
   * bootnode entry written before p2p keys), the peer last seen bound to that key.
   */
  public Optional<PeerId> resolve(PeerId configured) {
    PublicKey key = configured.publicKey();
    return key == null ? Optional.empty() : boundPeer(key).filter(p -> !p.equals(configured));
  }

  /** Replaces the allowed peer IDs, keeping the keys (e.g. an observer added at run time). */
  public void setAllowlist(Set<PeerId> peers) {
    Rules r = rules;
    setAllowed(r == null ? Set.of() : r.keys(), peers);
  }

  /** Replaces the allowed keys and peer IDs (e.g. after a validator-set change). */
  public void setAllowed(Set<PublicKey> keys, Set<PeerId> peers) {
    rules = Rules.of(keys, peers);
    changed();
  }

  public synchronized void allow(PeerId peer) {
    Set<PeerId> next = new HashSet<>(allowlist());
    next.add(peer);
    setAllowlist(next);
  }

  public synchronized void revoke(PeerId peer) {
    Set<PeerId> next = new HashSet<>(allowlist());
    next.remove(peer);
    setAllowlist(next);
  }

  /** The allowed peer IDs (not counting keys), or empty when the gater is open. */
  public Set<PeerId> allowlist() {
    Rules r = rules;
    return r == null ? Set.of() : r.peers();
  }

  /** The allowed node keys, or empty when the gater is open. */
  public Set<PublicKey> allowedKeys() {
    Rules r = rules;
    return r == null ? Set.of() : r.keys();
  }

  public boolean isOpen() {
    return rules == null;
  }

  void onChange(Consumer<ConnectionGater> listener) {
    changeListeners.add(listener);
  }

  /** A validator that moves its node to a new p2p key replaces its old binding; the old peer is then unbound. */
  private synchronized void remember(PeerId peer, PublicKey key) {
    PeerId previous = peerByKey.put(key, peer);
    if (previous != null && !previous.equals(peer)) keyByPeer.remove(previous);
    PublicKey previousKey = keyByPeer.put(peer, key);
    if (previousKey != null && !previousKey.equals(key)) peerByKey.remove(previousKey, peer);
  }

  private synchronized void prune() {
    Rules r = rules;
    if (r == null) return;
    keyByPeer.entrySet().removeIf(e -> !r.allowsKey(e.getValue()) && !r.peers().contains(e.getKey()));
    peerByKey.entrySet().removeIf(e -> !keyByPeer.containsKey(e.getValue()));
  }

  private void changed() {
    prune();
    for (Consumer<ConnectionGater> l : changeListeners) l.accept(this);
  }
}
