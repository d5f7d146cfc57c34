package dev.cairn.node;

import dev.cairn.consensus.ConsensusConfig;
import dev.cairn.consensus.CachingSignatureVerifier;
import dev.cairn.consensus.ConsensusEngine;
import dev.cairn.consensus.driver.DriverEvent;
import dev.cairn.consensus.message.MessageCodec;
import dev.cairn.consensus.PersistedState;
import dev.cairn.consensus.PersistedStateCodec;
import dev.cairn.consensus.SignatureVerifier;
import dev.cairn.genesis.ConsensusParameters;
import dev.cairn.genesis.GenesisBlock;
import dev.cairn.genesis.GenesisConfig;
import dev.cairn.genesis.GenesisParser;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.crypto.KeyFiles;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.execution.BlockExecutor;
import dev.cairn.ledger.execution.BlockLimits;
import dev.cairn.ledger.model.BlockHeader;
import dev.cairn.ledger.model.FinalizedBlock;
import dev.cairn.ledger.model.ValidatorSet;
import dev.cairn.ledger.store.ChainStore;
import dev.cairn.chain.backup.BackupService;
import dev.cairn.chain.LocalChain;
import dev.cairn.chain.PruningService;
import dev.cairn.node.config.HeapFit;
import dev.cairn.node.config.NodeConfig;
import dev.cairn.network.AddedObservers;
import dev.cairn.network.P2pIdentity;
import dev.cairn.node.admin.EvidenceLog;
import dev.cairn.node.admin.LocalNodeAdmin;
import dev.cairn.node.admin.VoteCandidates;
import dev.cairn.rpc.admin.NodeAdmin;
import dev.cairn.consensus.driver.DriverConfig;
import dev.cairn.node.consensus.ConsensusCountersLog;
import dev.cairn.explorer.ExplorerRoutes;
import dev.cairn.node.consensus.ConsensusDriver;
import dev.cairn.node.consensus.ConsensusQueue;
import dev.cairn.mempool.Admission;
import dev.cairn.ledger.bytes.Bytes;
import java.util.List;
import dev.cairn.network.ports.ChainReader;
import dev.cairn.network.ports.SnapshotSource;
import dev.cairn.network.ports.ValidatorSetChange;
import dev.cairn.ledger.state.StateKeys;
import java.util.ArrayList;
import dev.cairn.network.ports.TransactionAdmission;
import dev.cairn.network.ConsensusNetwork;
import dev.cairn.node.consensus.PriorityInbox;
import dev.cairn.mempool.Mempool;
import dev.cairn.network.P2pNetwork;
import dev.cairn.network.StateSyncBootstrap;
import dev.cairn.network.SyncState;
import dev.cairn.mempool.SignatureCache;
import dev.cairn.network.NetworkLimits;
import dev.cairn.node.rpc.CommitEvents;
import dev.cairn.metrics.MetricsServer;
import dev.cairn.metrics.NodeMetrics;
import dev.cairn.node.rpc.LocalNodeHealth;
import dev.cairn.node.rpc.LocalNodeStatus;
import dev.cairn.node.rpc.MempoolSubmitter;
import dev.cairn.node.rpc.StoreChainView;
import dev.cairn.rpc.NodeStatus;
import dev.cairn.rpc.RpcConfig;
import dev.cairn.rpc.RpcObserver;
import dev.cairn.rpc.server.RpcServer;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root of one node: opens (or initialises) the RocksDB chain store from genesis, builds the
 * mempool, the block executor and the consensus engine with its driver, and serves JSON-RPC. Plain
 * constructors, no container. {@link #close} stops in the reverse order: RPC stops accepting first, the
 * consensus thread finishes its current step (a commit is one atomic batch, so it either happened or not),
 * then RocksDB closes.
 */
public final class Node implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Node.class);
  public static final String VERSION = "0.1.0";
  /** Verified signatures remembered per node: a few blocks' worth of the largest blocks. */
  private static final int SIGNATURE_CACHE_ENTRIES_MAX = 500_000;
  private static final int CONSENSUS_QUEUE_LENGTH_MAX = 10_000;
  /** Verified consensus signatures remembered (about 250 bytes each). */
  private static final int CONSENSUS_SIGNATURE_CACHE_ENTRIES_MAX = 16_384;
  /** Votes waiting for the consensus thread: bytes in all (a vote is about 240 bytes) and per relaying peer. */
  private static final long CONSENSUS_VOTES_BYTES_MAX = 8L << 20;
  private static final long CONSENSUS_VOTES_BYTES_PER_PEER_MAX = 2L << 20;

  private final GenesisConfig genesis;
  private final ChainStore store;
  private final Mempool mempool;
  private final LocalChain chain;
  private final ConsensusDriver driver;
  private final P2pNetwork network;
  private final RpcServer rpc;
  private final int rpcPort;
  private final MetricsServer metrics;
  private final BackupService backups;
  private final PruningService pruning;
  private final ConsensusCountersLog counters;

  private Node(GenesisConfig genesis, ChainStore store, Mempool mempool, LocalChain chain, ConsensusDriver driver,
      P2pNetwork network, RpcServer rpc, int rpcPort, MetricsServer metrics, BackupService backups, PruningService pruning,
      ConsensusCountersLog counters) {
    this.genesis = genesis;
    this.store = store;
    this.mempool = mempool;
    this.chain = chain;
    this.driver = driver;
    this.network = network;
    this.rpc = rpc;
    this.rpcPort = rpcPort;
    this.metrics = metrics;
    this.backups = backups;
    this.pruning = pruning;
    this.counters = counters;
  }

  /** Reads genesis and opens the store, committing the genesis block into an empty one. */
  public static ChainStore openStore(NodeConfig config, GenesisConfig genesis) {
    GenesisBlock genesisBlock = GenesisBlock.of(genesis);
    ChainStore store = ChainStore.open(config.dataDir().resolve("chain"), config.storage());
    try {
      Optional<Hash> stored = store.genesisHash();
      if (stored.isEmpty()) {
        store.commit(genesisBlock.executed(), genesisBlock.certificate());
        log.info("event=genesis_committed chain_id={} genesis={} validators={}",
            genesis.chainId(), genesisBlock.hash().shortHex(), genesis.validators().size());
      } else if (!stored.get().equals(genesisBlock.hash())) {
        throw new IllegalStateException("data dir " + config.dataDir() + " holds chain with genesis " + stored.get().toHex()
            + " but " + config.genesisFile() + " has genesis " + genesisBlock.hash().toHex()
            + "; use the matching genesis file or another data dir");
      }
      return store;
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  /**
   * With {@code sync.mode = "state"} and an empty data dir: downloads the state at a recent snapshot height from
   * peers and installs it as the store's base (docs/operations.md, "State sync"). A data dir that holds a chain
   * starts as usual; a crash in here leaves an empty store (the install is one batch), so a restart starts over.
   */
  static void stateSyncIfEmpty(NodeConfig config, GenesisConfig genesis, P2pIdentity identity) {
    try (ChainStore store = ChainStore.open(config.dataDir().resolve("chain"), config.storage())) {
      if (store.head().isPresent()) {
        log.info("event=state_sync_skipped reason=\"the data dir holds a chain at height {}\"", store.head().get().height());
        return;
      }
      StateSyncBootstrap.Snapshot snapshot;
      try {
        snapshot = StateSyncBootstrap.run(config.p2p(), config.sync(), genesis, identity);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("state sync interrupted", e);
      }
      store.installSnapshot(GenesisBlock.of(genesis).hash(), snapshot.block().block().header(),
          snapshot.block().certificate(), snapshot.state(), snapshot.nextValidators());
    }
  }

  public static GenesisConfig readGenesis(NodeConfig config) {
    if (!Files.isRegularFile(config.genesisFile())) {
      throw new IllegalArgumentException("genesis file " + config.genesisFile()
          + " not found; create one with 'cairn genesis new-network' or set node.genesis-file");
    }
    return GenesisParser.read(config.genesisFile()).orThrow();
  }

  /**
   * Peers' consensus messages waiting for the consensus thread: votes in their own lane, drained first; the
   * other lane (proposals, round changes) holds four of the chain's largest messages, two per relaying peer.
   */
  static PriorityInbox<DriverEvent> consensusInbox(int blockBytesMax) {
    long largest = MessageCodec.messageBytesMax(blockBytesMax);
    return new PriorityInbox<>(
        new PriorityInbox.LaneLimits(CONSENSUS_QUEUE_LENGTH_MAX, CONSENSUS_VOTES_BYTES_MAX, CONSENSUS_VOTES_BYTES_PER_PEER_MAX),
        new PriorityInbox.LaneLimits(CONSENSUS_QUEUE_LENGTH_MAX, 4 * largest, 2 * largest));
  }

  public static Node start(NodeConfig config) {
    GenesisConfig genesis = readGenesis(config);
    if (!Files.isRegularFile(config.nodeKeyFile())) {
      throw new IllegalArgumentException("node key " + config.nodeKeyFile()
          + " not found; create one with 'cairn keys generate --out " + config.nodeKeyFile() + "'");
    }
    KeyPair key = KeyFiles.readNodeKey(config.nodeKeyFile());
    ConsensusParameters params = genesis.consensus();
    HeapFit.enforce(config, HeapFit.bounds(config, NetworkLimits.forBlockBytesMax(params.blockBytesMax()).gossip(),
        params.blockBytesMax(), genesis.validators().size()), Runtime.getRuntime().maxMemory());
    P2pIdentity identity = P2pIdentity.load(config.p2pKeyPath(), key, genesis.chainId());
    if (config.sync().stateSync() && config.p2p().enabled()) {
      stateSyncIfEmpty(config, genesis, identity);
    }
    ChainStore store = openStore(config, genesis);
    try {
      return assemble(config, genesis, params, key, identity, store);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  private static Node assemble(NodeConfig config, GenesisConfig genesis, ConsensusParameters params, KeyPair key,
      P2pIdentity identity, ChainStore store) {
    SignatureCache signatures = new SignatureCache(SIGNATURE_CACHE_ENTRIES_MAX);
    Mempool mempool = new Mempool(genesis.chainId(), config.mempool(), signatures);
    BlockLimits limits = new BlockLimits(params.blockTxsMax(), params.blockBytesMax());
    BlockExecutor executor = new BlockExecutor(genesis.chainId(), limits, signatures);
    LocalChain chain = new LocalChain(store, executor, limits, mempool);
    BlockHeader head = chain.head();
    boolean validator = chain.nextValidators().contains(key.publicKey());
    if (!validator && !config.p2p().enabled()) {
      throw new IllegalStateException("this node's key " + key.publicKey().toHex() + " is not a validator at height "
          + (head.height() + 1) + "; observer nodes follow the chain over p2p (set p2p.enabled)");
    }
    if (chain.nextValidators().size() > 1 && !config.p2p().enabled()) {
      throw new IllegalStateException("genesis has " + chain.nextValidators().size()
          + " validators but p2p.enabled = false: the validators could never reach quorum; enable p2p");
    }

    Optional<PersistedState> persisted = chain.loadConsensusState()
        .map(bytes -> PersistedStateCodec.decode(bytes.unsafeArray()))
        .filter(state -> state.height() == head.height() + 1);
    ConsensusConfig consensusConfig = ConsensusConfig.defaults()
        .withTimeouts(params.roundTimeoutMillis(), params.roundTimeoutMillisMax())
        .withBlockBytesMax(params.blockBytesMax());
    // One cache for the consensus gossip validator and the engine, and the engine's own checks at the relay: a
    // message checked before it was relayed reaches the consensus thread decoded and is not checked again
    // (beyond the round window); one that is not (an older context) costs no second signature verification.
    SignatureVerifier consensusSignatures =
        new CachingSignatureVerifier(SignatureVerifier.ED25519, CONSENSUS_SIGNATURE_CACHE_ENTRIES_MAX);
    ConsensusEngine engine = new ConsensusEngine(consensusConfig, key, consensusSignatures, persisted);
    long blockPeriod = config.production().blockPeriodMillisOverride() > 0
        ? config.production().blockPeriodMillisOverride() : params.blockPeriodMillis();
    ConsensusQueue consensusQueue = new ConsensusQueue(CONSENSUS_QUEUE_LENGTH_MAX, consensusInbox(params.blockBytesMax()));
    TransactionAdmission admission = (encoded, stop) -> mempool.admitBatch(encoded, store.state(), stop);
    P2pNetwork network = config.p2p().enabled()
        ? P2pNetwork.create(config.p2p(), genesis, identity, chainReader(chain), admission, consensusQueue, consensusQueue,
            validator, engine.messageValidator(), consensusConfig.futureHeightsMax(),
            config.sync(), snapshots(chain))
        : null;
    DriverConfig driverConfig =
        new DriverConfig(blockPeriod, params.emptyBlocks(), config.production().unreachableProposerTimeoutMillis());
    ConsensusDriver driver = new ConsensusDriver(driverConfig, engine, chain,
        network == null ? ConsensusNetwork.NONE : network.consensusNetwork(), System::currentTimeMillis,
        consensusQueue);
    if (network != null) {
      driver.onFinalized(network::afterCommit);
      driver.onRoleChanged(network::followRole);
    }
    String peerId = identity.peerId().toBase58();
    // Off unless enabled: then no observer, no callback and no listener is installed, and nothing is counted twice.
    NodeMetrics nodeMetrics = config.metrics().enabled() ? new NodeMetrics(VERSION, peerId, genesis.chainId()) : null;
    if (nodeMetrics != null) {
      driver.observe(nodeMetrics.consensusObserver(chain.nextValidators()));
      nodeMetrics.chain(chain, store, mempool, config.mempool(), driver, driverConfig);
      if (network != null) {
        nodeMetrics.network(network);
      }
    }
    // Evidence is kept in the store whether or not the admin API is on: it is the record of misbehaviour.
    EvidenceLog evidence = new EvidenceLog(store);
    driver.onEvidence(e -> evidence.record(e, System.currentTimeMillis()));
    AddedObservers addedObservers = AddedObservers.open(config.dataDir());
    if (network != null) {
      network.setAddedObservers(addedObservers.all());
    }

    CommitEvents events = new CommitEvents();
    chain.onCommit(events::publish);
    RpcServer rpc = null;
    int rpcPort = -1;
    if (config.rpc().enabled()) {
      NodeStatus status = new LocalNodeStatus(VERSION, peerId,
          () -> chain.nextValidators().contains(key.publicKey()) ? Optional.of(key.publicKey()) : Optional.empty(),
          network == null ? () -> 0 : network::peerCount,
          network == null ? NodeStatus.SyncState.Synced::new : () -> syncState(network.syncState()), mempool);
      // The vote index names the pending validator-set changes for cairn_getValidatorVotes and admin_validatorVotes.
      VoteCandidates votes = new VoteCandidates(store, chain::nextValidators);
      chain.onCommit((block, receipts) -> votes.onCommit(block));
      Optional<NodeAdmin> admin = config.rpc().adminEnabled()
          ? Optional.of(admin(genesis, key, peerId, chain, network, addedObservers, votes, evidence)) : Optional.empty();
      rpc = new RpcServer(rpcConfig(config.rpc()), config.rpc().security(),
          new StoreChainView(genesis.chainId(), store, votes::pendingChanges),
          new MempoolSubmitter(mempool, store, (id, bytes) -> {
            consensusQueue.notifyTransactions();
            if (network != null) {
              network.publishTransaction(bytes);
            }
          }), status, events, admin, nodeMetrics == null ? RpcObserver.NONE : nodeMetrics.rpcObserver(),
          new LocalNodeHealth(chainReader(chain), network, driver::failure));
      if (nodeMetrics != null) {
        nodeMetrics.rpcServer(rpc);
      }
      if (config.explorer().enabled()) {
        ExplorerRoutes.load().mountOn(rpc);
      }
    }
    driver.start(persisted.isPresent());
    if (network != null) {
      network.start();
    }
    MetricsServer metricsServer = null;
    try {
      if (rpc != null) {
        rpcPort = rpc.start();
      }
      if (nodeMetrics != null) {
        metricsServer = MetricsServer.start(config.metrics().host(), config.metrics().port(), nodeMetrics.registry());
      }
    } catch (RuntimeException e) {
      // E.g. a port is taken: stop what runs before the caller closes the store under it.
      if (rpc != null) {
        rpc.stop();
      }
      if (network != null) {
        network.close();
      }
      driver.close();
      throw e;
    }
    PruningService pruning = store.retention().prunes() ? PruningService.start(store) : null;
    if (pruning != null) {
      chain.onCommit((block, receipts) -> pruning.onCommit());
    }
    ConsensusCountersLog counters = new ConsensusCountersLog(() -> consensusCounters(driver, network));
    counters.start();
    Node node = new Node(genesis, store, mempool, chain, driver, network, rpc, rpcPort, metricsServer,
        BackupService.start(config.dataDir(), store), pruning, counters);
    log.info("event=node_started chain_id={} height={} role={} key={} rpc_port={} metrics_port={} block_period_ms={}",
        genesis.chainId(), head.height(), validator ? "validator" : "observer",
        key.publicKey().toHex().substring(0, 12), node.rpcPort, node.metricsPort(), blockPeriod);
    return node;
  }

  /** The admin API over this node's parts. */
  private static NodeAdmin admin(GenesisConfig genesis, KeyPair key, String peerId, LocalChain chain, P2pNetwork network,
      AddedObservers addedObservers, VoteCandidates votes, EvidenceLog evidence) {
    Optional<P2pNetwork> p2p = Optional.ofNullable(network);
    return new LocalNodeAdmin(p2p, addedObservers, votes, evidence, () -> new NodeAdmin.Info(peerId,
        p2p.map(n -> n.listenAddresses().stream().map(Object::toString).toList()).orElse(List.of()), VERSION,
        genesis.chainId(), chain.head().height(), chain.nextValidators().contains(key.publicKey()) ? "validator" : "observer",
        p2p.map(P2pNetwork::peerCount).orElse(0), addedObservers.names()));
  }

  /** The chain as the network reads it: the head and next validators for gossip checks, blocks for sync. */
  private static ChainReader chainReader(LocalChain chain) {
    return new ChainReader() {
      @Override
      public BlockHeader head() {
        return chain.head();
      }

      @Override
      public ValidatorSet nextValidators() {
        return chain.nextValidators();
      }

      @Override
      public List<FinalizedBlock> blocks(long fromHeight, int countMax, long bytesMax) {
        return chain.blocks(fromHeight, countMax, bytesMax);
      }
    };
  }

  /**
   * State chunks and validator-set change evidence for peers' snapshot requests; a height this node cannot serve
   * is refused with the reason. Public for the adversary's Byzantine snapshot peers, which serve what an honest
   * node serves before they alter it.
   */
  public static SnapshotSource snapshots(LocalChain chain) {
    return new SnapshotSource() {
      @Override
      public dev.cairn.ledger.state.StateChunk chunk(long height, Hash prefix, int prefixBits, int leafBytesMax) {
        try {
          return chain.chunk(height, prefix, prefixBits, leafBytesMax);
        } catch (LocalChain.StateUnavailableException e) {
          throw new SnapshotSource.SnapshotUnavailableException(e.getMessage());
        }
      }

      @Override
      public List<ValidatorSetChange> validatorSetChanges(long afterHeight, int countMax) {
        try {
          List<ValidatorSetChange> changes = new ArrayList<>();
          for (long inForceFrom : chain.validatorSetChangeHeights(afterHeight, countMax)) {
            long last = inForceFrom - 1;
            changes.add(new ValidatorSetChange(
                chain.store().header(last).orElseThrow(() -> new SnapshotSource.SnapshotUnavailableException("no header at " + last)),
                chain.store().certificate(last).orElseThrow(() -> new SnapshotSource.SnapshotUnavailableException("no certificate at " + last)),
                chain.store().validatorsAt(inForceFrom).orElseThrow(() -> new SnapshotSource.SnapshotUnavailableException("no validator set at " + inForceFrom)),
                chain.prove(last, StateKeys.VALIDATOR_SET)));
          }
          return changes;
        } catch (LocalChain.StateUnavailableException e) {
          throw new SnapshotSource.SnapshotUnavailableException(e.getMessage());
        }
      }
    };
  }

  /** Block sync's progress as JSON-RPC reports it. */
  static NodeStatus.SyncState syncState(SyncState state) {
    return switch (state) {
      case SyncState.Synced synced -> new NodeStatus.SyncState.Synced();
      case SyncState.Syncing s -> new NodeStatus.SyncState.Syncing(s.startingHeight(), s.currentHeight(), s.highestHeight());
    };
  }

  /** What {@link ConsensusCountersLog} prints: inbox drops, evidence, and the consensus topic's verdicts. */
  static Map<String, Long> consensusCounters(ConsensusDriver driver, P2pNetwork network) {
    Map<String, Long> out = new LinkedHashMap<>();
    out.put("dropped_votes", driver.droppedConsensusVotes());
    out.put("dropped_peer_messages", driver.droppedPeerMessages());
    out.put("evidence", driver.evidenceCount());
    if (network != null) {
      network.consensusGossipCounts().forEach((reason, count) -> out.put("gossip_" + reason.name().toLowerCase(Locale.ROOT), count));
      // Our own votes and proposals the node-wide gossip budget could not send (transactions and blocks go first).
      out.put("outbound_dropped_consensus", network.gossipOutboundDrops().getOrDefault("consensus", 0L));
      out.put("outbound_dropped_transactions", network.gossipOutboundDrops().getOrDefault("transactions", 0L));
    }
    return out;
  }

  static RpcConfig rpcConfig(NodeConfig.Rpc rpc) {
    RpcConfig d = RpcConfig.defaults();
    return new RpcConfig(rpc.host(), rpc.port(), rpc.requestBytesMax(), rpc.batchLengthMax(), d.jsonNestingDepthMax(),
        d.jsonNumberDigitsMax(), rpc.requestsPerSecondMax(), Math.max(rpc.requestsPerSecondMax(), d.requestBurstMax()),
        d.rateLimitedIpsTrackedMax(), d.wsConnectionsMax(), Math.max(1, rpc.wsSubscriptionsMax()), d.wsQueueMessagesMax(),
        d.wsIdleTimeoutMillis(), d.pendingTransactionsReturnedMax(), d.drainTimeoutMillis(), rpc.corsAllowedOrigins())
        .withResponseLimits(rpc.responseBytesMax(), rpc.wsAllowedOrigins())
        .withHistoryEntriesReturnedMax(rpc.historyEntriesMax())
        .withAnswerLimits(rpc.answerLimits(), rpc.wsQueueBytesMax());
  }

  public GenesisConfig genesis() {
    return genesis;
  }

  /** The bound JSON-RPC port (useful when configured as 0), or -1 with RPC disabled. */
  public int rpcPort() {
    return rpcPort;
  }

  /** The bound metrics port (useful when configured as 0), or -1 with metrics disabled. */
  public int metricsPort() {
    return metrics == null ? -1 : metrics.port();
  }

  public long headHeight() {
    return chain.head().height();
  }

  public Mempool mempool() {
    return mempool;
  }

  public ConsensusDriver consensus() {
    return driver;
  }

  @Override
  public void close() {
    log.info("event=node_stopping height={}", chain.head().height());
    counters.close();
    if (rpc != null) {
      rpc.stop();
    }
    if (metrics != null) {
      metrics.close();
    }
    if (network != null) {
      network.close();
    }
    driver.close();
    backups.close();
    if (pruning != null) {
      pruning.close();
    }
    store.close();
    log.info("event=node_stopped");
  }
}
