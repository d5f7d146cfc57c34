package dev.cairn.network;

import dev.cairn.ledger.crypto.KeyFiles;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.p2p.identity.HostKey;
import dev.cairn.p2p.identity.PeerBinding;
import dev.cairn.p2p.identity.PeerId;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who this node is on the p2p network: a libp2p key of its own (p2p.key), apart from the node key that signs
 * votes, and the node key's {@link PeerBinding} of that key's peer ID, signed once here at start. Every Noise
 * handshake is signed by the p2p key only; the node key never touches a connection, so it can move to a remote
 * signer. Peers find which validator (or genesis observer) this node runs through the binding.
 *
 * @param hostKey the libp2p identity
 * @param nodeKey the node key's public half (the validator or observer key on chain)
 * @param binding the node key's statement that {@code hostKey}'s peer ID speaks for it on this chain
 * @param created whether the p2p key was written at this start (a data dir of an earlier release, or a new one)
 */
public record P2pIdentity(HostKey hostKey, PublicKey nodeKey, PeerBinding binding, boolean created) {
  private static final Logger log = LoggerFactory.getLogger(P2pIdentity.class);

  public P2pIdentity {
    Objects.requireNonNull(hostKey, "hostKey");
    Objects.requireNonNull(nodeKey, "nodeKey");
    if (!binding.peer().equals(hostKey.peerId()) || !binding.signer().equals(nodeKey)) {
      throw new IllegalArgumentException("the binding does not bind " + hostKey.peerId() + " to the node key");
    }
  }

  /**
   * Reads {@code p2pKeyFile}, or creates it (mode 0600, fsynced, never overwriting) when missing, and binds it to
   * {@code nodeKey} on {@code chainId}. A p2p key equal to the node key is refused: that is the old identity.
   */
  public static P2pIdentity load(Path p2pKeyFile, KeyPair nodeKey, String chainId) {
    boolean created = false;
    if (!Files.exists(p2pKeyFile)) {
      try {
        KeyFiles.writeNodeKey(p2pKeyFile, KeyPair.generate());
        created = true;
      } catch (UncheckedIOException e) {
        if (!(e.getCause() instanceof FileAlreadyExistsException)) {
          throw e;
        }
        // another process created it first: use theirs
      }
    }
    KeyPair p2p = KeyFiles.readNodeKey(p2pKeyFile);
    if (p2p.equals(nodeKey)) {
      throw new IllegalArgumentException("p2p key " + p2pKeyFile + " is the node key: the p2p identity must be a key "
          + "of its own (delete the file and restart to create one)");
    }
    HostKey hostKey = HostKey.fromSeed(p2p.seed());
    P2pIdentity identity = new P2pIdentity(hostKey, nodeKey.publicKey(), PeerBinding.sign(nodeKey, chainId, hostKey.peerId()), created);
    if (created) {
      log.info("event=p2p_key_created file={} peer_id={} node_key_peer_id={}", p2pKeyFile, identity.peerId(),
          identity.nodeKeyPeerId());
    }
    return identity;
  }

  /** A fresh in-memory identity (tools and tests that join a network for a while). */
  public static P2pIdentity ephemeral(KeyPair nodeKey, String chainId) {
    HostKey hostKey = HostKey.fromSeed(KeyPair.generate().seed());
    return new P2pIdentity(hostKey, nodeKey.publicKey(), PeerBinding.sign(nodeKey, chainId, hostKey.peerId()), true);
  }

  public PeerId peerId() {
    return hostKey.peerId();
  }

  /** The peer ID this node had before p2p keys (derived from the node key): what older configs name it by. */
  public PeerId nodeKeyPeerId() {
    return PeerId.fromPublicKey(nodeKey);
  }
}
