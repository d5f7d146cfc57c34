package dev.cairn.p2p.identity;

import dev.cairn.p2p.wire.DecodeException;
import dev.cairn.p2p.wire.Varint;
import io.netty.util.NetUtil;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A multiaddr restricted to what Cairn dials and announces: {@code /ip4}, {@code /ip6}, {@code /dns},
 * {@code /dns4}, {@code /dns6}, {@code /tcp}, {@code /p2p}. Text form and binary form (varint code, then the
 * address bytes, length-prefixed for variable-size ones) both round-trip.
 */
public record Multiaddr(List<Component> components) {
  /** Bound on a binary multiaddr we decode (identify carries several). */
  public static final int BINARY_BYTES_MAX = 512;
  public static final int TEXT_CHARS_MAX = 512;
  public static final int DNS_NAME_BYTES_MAX = 253;

  public enum Protocol {
    IP4(4, "ip4", 4),
    TCP(6, "tcp", 2),
    IP6(41, "ip6", 16),
    DNS(53, "dns", -1),
    DNS4(54, "dns4", -1),
    DNS6(55, "dns6", -1),
    P2P(421, "p2p", -1);

    public final int code;
    public final String text;
    /** Fixed size in bytes, or -1 for varint-length-prefixed values. */
    final int size;

    Protocol(int code, String text, int size) {
      this.code = code;
      this.text = text;
      this.size = size;
    }

    static Protocol byText(String s) {
      for (Protocol p : values()) if (p.text.equals(s)) return p;
      return null;
    }

    static Protocol byCode(long c) {
      for (Protocol p : values()) if (p.code == c) return p;
      return null;
    }
  }

  /** One component, its value in canonical text form (e.g. "127.0.0.1", "4001", "12D3KooW..."). */
  public record Component(Protocol protocol, String value) {
    public Component {
      if (protocol == null || value == null) throw new IllegalArgumentException("component needs protocol and value");
    }
  }

  public Multiaddr {
    components = List.copyOf(components);
    if (components.isEmpty()) throw new IllegalArgumentException("empty multiaddr");
  }

  public static Multiaddr parse(String text) {
    if (text.length() > TEXT_CHARS_MAX) throw new DecodeException("multiaddr_too_long", text.length() + " chars");
    if (!text.startsWith("/")) throw new DecodeException("multiaddr_bad_text", "must start with /");
    String[] parts = text.substring(1).split("/", -1);
    List<Component> out = new ArrayList<>();
    for (int i = 0; i < parts.length; i++) {
      Protocol p = Protocol.byText(parts[i]);
      if (p == null) throw new DecodeException("multiaddr_unknown_protocol", parts[i]);
      if (i + 1 >= parts.length) throw new DecodeException("multiaddr_missing_value", p.text);
      String v = parts[++i];
      out.add(new Component(p, canonicalValue(p, v)));
    }
    return new Multiaddr(out);
  }

  public static Multiaddr fromBytes(byte[] b) {
    if (b.length > BINARY_BYTES_MAX) throw new DecodeException("multiaddr_too_long", b.length + " bytes");
    List<Component> out = new ArrayList<>();
    int pos = 0;
    while (pos < b.length) {
      long[] code = Varint.read(b, pos, b.length);
      pos = (int) code[1];
      Protocol p = Protocol.byCode(code[0]);
      if (p == null) throw new DecodeException("multiaddr_unknown_protocol", "code " + code[0]);
      int len = p.size;
      if (len < 0) {
        long[] l = Varint.read(b, pos, b.length);
        pos = (int) l[1];
        if (l[0] > b.length - pos) throw new DecodeException("multiaddr_truncated", p.text);
        len = (int) l[0];
      }
      if (len > b.length - pos) throw new DecodeException("multiaddr_truncated", p.text);
      byte[] v = java.util.Arrays.copyOfRange(b, pos, pos + len);
      pos += len;
      out.add(new Component(p, valueFromBytes(p, v)));
    }
    if (out.isEmpty()) throw new DecodeException("multiaddr_empty", "no components");
    return new Multiaddr(out);
  }

