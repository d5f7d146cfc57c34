package dev.cairn.metrics;

import dev.cairn.consensus.driver.DriverConfig;
import dev.cairn.ledger.model.ValidatorSet;
import dev.cairn.ledger.store.ChainStore;
import dev.cairn.chain.LocalChain;
import dev.cairn.consensus.driver.ConsensusObserver;
import dev.cairn.mempool.Mempool;
import dev.cairn.mempool.MempoolConfig;
import dev.cairn.network.P2pNetwork;
import dev.cairn.rpc.RpcObserver;
import dev.cairn.rpc.server.RpcServer;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;

/**
 * Every metric family of one node, on one registry: the node's parts are wired in by the node's {@code Node}
 * (the composition root) as they are built, and this module is the only one that knows the Prometheus
 * library. Families read what the parts count anyway; the observers ({@link #consensus}, {@link #rpc}) are the
 * only code on a hot path, and only when metrics are enabled.
 */
public final class NodeMetrics {
  private final Families families = new Families(new PrometheusRegistry());
  private final ConsensusMetrics consensus = new ConsensusMetrics(families);
  private final RpcMetrics rpc = new RpcMetrics(families);

  /** The node's identity and the JVM (heap, GC, threads, classes, buffers, process CPU and memory). */
  public NodeMetrics(String version, String peerId, String chainId) {
    Info info = Info.builder().name(Families.PREFIX + "node_info").help("This node: software version, peer id, chain id")
        .labelNames("version", "peer_id", "chain_id").register(families.registry());
    info.addLabelValues(version, peerId, chainId);
    long startedMillis = System.currentTimeMillis();
    families.gauge("node_start_time_seconds", "When this node process started, as a Unix time", Unit.SECONDS,
        () -> startedMillis / 1000.0);
    JvmMetrics.builder().register(families.registry());
  }

  public ConsensusObserver consensusObserver(ValidatorSet validators) {
    consensus.knowValidators(validators);
    return consensus;
  }

  public RpcObserver rpcObserver() {
    return rpc;
  }

  public void chain(LocalChain chain, ChainStore store, Mempool mempool, MempoolConfig limits, ConsensusHealth driver,
      DriverConfig production) {
    ChainMetrics.register(families, chain, store, mempool, limits, driver);
    families.gauge("consensus_block_period_seconds", "Target time between blocks on this node", Unit.SECONDS,
        () -> production.blockPeriodMillis() / 1000.0);
  }

  public void network(P2pNetwork network) {
    NetworkMetrics.register(families, network);
  }

  public void rpcServer(RpcServer server) {
    RpcMetrics.register(families, server);
  }

  public PrometheusRegistry registry() {
    return families.registry();
  }
}
