package dev.cairn.p2p.noise;

import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.p2p.identity.HostKey;
import dev.cairn.p2p.identity.IdentityKeys;
import dev.cairn.p2p.identity.PeerId;
import dev.cairn.p2p.wire.DecodeException;
import dev.cairn.p2p.wire.ProtobufReader;
import dev.cairn.p2p.wire.ProtobufWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The libp2p NoiseHandshakePayload {@code {bytes identity_key = 1; bytes identity_sig = 2; extensions = 4}}.
 * It binds the Noise static key to the libp2p identity: identity_sig is an Ed25519 signature over
 * {@code "noise-libp2p-static-key:" || staticKey}. Cairn sends no extensions, so js negotiates the muxer
 * with multistream-select (early muxer negotiation would need the initiator's list honoured by both sides).
 */
public final class HandshakePayload {
  static final byte[] SIGNATURE_PREFIX = "noise-libp2p-static-key:".getBytes(StandardCharsets.US_ASCII);
  static final int FIELD_BYTES_MAX = 4096;

  private HandshakePayload() {}

  public static byte[] create(HostKey identity, byte[] noiseStaticPublic) {
    byte[] sig = identity.sign(signedBytes(noiseStaticPublic));
    return new ProtobufWriter().bytes(1, IdentityKeys.toProtobuf(identity.publicKey())).bytes(2, sig).toByteArray();
  }

  /** Decodes and verifies the remote payload against its Noise static key; returns the authenticated peer. */
  public static PeerId verify(byte[] payload, byte[] remoteNoiseStatic) {
    ProtobufReader r = new ProtobufReader(payload);
    byte[] key = null;
    byte[] sig = null;
    while (r.next()) {
      switch (r.field()) {
        case 1 -> key = r.readBytes(FIELD_BYTES_MAX);
        case 2 -> sig = r.readBytes(FIELD_BYTES_MAX);
        default -> r.skip(); // extensions: Cairn negotiates the muxer with mss either way
      }
    }
    if (key == null || sig == null) throw new DecodeException("noise_payload_incomplete", "identity key or signature missing");
    PublicKey identity = IdentityKeys.fromProtobuf(key);
    PeerId peer = PeerId.fromPublicKey(identity);
    if (!IdentityKeys.verify(identity, signedBytes(remoteNoiseStatic), sig)) {
      throw new DecodeException("noise_bad_identity_signature", "static key not signed by " + peer);
    }
    return peer;
  }

  private static byte[] signedBytes(byte[] staticKey) {
    byte[] m = Arrays.copyOf(SIGNATURE_PREFIX, SIGNATURE_PREFIX.length + staticKey.length);
    System.arraycopy(staticKey, 0, m, SIGNATURE_PREFIX.length, staticKey.length);
    return m;
  }
}
