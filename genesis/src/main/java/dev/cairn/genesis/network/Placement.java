package dev.cairn.genesis.network;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where the nodes of a generated network run. {@link #LOCAL}: every node on this machine at 127.0.0.1, each on
 * its own ports. Otherwise one host per node (validators first, then observers), given as an IPv4 or IPv6
 * literal or a DNS name: nodes sharing a host get consecutive ports, nodes on distinct hosts the same ports,
 * so a network of one node per host uses the standard ports everywhere.
 *
 * @param hosts one entry per node, or empty for {@link #LOCAL}
 * @param rpcPublic serve JSON-RPC on the node's host address instead of 127.0.0.1 (then protect it: see
 *     docs/operations.md)
 */
public record Placement(List<String> hosts, boolean rpcPublic) {
  public static final Placement LOCAL = new Placement(List.of(), false);
  private static final String LOOPBACK = "127.0.0.1";
  /** RFC 1123 host names: labels of letters, digits and inner hyphens, at most 253 characters in all. */
  private static final Pattern DNS_NAME =
      Pattern.compile("(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");
  private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

  public Placement {
    hosts = hosts.stream().map(h -> h.strip().toLowerCase(Locale.ROOT)).toList();
    for (String host : hosts) {
      Objects.requireNonNull(kindOf(host), host);
    }
  }

  /** The kinds of host a multiaddr can name. */
  public enum HostKind {
    IP4("ip4"),
    IP6("ip6"),
    DNS("dns");

    private final String protocol;

    HostKind(String protocol) {
      this.protocol = protocol;
    }

    public String protocol() {
      return protocol;
    }
  }

  /** The kind of {@code host}; throws {@link IllegalArgumentException} with the reason when it is none. */
  public static HostKind kindOf(String host) {
    if (IPV4.matcher(host).matches()) {
      for (String part : host.split("\\.")) {
        if (Integer.parseInt(part) > 255) {
          throw new IllegalArgumentException("--hosts: '" + host + "' is not an IPv4 address");
        }
      }
      return HostKind.IP4;
    }
    if (host.indexOf(':') >= 0) {
      try {
        // A literal containing ':' is parsed without any name lookup.
        if (InetAddress.getByName(host).getAddress().length == 16) {
          return HostKind.IP6;
        }
      } catch (UnknownHostException e) {
        // fall through to the error below
      }
      throw new IllegalArgumentException("--hosts: '" + host + "' is not an IPv6 address");
    }
    if (DNS_NAME.matcher(host).matches() && !host.chars().allMatch(c -> c == '.' || Character.isDigit(c))) {
      return HostKind.DNS;
    }
    throw new IllegalArgumentException("--hosts: '" + host + "' is neither an IP address nor a DNS name");
  }

  public boolean local() {
    return hosts.isEmpty();
  }

  /** The host node {@code index} runs on. */
  public String host(int index) {
    return local() ? LOOPBACK : hosts.get(index);
  }

  /**
   * The offset of node {@code index}'s ports from the base ports: its rank among the nodes on the same host,
   * which is the index itself for a local network.
   */
  public int portOffset(int index) {
    if (local()) {
      return index;
    }
    int rank = 0;
    for (int i = 0; i < index; i++) {
      if (hosts.get(i).equals(hosts.get(index))) {
        rank++;
      }
    }
    return rank;
  }

  /** The address node {@code index} binds its p2p listener to: its own IP, or every interface for a DNS name. */
  public String listenAddress(int index, int port) {
    String host = host(index);
    return switch (kindOf(host)) {
      case IP4 -> "/ip4/" + host + "/tcp/" + port;
      case IP6 -> "/ip6/" + host + "/tcp/" + port;
      case DNS -> "/ip4/0.0.0.0/tcp/" + port;
    };
  }

  /** The address other nodes dial to reach node {@code index}, without the peer ID. */
  public String dialAddress(int index, int port) {
    String host = host(index);
    return "/" + kindOf(host).protocol() + "/" + host + "/tcp/" + port;
  }

  /** The address node {@code index}'s JSON-RPC server binds to. */
  public String rpcHost(int index) {
    if (!rpcPublic) {
      return LOOPBACK;
    }
    String host = host(index);
    return kindOf(host) == HostKind.DNS ? "0.0.0.0" : host;
  }
}
