package dev.cairn.tools.netns;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A private layer-2 segment made of Linux network namespaces: one bridge on the host holding
 * {@code 10.<a>.<b>.254/24}, and per host a namespace joined to it by a veth pair, holding
 * {@code 10.<a>.<b>.<i+1>/24} and its own loopback. Names and subnet are random per run, so parallel runs
 * and leftovers of a crashed run do not collide. {@link #close()} deletes everything it created, also after
 * a partial setup. Needs root and iproute2. The hosts are the multi-host tests' machines and the fault
 * campaigns' nodes: {@link #cut}, {@link #lose} and {@link #limitBandwidth} are their network faults
 * (nftables rules and a {@code tbf} qdisc inside a namespace; no {@code netem} needed).
 */
public final class NetnsBridge implements AutoCloseable {
  /** How long one {@code ip} invocation may take. */
  private static final long IP_COMMAND_TIMEOUT_MILLIS = 10_000;

  private final String id;
  private final String subnet;
  private final List<String> namespaces = new ArrayList<>();
  private final List<String> hostLinks = new ArrayList<>();

  private NetnsBridge(String id, String subnet) {
    this.id = id;
    this.subnet = subnet;
  }

  /** Why this machine cannot make namespaces, or null when it can (probed with a throwaway namespace). */
  public static String unavailableReason() {
    Result uid = run(List.of("id", "-u"));
    if (uid.exit() != 0 || !uid.output().equals("0")) {
      return "not running as root (id -u: " + uid.output() + ")";
    }
    Result version = run(List.of("ip", "-V"));
    if (version.exit() != 0) {
      return "iproute2 `ip` missing or broken: " + version.output();
    }
    String probe = "cnprobe" + randomId();
    Result add = run(List.of("ip", "netns", "add", probe));
    if (add.exit() != 0) {
      return "`ip netns add` failed: " + add.output();
    }
    run(List.of("ip", "netns", "del", probe));
    return null;
  }

  /** Whether {@code nft} (Debian package nftables) is installed. */
  public static boolean hasNft() {
    return run(List.of("nft", "--version")).exit() == 0;
  }

  /** Creates the bridge and {@code hosts} namespaces; on any failure deletes what it made, then throws. */
  public static NetnsBridge create(int hosts) {
    String id = randomId();
    ThreadLocalRandom random = ThreadLocalRandom.current();
    String subnet = "10." + random.nextInt(100, 250) + "." + random.nextInt(1, 250);
    NetnsBridge bridge = new NetnsBridge(id, subnet);
    try {
      bridge.setUp(hosts);
      return bridge;
    } catch (RuntimeException e) {
      bridge.close();
      throw e;
    }
  }

  private void setUp(int hosts) {
    String br = "cnbr" + id;
    must(List.of("ip", "link", "add", br, "type", "bridge"));
    hostLinks.add(br);
    must(List.of("ip", "addr", "add", subnet + ".254/24", "dev", br));
    must(List.of("ip", "link", "set", br, "up"));
    for (int i = 0; i < hosts; i++) {
      String ns = namespace(i);
      must(List.of("ip", "netns", "add", ns));
      namespaces.add(ns);
      String hostEnd = "cnv" + id + i;
      String nsEnd = "cnp" + id + i;
      must(List.of("ip", "link", "add", hostEnd, "type", "veth", "peer", "name", nsEnd, "netns", ns));
      hostLinks.add(hostEnd);
      must(List.of("ip", "link", "set", hostEnd, "master", br, "up"));
      must(List.of("ip", "-n", ns, "addr", "add", address(i) + "/24", "dev", nsEnd));
      must(List.of("ip", "-n", ns, "link", "set", nsEnd, "up"));
      must(List.of("ip", "-n", ns, "link", "set", "lo", "up"));
    }
  }

  public String namespace(int index) {
    return "cn" + id + "-" + index;
  }

  /** The IPv4 address of namespace {@code index}. */
  public String address(int index) {
    return subnet + "." + (index + 1);
  }

  /** How many hosts (namespaces) the bridge joins. */
  public int hosts() {
    return namespaces.size();
  }

  /** The interface inside namespace {@code index} that leads to the bridge. */
  public String interfaceName(int index) {
    return "cnp" + id + index;
  }

  /** The address the host side (this process, the campaign's clients) has on the bridge. */
  public String bridgeAddress() {
    return subnet + ".254";
  }

  /**
   * Drops, inside namespace {@code index}, packets exchanged with {@code peers}: in both directions when
   * {@code inbound} and {@code outbound}, or only one way. Traffic with the bridge address (clients) passes.
   * The rules live in their own nftables table {@code name}; {@link #removeTable} heals them.
   */
  public void cut(int index, String name, List<Integer> peers, boolean inbound, boolean outbound) {
    nft(index, name, peers, inbound ? "ip saddr @peers drop" : null, outbound ? "ip daddr @peers drop" : null);
  }

  /** Drops {@code percent} of the packets namespace {@code index} exchanges with {@code peers}, each way. */
  public void lose(int index, String name, List<Integer> peers, int percent) {
    if (percent < 1 || percent > 100) {
      throw new IllegalArgumentException("loss percent must be in 1..100, got " + percent);
    }
    String rule = "numgen random mod 100 < " + percent + " drop";
    nft(index, name, peers, "ip saddr @peers " + rule, "ip daddr @peers " + rule);
  }

  /**
   * Sends, from namespace {@code index}, every new TCP connection to {@code redirects}' keys ("address:port")
   * to their values ("address:port", a relay on the bridge) instead, and resets the connections already open
   * to {@code resetPeers} (so the nodes redial, through the relay). In table {@code name}, healed by
   * {@link #removeTable}.
   */
  public void redirect(int index, String name, java.util.Map<String, String> redirects, List<Integer> resetPeers) {
    StringBuilder nat = new StringBuilder();
    redirects.forEach((from, to) -> {
      int colon = from.lastIndexOf(':');
      nat.append(" ip daddr ").append(from, 0, colon).append(" tcp dport ").append(from.substring(colon + 1))
          .append(" dnat ip to ").append(to).append(";");
    });
    // The filter hook runs after the nat hook: a redirected connection's packets go to the bridge address by
    // then, so only connections that existed before the redirect are reset.
    nft(index, name, resetPeers, null, "ip daddr @peers meta l4proto tcp reject with tcp reset",
        "  chain nat_output { type nat hook output priority -100; policy accept;" + nat + "\n  }\n");
  }

  public void removeTable(int index, String name) {
    must(concat(exec(index), List.of("nft", "delete", "table", "inet", name)));
  }

  /** Limits what namespace {@code index} sends to {@code kbit} kilobits a second (a token bucket, egress). */
  public void limitBandwidth(int index, int kbit) {
    if (kbit < 8) {
      throw new IllegalArgumentException("bandwidth must be >= 8 kbit/s, got " + kbit);
    }
    must(concat(exec(index), List.of("tc", "qdisc", "replace", "dev", interfaceName(index), "root", "tbf", "rate",
        kbit + "kbit", "burst", "32kbit", "latency", "400ms")));
  }

  public void removeBandwidthLimit(int index) {
    must(concat(exec(index), List.of("tc", "qdisc", "del", "dev", interfaceName(index), "root")));
  }

  private void nft(int index, String name, List<Integer> peers, String inputRule, String outputRule) {
    nft(index, name, peers, inputRule, outputRule, "");
  }

  private void nft(int index, String name, List<Integer> peers, String inputRule, String outputRule, String chains) {
    if (!name.matches("[a-z0-9_]{1,32}")) {
      throw new IllegalArgumentException("nftables table name must be 1..32 of a-z, 0-9, _: " + name);
    }
    StringBuilder elements = new StringBuilder();
    for (int peer : peers) {
      elements.append(elements.isEmpty() ? "" : ", ").append(address(peer));
    }
    StringBuilder script = new StringBuilder("table inet " + name + " {\n");
    script.append("  set peers { type ipv4_addr; elements = { ").append(elements).append(" } }\n");
    if (inputRule != null) {
      script.append("  chain input { type filter hook input priority 0; policy accept; ").append(inputRule).append("\n  }\n");
    }
    if (outputRule != null) {
      script.append("  chain output { type filter hook output priority 0; policy accept; ").append(outputRule).append("\n  }\n");
    }
    script.append(chains).append("}\n");
    Result r = run(concat(exec(index), List.of("nft", "-f", "-")), script.toString());
    if (r.exit() != 0) {
      throw new IllegalStateException("nft in " + namespace(index) + " exited " + r.exit() + ": " + r.output());
    }
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  /** The prefix for a command run inside namespace {@code index}. */
  public List<String> exec(int index) {
    return List.of("ip", "netns", "exec", namespace(index));
  }

  /** Deletes the namespaces (their veth ends go with them) and the host-side links; never throws. */
  @Override
  public void close() {
    for (String ns : namespaces) {
      Result r = run(List.of("ip", "netns", "del", ns));
      if (r.exit() != 0) {
        System.err.println("NetnsBridge: cannot delete namespace " + ns + ": " + r.output());
      }
    }
    namespaces.clear();
    for (String link : hostLinks.reversed()) {
      // A veth host end may already be gone with its namespace; only the bridge must still be there.
      run(List.of("ip", "link", "del", link));
    }
    hostLinks.clear();
  }

  private static String randomId() {
    byte[] bytes = new byte[3];
    ThreadLocalRandom.current().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  private static void must(List<String> command) {
    Result r = run(command);
    if (r.exit() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " exited " + r.exit() + ": " + r.output());
    }
  }

  private record Result(int exit, String output) {}

  private static Result run(List<String> command) {
    return run(command, null);
  }

  private static Result run(List<String> command, String stdin) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      try (var in = p.getOutputStream()) {
        if (stdin != null) {
          in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
      }
      if (!p.waitFor(IP_COMMAND_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        return new Result(-1, "timed out");
      }
      return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
    } catch (IOException e) {
      return new Result(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, "interrupted");
    }
  }
}
