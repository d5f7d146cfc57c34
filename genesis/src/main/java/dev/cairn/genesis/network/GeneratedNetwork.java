package dev.cairn.genesis.network;

import dev.cairn.genesis.GenesisConfig;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.crypto.Address;
import dev.cairn.ledger.crypto.PublicKey;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/** What {@link NetworkGenerator} wrote: the genesis, its hash, each node's files and ports, the dev account. */
public record GeneratedNetwork(
    Path dir, GenesisConfig genesis, Hash genesisHash, List<Node> nodes, Address devAccount, Path devAccountKeyFile) {

  public GeneratedNetwork {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(genesis, "genesis");
    Objects.requireNonNull(genesisHash, "genesisHash");
    Objects.requireNonNull(devAccount, "devAccount");
    Objects.requireNonNull(devAccountKeyFile, "devAccountKeyFile");
    nodes = List.copyOf(nodes);
  }

  public enum Kind {
    VALIDATOR,
    OBSERVER
  }

  /**
   * One generated node: its directory holds {@code node.key} and {@code config.toml}.
   *
   * @param listen the multiaddr its p2p listener binds
   * @param dialAddress the multiaddr (without peer ID) other nodes dial
   * @param rpcHost the address its JSON-RPC server binds
   */
  public record Node(int index, Kind kind, PublicKey publicKey, String peerId, Path dir, int p2pPort, int rpcPort,
      String listen, String dialAddress, String rpcHost) {
    public Node {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(listen, "listen");
      Objects.requireNonNull(dialAddress, "dialAddress");
      Objects.requireNonNull(rpcHost, "rpcHost");
      Objects.requireNonNull(publicKey, "publicKey");
      Objects.requireNonNull(peerId, "peerId");
      Objects.requireNonNull(dir, "dir");
    }

    public String name() {
      return "node-" + index;
    }

    /** The port its metrics listener takes when enabled: its RPC port + 1000 (9545 beside the default 8545). */
    public int metricsPort() {
      return rpcPort + NetworkSpec.METRICS_PORT_OFFSET;
    }

    /** The libp2p address other nodes dial, with this node's peer ID. */
    public String multiaddr() {
      return dialAddress + "/p2p/" + peerId;
    }
  }

  /** The summary {@code cairn genesis new-network} prints: what was written and how to start it. */
  public String summary() {
    StringBuilder out = new StringBuilder(description());
    if (nodes.stream().allMatch(n -> n.rpcHost().equals("127.0.0.1") && n.dialAddress().startsWith("/ip4/127.0.0.1/"))) {
      out.append("Start each node in its own terminal:\n");
      for (Node node : nodes) {
        out.append("  ./cairn run --config ").append(node.dir().resolve("config.toml")).append('\n');
      }
    } else {
      out.append("Copy each node's directory (config.toml, node.key, genesis.json) to its host, then run there:\n");
      out.append("  cairn run --config node-I/config.toml\n");
    }
    return out.toString();
  }

  /** What was written (genesis, validators, nodes, dev account), without instructions to start it. */
  public String description() {
    StringBuilder out = new StringBuilder();
    out.append("Cairn local network '").append(genesis.chainId()).append("' written to ").append(dir).append('\n');
    out.append("  genesis.json    hash ").append(genesisHash).append('\n');
    out.append("  validators      ").append(genesis.validators().size())
        .append(" (quorum ").append(genesis.validatorSet().quorum())
        .append(", tolerates ").append(genesis.validatorSet().maxFaulty()).append(" faulty)\n");
    out.append("  observers       ").append(genesis.observers().size()).append('\n');
    out.append("  block period    ").append(genesis.consensus().blockPeriodMillis()).append(" ms\n\n");
    out.append(String.format("  %-8s %-9s %-6s %-6s %s%n", "node", "role", "p2p", "rpc", "public key"));
    for (Node node : nodes) {
      out.append(String.format("  %-8s %-9s %-6d %-6d %s%n", node.name(),
          node.kind().name().toLowerCase(java.util.Locale.ROOT), node.p2pPort(), node.rpcPort(), node.publicKey().toHex()));
    }
    if (!nodes.isEmpty() && !nodes.get(0).dialAddress().startsWith("/ip4/127.0.0.1/")) {
      out.append('\n');
      for (Node node : nodes) {
        out.append(String.format("  %-8s %s (rpc on %s)%n", node.name(), node.multiaddr(), node.rpcHost()));
      }
    }
    out.append("\n  dev account     ").append(devAccount.toText()).append(" (admin, member, balance ");
    genesis.accounts().stream().filter(a -> a.address().equals(devAccount)).findFirst()
        .ifPresent(a -> out.append(a.balance()));
    out.append(")\n");
    out.append("  dev key         ").append(devAccountKeyFile)
        .append(" (UNENCRYPTED, for tests and local use only)\n\n");
    return out.toString();
  }
}
