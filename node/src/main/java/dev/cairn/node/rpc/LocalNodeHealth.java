package dev.cairn.node.rpc;

import dev.cairn.network.ports.ChainReader;
import dev.cairn.network.P2pNetwork;
import dev.cairn.rpc.NodeHealth;
import java.util.Optional;
import java.util.function.Supplier;

/** Health facts from the node's parts: the chain's head, the network's peers and sync view, consensus failure. */
public final class LocalNodeHealth implements NodeHealth {
  private final ChainReader chain;
  /** Null on a node without p2p. */
  private final P2pNetwork network;
  private final Supplier<Throwable> consensusFailure;

  public LocalNodeHealth(ChainReader chain, P2pNetwork network, Supplier<Throwable> consensusFailure) {
    this.chain = chain;
    this.network = network;
    this.consensusFailure = consensusFailure;
  }

  @Override
  public Facts facts() {
    Optional<String> halted = Optional.ofNullable(consensusFailure.get()).map(e -> String.valueOf(e.getMessage()));
    long height = chain.head().height();
    if (network == null) {
      return new Facts(false, 0, height, 0, halted);
    }
    return new Facts(true, network.peerCount(), height, network.blocksBehind(), halted);
  }
}