  public byte[] toBytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Component c : components) {
      Varint.write(out, c.protocol().code);
      byte[] v = valueToBytes(c);
      if (c.protocol().size < 0) Varint.write(out, v.length);
      out.writeBytes(v);
    }
    return out.toByteArray();
  }

  public static Multiaddr of(InetSocketAddress address) {
    byte[] ip = address.getAddress().getAddress();
    Protocol p = ip.length == 4 ? Protocol.IP4 : Protocol.IP6;
    return new Multiaddr(List.of(
        new Component(p, NetUtil.bytesToIpAddress(ip)),
        new Component(Protocol.TCP, Integer.toString(address.getPort()))));
  }

  /** The /p2p peer ID, if this address names one. */
  public Optional<PeerId> peerId() {
    for (Component c : components) if (c.protocol() == Protocol.P2P) return Optional.of(PeerId.fromBase58(c.value()));
    return Optional.empty();
  }

  public Multiaddr withPeerId(PeerId id) {
    List<Component> out = new ArrayList<>(withoutPeerId().components());
    out.add(new Component(Protocol.P2P, id.toBase58()));
    return new Multiaddr(out);
  }

  public Multiaddr withoutPeerId() {
    List<Component> out = new ArrayList<>();
    for (Component c : components) if (c.protocol() != Protocol.P2P) out.add(c);
    return out.isEmpty() ? this : new Multiaddr(out);
  }

  /** Host and TCP port to dial (unresolved for DNS names), or empty when this is not a TCP address. */
  public Optional<InetSocketAddress> tcpAddress() {
    String host = null;
    Integer port = null;
    for (Component c : components) {
      switch (c.protocol()) {
        case IP4, IP6, DNS, DNS4, DNS6 -> host = host == null ? c.value() : host;
        case TCP -> port = port == null ? Integer.parseInt(c.value()) : port;
        default -> { }
      }
    }
    if (host == null || port == null) return Optional.empty();
    return Optional.of(InetSocketAddress.createUnresolved(host, port));
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (Component c : components) sb.append('/').append(c.protocol().text).append('/').append(c.value());
    return sb.toString();
  }

  private static String canonicalValue(Protocol p, String v) {
    return valueFromBytes(p, valueToBytes(new Component(p, v)));
  }

  private static byte[] valueToBytes(Component c) {
    String v = c.value();
    return switch (c.protocol()) {
      case IP4 -> {
        byte[] ip = v.contains(":") ? null : NetUtil.createByteArrayFromIpAddressString(v);
        if (ip == null || ip.length != 4) throw new DecodeException("multiaddr_bad_ip4", v);
        yield ip;
      }
      case IP6 -> {
        byte[] ip = v.contains(":") ? NetUtil.createByteArrayFromIpAddressString(v) : null;
        if (ip == null || ip.length != 16) throw new DecodeException("multiaddr_bad_ip6", v);
        yield ip;
      }
      case TCP -> {
        int port;
        try {
          port = Integer.parseInt(v);
        } catch (NumberFormatException e) {
          throw new DecodeException("multiaddr_bad_port", v);
        }
        if (port < 0 || port > 65535 || !v.equals(Integer.toString(port))) throw new DecodeException("multiaddr_bad_port", v);
        yield new byte[] {(byte) (port >>> 8), (byte) port};
      }
      case DNS, DNS4, DNS6 -> {
        byte[] name = v.getBytes(StandardCharsets.UTF_8);
        if (name.length == 0 || name.length > DNS_NAME_BYTES_MAX) throw new DecodeException("multiaddr_bad_dns", v);
        yield name;
      }
      case P2P -> PeerId.fromBase58(v).bytes();
    };
  }

  private static String valueFromBytes(Protocol p, byte[] v) {
    return switch (p) {
      case IP4, IP6 -> {
        if (v.length != p.size) throw new DecodeException("multiaddr_bad_ip", p.text);
        yield NetUtil.bytesToIpAddress(v);
      }
      case TCP -> Integer.toString(((v[0] & 0xFF) << 8) | (v[1] & 0xFF));
      case DNS, DNS4, DNS6 -> {
        if (v.length == 0 || v.length > DNS_NAME_BYTES_MAX) throw new DecodeException("multiaddr_bad_dns", p.text);
        String name = new String(v, StandardCharsets.UTF_8);
        if (name.indexOf('/') >= 0 || !java.util.Arrays.equals(name.getBytes(StandardCharsets.UTF_8), v)) {
          throw new DecodeException("multiaddr_bad_dns", "not a clean UTF-8 name");
        }
        yield name;
      }
      case P2P -> PeerId.fromBytes(v).toBase58();
    };
  }
}
