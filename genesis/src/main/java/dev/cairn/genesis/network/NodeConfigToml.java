package dev.cairn.genesis.network;

import java.util.List;

/**
 * Renders one generated node's {@code config.toml}. Uses only keys the node's config loader knows (an unknown
 * key is an error there): {@code [node]} paths, {@code [rpc]} host and port, {@code [metrics]} (off, on the RPC host), {@code [p2p]} enabled, listen,
 * bootnodes, observers. Paths are relative to the file's own directory, which is how the loader resolves them,
 * so a generated network can be moved as a whole.
 */
final class NodeConfigToml {
  private NodeConfigToml() {}

  static String render(String chainId, GeneratedNetwork.Node node, List<String> bootnodes, List<String> observerPeerIds,
      String genesisFile) {
    StringBuilder out = new StringBuilder();
    out.append("# Cairn ").append(node.name()).append(" (").append(node.kind().name().toLowerCase(java.util.Locale.ROOT))
        .append(") of local network ").append(quote(chainId)).append(", written by `cairn genesis new-network`.\n");
    out.append("# public key ").append(node.publicKey().toHex()).append("\n");
    out.append("# peer id    ").append(node.peerId()).append("\n\n");
    out.append("[node]\n");
    out.append("data-dir = ").append(quote("data")).append('\n');
    out.append("genesis-file = ").append(quote(genesisFile)).append('\n');
    out.append("node-key-file = ").append(quote("node.key")).append('\n');
    out.append("log-level = ").append(quote("INFO")).append("\n\n");
    out.append("[rpc]\n");
    out.append("enabled = true\n");
    if (!node.rpcHost().equals("127.0.0.1")) {
      out.append("# Reachable from other hosts: protect it with authentication and TLS (docs/operations.md).\n");
    }
    out.append("host = ").append(quote(node.rpcHost())).append('\n');
    out.append("port = ").append(node.rpcPort()).append("\n\n");
    out.append("[metrics]\n");
    out.append("# Prometheus text at http://HOST:PORT/metrics (docs/operations.md, Monitoring).\n");
    out.append("enabled = false\n");
    out.append("host = ").append(quote(node.rpcHost())).append('\n');
    out.append("port = ").append(node.metricsPort()).append("\n\n");
    out.append("[p2p]\n");
    out.append("enabled = true\n");
    out.append("listen = ").append(quote(node.listen())).append('\n');
    out.append("bootnodes = ").append(array(bootnodes)).append('\n');
    out.append("observers = ").append(array(observerPeerIds)).append('\n');
    return out.toString();
  }

  private static String array(List<String> items) {
    if (items.isEmpty()) {
      return "[]";
    }
    StringBuilder out = new StringBuilder("[\n");
    for (String item : items) {
      out.append("  ").append(quote(item)).append(",\n");
    }
    return out.append(']').toString();
  }

  /** A TOML basic string. Every value written here is ASCII without quotes or backslashes; escape anyway. */
  private static String quote(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            out.append(String.format("\\u%04X", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
