package dev.cairn.p2p.noise;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.p2p.identity.HostKey;
import dev.cairn.p2p.identity.IdentityKeys;
import dev.cairn.p2p.identity.PeerBinding;
import dev.cairn.p2p.identity.PeerId;
import dev.cairn.p2p.wire.DecodeException;
import dev.cairn.p2p.wire.ProtobufReader;
import dev.cairn.p2p.wire.ProtobufWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * The libp2p NoiseHandshakePayload {@code {bytes identity_key = 1; bytes identity_sig = 2; extensions = 4}}.
 * It binds the Noise static key to the libp2p identity: identity_sig is an Ed25519 signature over
 * {@code "noise-libp2p-static-key:" || staticKey}. Cairn's only extension is its {@link PeerBinding}, in a
 * field of NoiseExtensions that the spec does not define ({@link #BINDING_FIELD}): js-libp2p skips unknown
 * fields, and with no stream_muxers listed it negotiates the muxer with multistream-select as before.
 */
public final class HandshakePayload {
  static final byte[] SIGNATURE_PREFIX = "noise-libp2p-static-key:".getBytes(StandardCharsets.US_ASCII);
  static final int FIELD_BYTES_MAX = 4096;
  /** NoiseExtensions field carrying Cairn's binding; the spec uses 1 (webtransport_certhashes) and 2 (stream_muxers). */
  static final int BINDING_FIELD = 1000;

  /**
   * The remote as the handshake authenticated it: its peer ID, its libp2p identity key, and the encoded
   * binding it presented (unchecked: the connection gater decodes and checks it against the chain).
   */
  public record Verified(PeerId peer, PublicKey identity, Optional<Bytes> binding) {}

  private HandshakePayload() {}

  public static byte[] create(HostKey identity, byte[] noiseStaticPublic) {
    return create(identity, noiseStaticPublic, Optional.empty());
  }

  /** The payload, with {@code binding} (encoded once by the host) as Cairn's extension when present. */
  public static byte[] create(HostKey identity, byte[] noiseStaticPublic, Optional<byte[]> binding) {
    byte[] sig = identity.sign(signedBytes(noiseStaticPublic));
    ProtobufWriter out = new ProtobufWriter().bytes(1, IdentityKeys.toProtobuf(identity.publicKey())).bytes(2, sig);
    binding.ifPresent(b -> out.bytes(4, new ProtobufWriter().bytes(BINDING_FIELD, b).toByteArray()));
    return out.toByteArray();
  }

  /** Decodes and verifies the remote payload against its Noise static key; returns the authenticated peer. */
  public static Verified verify(byte[] payload, byte[] remoteNoiseStatic) {
    ProtobufReader r = new ProtobufReader(payload);
    byte[] key = null;
    byte[] sig = null;
    byte[] binding = null;
    while (r.next()) {
      switch (r.field()) {
        case 1 -> key = r.readBytes(FIELD_BYTES_MAX);
        case 2 -> sig = r.readBytes(FIELD_BYTES_MAX);
        case 4 -> binding = binding(r.readBytes(FIELD_BYTES_MAX));
        default -> r.skip();
      }
    }
    if (key == null || sig == null) throw new DecodeException("noise_payload_incomplete", "identity key or signature missing");
    PublicKey identity = IdentityKeys.fromProtobuf(key);
    PeerId peer = PeerId.fromPublicKey(identity);
    if (!IdentityKeys.verify(identity, signedBytes(remoteNoiseStatic), sig)) {
      throw new DecodeException("noise_bad_identity_signature", "static key not signed by " + peer);
    }
    return new Verified(peer, identity, Optional.ofNullable(binding).map(Bytes::of));
  }

  /** Cairn's binding out of NoiseExtensions, or null; the muxer list is ignored (Cairn negotiates it with mss). */
  private static byte[] binding(byte[] extensions) {
    ProtobufReader r = new ProtobufReader(extensions);
    byte[] binding = null;
    while (r.next()) {
      if (r.field() == BINDING_FIELD) binding = r.readBytes(PeerBinding.ENCODED_BYTES_MAX);
      else r.skip();
    }
    return binding;
  }

  private static byte[] signedBytes(byte[] staticKey) {
    byte[] m = Arrays.copyOf(SIGNATURE_PREFIX, SIGNATURE_PREFIX.length + staticKey.length);
    System.arraycopy(staticKey, 0, m, SIGNATURE_PREFIX.length, staticKey.length);
    return m;
  }
}
