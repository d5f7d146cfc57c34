package dev.cairn.metrics;

import dev.cairn.ledger.store.ChainStore;
import dev.cairn.chain.LocalChain;
import dev.cairn.mempool.Admission;
import dev.cairn.mempool.Mempool;
import dev.cairn.mempool.MempoolConfig;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.Locale;

/**
 * The chain, its store and the mempool: the head, commit time and bytes written per block, RocksDB's own
 * figures, the mempool's size and its admissions by outcome, and the consensus thread's health. Commit
 * times are observed on the consensus thread after each write; the rest is read when scraped.
 */
final class ChainMetrics {
  static final double[] COMMIT_SECONDS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

  private ChainMetrics() {}

  static void register(Families f, LocalChain chain, ChainStore store, Mempool mempool, MempoolConfig limits,
      ConsensusHealth driver) {
    f.gauge("chain_height", "Height of this node's finalized head", null, () -> chain.head().height());
    f.gauge("chain_head_age", "Time since the finalized head's timestamp (a stalled chain grows this)", Unit.SECONDS,
        () -> Math.max(0, System.currentTimeMillis() - chain.head().timestampMillis()) / 1000.0);
    f.gauge("consensus_validators", "Validators of the next height", null, () -> chain.nextValidators().size());
    f.gauge("consensus_halted", "1 once the consensus thread stopped on a broken invariant or a failed write, else 0",
        null, () -> driver.failure() == null ? 0 : 1);
    f.counter("consensus_inputs_rejected", "Consensus messages and events the engine refused, by reason", null,
        new String[] {"reason"}, cb -> driver.rejectionCounts().forEach((reason, count) -> cb.call(count, reason)));
    f.counter("consensus_inbox_dropped", "Peers' consensus messages dropped because the inbox was full, by lane", null,
        new String[] {"lane"}, cb -> {
          long votes = driver.droppedConsensusVotes();
          cb.call(votes, "votes");
          cb.call(Math.max(0, driver.droppedPeerMessages() - votes), "other");
        });

    Histogram commitSeconds = f.seconds("storage_commit_duration",
        "Time to write one finalized block to RocksDB: batch build and synced write", COMMIT_SECONDS);
    chain.onStored(stats -> commitSeconds.observe(stats.nanos() / 1e9));
    f.counter("storage_block_written_bytes", "Batch bytes of blocks written: headers, bodies, certificates, receipts, indexes",
        Unit.BYTES, () -> store.commitTotals().blockBytes());
    f.counter("storage_state_written_bytes", "Batch bytes of state written: state tree nodes and flat-state entries",
        Unit.BYTES, () -> store.commitTotals().stateBytes());
    f.counter("storage_state_node_reads", "State tree nodes read from RocksDB because the node cache missed them", null,
        store::stateNodeStoreReads);
    for (ChainStore.EngineStat stat : ChainStore.EngineStat.values()) {
      String name = stat.name().toLowerCase(Locale.ROOT);
      f.gauge("storage_rocksdb_" + name, "RocksDB " + stat.property() + " (summed over column families where per family)",
          null, () -> store.engineStat(stat));
    }

    f.gauge("mempool_transactions", "Transactions waiting in the mempool", null, mempool::size);
    f.gauge("mempool_size_bytes", "Encoded bytes of the transactions waiting in the mempool", null, mempool::bytes);
    f.gauge("mempool_transactions_max", "The mempool's bound on transactions (mempool.txs-max)", null, limits::txsMax);
    f.gauge("mempool_size_bytes_max", "The mempool's bound on bytes (mempool.bytes-max)", null, limits::bytesMax);
    f.counter("mempool_admitted", "Transactions admitted to the mempool, from clients and peers", null, mempool::acceptedCount);
    f.counter("mempool_rejected", "Transactions refused by the mempool, by reason", null, new String[] {"reason"},
        cb -> mempool.rejectedCounts().forEach((Admission.Reason reason, Long count) ->
            cb.call(count, reason.name().toLowerCase(Locale.ROOT))));
  }
}
