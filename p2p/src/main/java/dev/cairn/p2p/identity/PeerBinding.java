package dev.cairn.p2p.identity;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.crypto.Signature;
import dev.cairn.ledger.crypto.Signatures;
import dev.cairn.p2p.wire.DecodeException;
import dev.cairn.p2p.wire.ProtobufReader;
import dev.cairn.p2p.wire.ProtobufWriter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A node key's statement "the libp2p peer {@code peer} speaks for me on chain {@code chainId}": how a node
 * whose libp2p identity is a key of its own (p2p.key) shows which validator (or genesis observer) it runs.
 * Signed once at start by the node key over {@link #signedBytes}; the node key never signs per connection.
 * The chain id and peer id travel in the binding so that a refusal can say which of them was wrong; they are
 * also inside the signed bytes, so a binding copied to another chain or another peer does not verify.
 */
public record PeerBinding(PublicKey signer, String chainId, PeerId peer, Signature signature) {
  /** Length-prefixed like the ledger's domain tags, so no other Cairn signature can be replayed as a binding. */
  static final String TAG = "cairn/p2p-binding/v1";
  /** Chain ids are short names; anything longer is not a binding of ours. */
  public static final int CHAIN_ID_BYTES_MAX = 128;
  /** Largest encoded binding (key 32 + chain id + peer id 38 + signature 64 + field headers), refused beyond. */
  public static final int ENCODED_BYTES_MAX = 512;

  public PeerBinding {
    Objects.requireNonNull(signer, "signer");
    Objects.requireNonNull(chainId, "chainId");
    Objects.requireNonNull(peer, "peer");
    Objects.requireNonNull(signature, "signature");
  }

  /** Why a binding does not admit the peer that presented it; the lower-case name is the log's reason. */
  public enum Fault { MALFORMED, OTHER_CHAIN, OTHER_PEER, BAD_SIGNATURE }

  public static PeerBinding sign(KeyPair nodeKey, String chainId, PeerId peer) {
    return new PeerBinding(nodeKey.publicKey(), chainId, peer, nodeKey.sign(signedBytes(chainId, peer)));
  }

  /** {@code len(tag) || tag || len(chainId) || chainId || peer id bytes}: the bytes the node key signs. */
  public static byte[] signedBytes(String chainId, PeerId peer) {
    byte[] tag = TAG.getBytes(StandardCharsets.US_ASCII);
    byte[] chain = chainId.getBytes(StandardCharsets.UTF_8);
    if (chain.length > CHAIN_ID_BYTES_MAX) throw new IllegalArgumentException("chain id longer than " + CHAIN_ID_BYTES_MAX + " bytes");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag.length);
    out.writeBytes(tag);
    out.write(chain.length);
    out.writeBytes(chain);
    out.writeBytes(peer.bytes());
    return out.toByteArray();
  }

  /**
   * Checks this binding as presented by the Noise-authenticated {@code remote} on a node of {@code ourChainId}:
   * null when it holds, else what is wrong (cheap checks first, the signature last).
   */
  public Fault check(String ourChainId, PeerId remote) {
    if (!chainId.equals(ourChainId)) return Fault.OTHER_CHAIN;
    if (!peer.equals(remote)) return Fault.OTHER_PEER;
    return Signatures.verify(signer, signedBytes(chainId, peer), signature) ? null : Fault.BAD_SIGNATURE;
  }

  /** {@code {bytes signer = 1; string chain_id = 2; bytes peer_id = 3; bytes signature = 4}}. */
  public byte[] encode() {
    return new ProtobufWriter().bytes(1, signer.bytes().toArray()).string(2, chainId).bytes(3, peer.bytes())
        .bytes(4, signature.bytes().toArray()).toByteArray();
  }

  /** Decodes a binding from a peer: bounded fields, every field present; DecodeException otherwise. */
  public static PeerBinding decode(byte[] encoded) {
    if (encoded.length > ENCODED_BYTES_MAX) throw new DecodeException("binding_malformed", encoded.length + " bytes");
    ProtobufReader r = new ProtobufReader(encoded);
    byte[] signer = null;
    String chainId = null;
    byte[] peer = null;
    byte[] signature = null;
    while (r.next()) {
      switch (r.field()) {
        case 1 -> signer = r.readBytes(64);
        case 2 -> chainId = r.readString(CHAIN_ID_BYTES_MAX);
        case 3 -> peer = r.readBytes(64);
        case 4 -> signature = r.readBytes(64);
        default -> r.skip();
      }
    }
    if (signer == null || chainId == null || peer == null || signature == null) {
      throw new DecodeException("binding_malformed", "a field is missing");
    }
    if (signer.length != 32 || signature.length != Signature.SIZE) {
      throw new DecodeException("binding_malformed", "key or signature length");
    }
    try {
      return new PeerBinding(new PublicKey(Bytes.of(signer)), chainId, PeerId.fromBytes(peer), new Signature(Bytes.of(signature)));
    } catch (IllegalArgumentException e) {
      throw new DecodeException("binding_malformed", e.getMessage());
    }
  }
}
