package dev.cairn.p2p.host;

import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.p2p.identity.IdentityKeys;
import dev.cairn.p2p.identity.Multiaddr;
import dev.cairn.p2p.wire.DecodeException;
import dev.cairn.p2p.wire.ProtobufReader;
import dev.cairn.p2p.wire.ProtobufWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code /ipfs/id/1.0.0} Identify protobuf: protocolVersion=5, agentVersion=6, publicKey=1,
 * listenAddrs=2, observedAddr=4, protocols=3 (signedPeerRecord=8 is ignored). Addresses in forms Cairn
 * does not dial (websockets, circuits) are skipped, not fatal.
 */
public record IdentifyMessage(String protocolVersion, String agentVersion, PublicKey publicKey,
    List<Multiaddr> listenAddrs, List<String> protocols, Optional<Multiaddr> observedAddr) {
  public static final String PROTOCOL_VERSION = "ipfs/0.1.0";
  static final int PROTOCOLS_MAX = 128;
  static final int ADDRS_MAX = 32;
  static final int STRING_BYTES_MAX = 256;

  public IdentifyMessage {
    listenAddrs = List.copyOf(listenAddrs);
    protocols = List.copyOf(protocols);
  }

  public byte[] encode() {
    ProtobufWriter w = new ProtobufWriter().string(5, protocolVersion).string(6, agentVersion).bytes(1, IdentityKeys.toProtobuf(publicKey));
    for (Multiaddr a : listenAddrs) w.bytes(2, a.toBytes());
    observedAddr.ifPresent(a -> w.bytes(4, a.toBytes()));
    for (String p : protocols) w.string(3, p);
    return w.toByteArray();
  }

  public static IdentifyMessage decode(byte[] bytes) {
    ProtobufReader r = new ProtobufReader(bytes);
    String protocolVersion = "";
    String agentVersion = "";
    PublicKey key = null;
    List<Multiaddr> addrs = new ArrayList<>();
    List<String> protocols = new ArrayList<>();
    Multiaddr observed = null;
    while (r.next()) {
      switch (r.field()) {
        case 1 -> key = IdentityKeys.fromProtobuf(r.readBytes(IdentityKeys.PROTOBUF_BYTES_MAX));
        case 2 -> {
          if (addrs.size() >= ADDRS_MAX) throw new DecodeException("identify_too_many_addrs", "> " + ADDRS_MAX);
          parseQuietly(r.readBytes(Multiaddr.BINARY_BYTES_MAX)).ifPresent(addrs::add);
        }
        case 3 -> {
          if (protocols.size() >= PROTOCOLS_MAX) throw new DecodeException("identify_too_many_protocols", "> " + PROTOCOLS_MAX);
          protocols.add(r.readString(STRING_BYTES_MAX));
        }
        case 4 -> observed = parseQuietly(r.readBytes(Multiaddr.BINARY_BYTES_MAX)).orElse(null);
        case 5 -> protocolVersion = r.readString(STRING_BYTES_MAX);
        case 6 -> agentVersion = r.readString(STRING_BYTES_MAX);
        default -> r.skip();
      }
    }
    if (key == null) throw new DecodeException("identify_no_public_key", "publicKey is required");
    return new IdentifyMessage(protocolVersion, agentVersion, key, addrs, protocols, Optional.ofNullable(observed));
  }

  private static Optional<Multiaddr> parseQuietly(byte[] b) {
    try {
      return Optional.of(Multiaddr.fromBytes(b));
    } catch (DecodeException e) {
      return Optional.empty();
    }
  }
}
