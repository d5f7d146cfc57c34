package dev.cairn.network;

import dev.cairn.consensus.MessageValidator;
import dev.cairn.consensus.Preverified;
import dev.cairn.consensus.message.MessageCodec;
import dev.cairn.genesis.GenesisConfig;
import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.codec.LedgerCodec;
import dev.cairn.ledger.model.FinalizedBlock;
import dev.cairn.network.ConsensusNetwork;
import dev.cairn.network.ports.BlockImporter;
import dev.cairn.network.ports.ChainReader;
import dev.cairn.network.ports.SnapshotSource;
import dev.cairn.network.ports.ConsensusInbox;
import dev.cairn.network.ports.TransactionAdmission;
import dev.cairn.p2p.gossip.GossipOutbound;
import dev.cairn.p2p.gossip.GossipService;
import dev.cairn.p2p.gossip.OutboundPriority;
import dev.cairn.p2p.gossip.MessageIdFunction;
import dev.cairn.p2p.gossip.PublishResult;
import dev.cairn.p2p.gossip.PubsubMessage;
import dev.cairn.p2p.gossip.TopicValidator;
import dev.cairn.p2p.gossip.ValidationResult;
import dev.cairn.p2p.host.ConnectionGater;
import dev.cairn.p2p.host.Host;
import dev.cairn.p2p.host.PeerListener;
import dev.cairn.p2p.identity.HostKey;
import dev.cairn.p2p.identity.Multiaddr;
import dev.cairn.p2p.identity.PeerId;
import dev.cairn.p2p.reqresp.RequestResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node on the peer-to-peer network: the libp2p host (identity = the p2p key, bound to the node key: {@link
 * P2pIdentity}), the connection allowlist (peers bound to validators of the next height + observers, refreshed
 * after every commit), bootnode redialling, GossipSub
 * topics for transactions, consensus messages and finalized blocks, and block sync over request/response.
 *
 * <p>It reaches the rest of the node only through ports: it reads the chain ({@link ChainReader}), hands
 * finalized blocks to the consensus thread ({@link BlockImporter}), admits transactions ({@link
 * TransactionAdmission}) and posts consensus events ({@link ConsensusInbox}); it never calls the driver. The
 * composition root tells it about commits ({@link #afterCommit}) and role changes ({@link #followRole}).
 */
public final class P2pNetwork implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(P2pNetwork.class);
  /** Gossiped transaction batches waiting for admission checks off the gossip router thread. */
  static final int ADMISSION_QUEUE_LENGTH_MAX = 4_096;
  /** ...and their bytes, in total (16 of the largest batches) and per relaying peer (4 of them). */
  static final long ADMISSION_QUEUE_BYTES_MAX = 16L * NetworkLimits.BATCH_BYTES_MAX;
  static final long ADMISSION_QUEUE_BYTES_PER_PEER_MAX = 4L * NetworkLimits.BATCH_BYTES_MAX;
  /** Consensus gossip messages waiting for their signature checks, off the gossip router thread. */
  static final int CONSENSUS_VERIFY_QUEUE_LENGTH_MAX = 4_096;
  /** Threads checking consensus gossip (signatures, justifications) before it is accepted and forwarded. */
  static final int CONSENSUS_VERIFY_THREADS = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
  /** Gossiped blocks waiting for their certificate check off the gossip router thread. */
  static final int BLOCK_VERIFY_QUEUE_LENGTH_MAX = 64;
  /** How long a validator waits for its own commit before importing a block its peers already finalized. */
  static final long VALIDATOR_LAG_GRACE_MILLIS = 3_000;

  private final NetworkSettings config;
  private final GenesisConfig genesis;
  private final NetworkTopics topics;
  private final HostKey hostKey;
  private final P2pIdentity identity;
  private final ChainReader chain;
  private final ConsensusInbox<Preverified> consensus;
  private final BlockImporter importer;
  /** Whether the next height's validator set holds this node's key; changes with on-chain votes. */
  private volatile boolean validator;
  private final dev.cairn.ledger.crypto.PublicKey self;
  private final List<PeerId> configuredObservers;
  /** Observers an operator admitted at run time ({@code admin_addPeer}); the node persists them. */
  private volatile Set<PeerId> addedObservers = Set.of();
  private final Host host;
  private final GossipService gossip;
  private final RequestResponse requests;
  private final ConsensusNetwork consensusNetwork;
  private final ThreadPoolExecutor admission;
  private final ThreadPoolExecutor blockVerify;
  private final ScheduledExecutorService batchPublisher;
  private final TransactionBatcher batcher;
  private BootnodeDialer dialer;
  private final BlockSync sync;
  private final SnapshotServer snapshotServer;
  private final TransactionBatchAdmission batchAdmission;
  private final PeerByteBudget admissionBytes =
      new PeerByteBudget(ADMISSION_QUEUE_BYTES_MAX, ADMISSION_QUEUE_BYTES_PER_PEER_MAX);
  private final ThreadPoolExecutor consensusVerify;
  private final ConsensusGossipValidator consensusGossip;

  private P2pNetwork(NetworkSettings config, GenesisConfig genesis, P2pIdentity identity, ChainReader chain,
      TransactionAdmission transactions, ConsensusInbox<Preverified> consensus, BlockImporter importer, boolean validator,
      MessageValidator consensusMessages, int futureHeightsMax, SyncConfig syncConfig, SnapshotSource snapshots) {
    this.config = config;
    this.genesis = genesis;
    this.topics = new NetworkTopics(genesis.chainId());
    this.identity = identity;
    this.hostKey = identity.hostKey();
    this.chain = chain;
    this.consensus = consensus;
    this.importer = importer;
    this.validator = validator;
    this.self = identity.nodeKey();
    this.configuredObservers = config.observers().stream().map(PeerId::fromBase58).toList();
    PeerAllowlist allowed = allowlist();
    ConnectionGater gater = ConnectionGater.forChain(genesis.chainId(), allowed.keys(), allowed.peers(),
        config.acceptNodeKeyIdentities());
    NetworkLimits limits = NetworkLimits.forBlockBytesMax(genesis.consensus().blockBytesMax());
    this.host = new Host(hostKey, limits.p2p().withConnectionsMax(config.connectionsMax()).withAdmission(config.admission())
        .withOutboundBacklogBytesMax(config.outboundBacklogBytesMax()), gater, java.util.Optional.of(identity.binding()));
    // StrictNoSign with content ids (see NetworkLimits): every Cairn payload carries its own signatures.
    this.gossip = new GossipService(host, hostKey, limits.gossip(), MessageIdFunction.contentHash(),
        new GossipOutbound(config.gossipOutboundBytes(limits.gossip()), Map.of(topics.transactions(), OutboundPriority.LOW,
            topics.blocks(), OutboundPriority.MEDIUM, topics.consensus(), OutboundPriority.HIGH)));
    this.requests = new RequestResponse(host, limits.requests());
    this.consensusNetwork = new GossipConsensusNetwork(Math.multiplyExact(System.currentTimeMillis(), 1_000L),
        envelope -> publish(topics.consensus(), envelope),
        this::canPropose);
    this.batchPublisher = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "tx-batcher");
      t.setDaemon(true);
      return t;
    });
    this.batcher = new TransactionBatcher(config.txBatching(), batchPublisher,
        (task, delayMillis) -> batchPublisher.schedule(task, delayMillis, TimeUnit.MILLISECONDS),
        batch -> publish(topics.transactions(), batch));
    this.batchAdmission = new TransactionBatchAdmission(transactions::admitBatch, consensus::notifyTransactions);
    this.admission = singleThread("tx-admission", ADMISSION_QUEUE_LENGTH_MAX);
    this.blockVerify = singleThread("block-verify", BLOCK_VERIFY_QUEUE_LENGTH_MAX);
    this.sync = new BlockSync(host, requests, topics, chain, importer, validator ? VALIDATOR_LAG_GRACE_MILLIS : 0);
    if (syncConfig.chunkBytesMax() > limits.requests().responseBytesMax()) {
      throw new IllegalArgumentException("sync.chunk-bytes-max " + syncConfig.chunkBytesMax()
          + " exceeds the request/response limit of " + limits.requests().responseBytesMax() + " bytes");
    }
    this.snapshotServer = syncConfig.servesSnapshots()
        ? new SnapshotServer(requests, topics, snapshots, syncConfig.snapshotIntervalHeights(), syncConfig.chunkBytesMax())
        : null;
    this.consensusVerify = new ThreadPoolExecutor(CONSENSUS_VERIFY_THREADS, CONSENSUS_VERIFY_THREADS, 0,
        TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(CONSENSUS_VERIFY_QUEUE_LENGTH_MAX), r -> {
          Thread t = new Thread(r, "consensus-gossip-verify");
          t.setDaemon(true);
          return t;
        });
    int messageBytesMax = MessageCodec.messageBytesMax(genesis.consensus().blockBytesMax());
    this.consensusGossip = new ConsensusGossipValidator(
        () -> new ConsensusGossipValidator.View(chain.head().height(), chain.head().hash(), chain.nextValidators()),
        consensusMessages, futureHeightsMax, messageBytesMax, 8L * messageBytesMax, 2L * messageBytesMax,
        consensusVerify, System::currentTimeMillis);
  }

  private static ThreadPoolExecutor singleThread(String name, int queueLengthMax) {
    return new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queueLengthMax), r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * @param chain the head, the next validators and finalized blocks to serve (read only)
   * @param transactions mempool admission of gossiped transactions
   * @param consensus where consensus messages, lost peers and transaction nudges go (never blocks)
   * @param importer where finalized blocks from sync and block gossip go, to be committed by the consensus thread
   * @param consensusMessages the engine's message checks (with the engine's signature cache), run on the
   *     consensus topic before a message is accepted and forwarded
   * @param futureHeightsMax consensus messages up to this many heights ahead are relayed
   * @param snapshots state chunks served at snapshot heights when {@code syncConfig} names an interval
   */
  public static P2pNetwork create(NetworkSettings config, GenesisConfig genesis, P2pIdentity identity, ChainReader chain,
      TransactionAdmission transactions, ConsensusInbox<Preverified> consensus, BlockImporter importer, boolean validator,
      MessageValidator consensusMessages, int futureHeightsMax, SyncConfig syncConfig, SnapshotSource snapshots) {
    return new P2pNetwork(config, genesis, identity, chain, transactions, consensus, importer, validator,
        consensusMessages, futureHeightsMax, syncConfig, snapshots);
  }

  /** The consensus topic's verdicts by reason, for metrics and tests. */
  public Map<ConsensusGossipValidator.Reason, Long> consensusGossipCounts() {
    return consensusGossip.counts();
  }

  public ConsensusNetwork consensusNetwork() {
    return consensusNetwork;
  }

  public PeerId peerId() {
    return host.peerId();
  }

  /**
   * Whether a validator could bring a proposal now: this node, or a connected peer bound to that validator that is
   * not still catching up after a restart. Only a hint for the round timer (ConsensusDriver.timerDelayMillis).
   */
  private boolean canPropose(dev.cairn.ledger.crypto.PublicKey validatorKey) {
    if (validatorKey.equals(self)) {
      return true;
    }
    return host.gater().boundPeer(validatorKey)
        .map(peer -> host.isConnected(peer) && !sync.isCatchingUp(peer, chain.head().height()))
        .orElse(false);
  }

  /** Joins the topics, starts listening and dialling. */
  public void start() {
    host.addPeerListener(new PeerListener() {
      @Override
      public void disconnected(PeerId peer) {
        consensus.notifyPeerLost(); // a crashed proposer: its round need not wait out the full timeout
      }
    });
    sync.register();
    if (snapshotServer != null) {
      snapshotServer.register();
    }
    gossip.start();
    gossip.setValidator(topics.transactions(), this::validateTransactionBatch);
    gossip.subscribe(topics.transactions(), received -> {});
    gossip.setValidator(topics.blocks(), this::validateBlockOffRouter);
    gossip.subscribe(topics.blocks(), received -> onGossipedBlock(received.message()));
    if (validator) {
      joinConsensus();
    }
    host.start(List.of(Multiaddr.parse(config.listen())));
    dialer = new BootnodeDialer(host, config.bootnodes().stream().map(Multiaddr::parse).toList(),
        Set.of(host.peerId(), identity.nodeKeyPeerId()));
    dialer.start();
    sync.start();
    log.info("event=p2p_started peer_id={} listen={} bootnodes={} allowlist={} validator={}", host.peerId(),
        host.listenAddrs(), config.bootnodes().size(), host.gater().allowedKeys().size() + host.gater().allowlist().size(), validator);
    if (identity.created()) {
      // A data dir of an earlier release: peers' configs name this node by its node key's ID, which still works
      // (the binding vouches for the new ID), but the new address is the one to write down.
      for (Multiaddr address : host.listenAddrs()) {
        log.info("event=p2p_new_identity multiaddr={} replaces={} note=\"put this address in peers' bootnodes and observer lists\"",
            address.withPeerId(host.peerId()), address.withPeerId(identity.nodeKeyPeerId()));
      }
    }
  }

  /**
   * Consensus messages arrive in a {@link ConsensusEnvelope}: relayed only once {@link ConsensusGossipValidator}
   * found the author a validator and the signatures valid (off the router thread), and not again as a copy;
   * the driver gets the message without its envelope, with the relaying peer for its per-peer bounds: as the
   * validator decoded and checked it when it did the engine's full check (the next height), else undecoded.
   */
  private void joinConsensus() {
    gossip.setValidator(topics.consensus(), consensusGossip::validate);
    gossip.subscribe(topics.consensus(), received -> {
      String source = received.receivedFrom().toString();
      Optional<CheckedHandoff.Checked> checked = consensusGossip.takeChecked(received.message());
      if (consensusMessage(received.message()) instanceof ConsensusEnvelope.Opening.Opened opened) {
        if (checked.isPresent()) {
          consensus.onCheckedPeerMessage(checked.get().message(), opened.message(), source);
        } else {
          consensus.onPeerMessage(opened.message(), source);
        }
      }
    });
  }

  private static ConsensusEnvelope.Opening consensusMessage(PubsubMessage message) {
    return ConsensusEnvelope.open(message.data().toByteArray());
  }

  /** On the consensus thread: the driver found that a vote added or removed this node; follow it on the network. */
  public void followRole(long height, boolean nowValidator) {
    validator = nowValidator;
    sync.setLagGraceMillis(nowValidator ? VALIDATOR_LAG_GRACE_MILLIS : 0);
    if (nowValidator) {
      joinConsensus();
    } else {
      gossip.unsubscribe(topics.consensus());
    }
  }

  private PeerAllowlist allowlist() {
    List<PeerId> observers = new java.util.ArrayList<>(configuredObservers);
    observers.addAll(addedObservers);
    return PeerAllowlist.of(chain.nextValidators(), genesis.observers(), observers);
  }

  /** Recomputes the allowlist; the gater disconnects every connected peer it no longer holds. */
  private synchronized void refreshAllowlist(long height) {
    PeerAllowlist allowed = allowlist();
    ConnectionGater gater = host.gater();
    if (!allowed.keys().equals(gater.allowedKeys()) || !allowed.peers().equals(gater.allowlist())) {
      log.info("event=allowlist_changed height={} keys={} peers={}", height, allowed.keys().size(), allowed.peers().size());
      gater.setAllowed(allowed.keys(), allowed.peers());
    }
  }

  /**
   * Replaces the observers admitted at run time: takes effect at once, and a peer no longer allowed by anything
   * (validator set, genesis, config, this set) is disconnected.
   */
  public void setAddedObservers(Set<PeerId> observers) {
    addedObservers = Set.copyOf(observers);
    refreshAllowlist(chain.head().height());
  }

  /** Whether the peer is allowed by the chain or the config file, whatever the run-time additions say. */
  public boolean allowedWithoutAdditions(PeerId peer) {
    return PeerAllowlist.of(chain.nextValidators(), genesis.observers(), configuredObservers)
        .allows(peer, host.gater().boundKey(peer));
  }

  /** Whether the peer is bound (by the binding it presented) to a key in the validator set of the next height. */
  public boolean isValidator(PeerId peer) {
    return host.gater().boundKey(peer).map(chain.nextValidators()::contains).orElse(false);
  }

  /** This node's p2p identity and its binding to the node key. */
  public P2pIdentity identity() {
    return identity;
  }

  /** Dials a peer once (e.g. an observer just admitted); failures are logged, not retried. */
  public void dial(Multiaddr address) {
    host.dial(address).whenComplete((peer, error) -> {
      if (error != null) {
        log.info("event=dial_failed address={} error=\"{}\"", address, error.toString());
      }
    });
  }

  /** Every connected peer, for the admin API. */
  public List<dev.cairn.p2p.host.PeerInfo> peers() {
    return host.peers();
  }

  public List<Multiaddr> listenAddresses() {
    return host.listenAddrs();
  }

  /** On the consensus thread after every commit: follow validator-set changes, announce our own blocks. */
  public void afterCommit(FinalizedBlock finalized) {
    refreshAllowlist(finalized.block().height());
    if (finalized.block().header().proposer().equals(self) && chain.nextValidators().contains(self)) {
      publish(topics.blocks(), LedgerCodec.encode(finalized));
    }
  }

  /** Queues a message for gossip; a refusal (router queue full, duplicate content) is logged, not retried. */
  private void publish(String topic, byte[] data) {
    gossip.publish(topic, data).thenAccept(result -> {
      if (result instanceof PublishResult.Refused refused) {
        log.debug("gossip publish refused topic={} reason={} detail=\"{}\"", topic, refused.reason(), refused.detail());
      }
    });
  }

  /** Gossips a transaction this node admitted from RPC, in the next batch. */
  public void publishTransaction(Bytes encoded) {
    batcher.offer(encoded);
  }

  /**
   * A batch of transactions from a peer, admitted off the router thread (see {@link TransactionBatchAdmission}),
   * within the admission queue's bytes in total and per relaying peer.
   */
  private CompletableFuture<ValidationResult> validateTransactionBatch(PeerId from, PubsubMessage message) {
    int bytes = message.data().size();
    if (!admissionBytes.reserve(from, bytes)) {
      return CompletableFuture.completedFuture(ValidationResult.IGNORE); // this peer's (or everyone's) share is full
    }
    try {
      return CompletableFuture.supplyAsync(() -> {
        try {
          return batchAdmission.admit(message.data().toByteArray());
        } finally {
          admissionBytes.release(from, bytes);
        }
      }, admission);
    } catch (RejectedExecutionException e) {
      admissionBytes.release(from, bytes);
      return CompletableFuture.completedFuture(ValidationResult.IGNORE);
    }
  }

  /**
   * A gossiped block's certificate is a quorum of signature checks: too much for the gossip router thread
   * (TopicValidator's contract), so it runs on the bounded block-verify thread; a full queue IGNOREs the block
   * (sync still brings it).
   */
  private CompletableFuture<ValidationResult> validateBlockOffRouter(PeerId from, PubsubMessage message) {
    try {
      return CompletableFuture.supplyAsync(() -> validateBlock(from, message), blockVerify);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.completedFuture(ValidationResult.IGNORE);
    }
  }

  /** Relay only the next block, certified by the validators we know for it; a block further ahead is news for sync. */
  private ValidationResult validateBlock(PeerId from, PubsubMessage message) {
    byte[] bytes = message.data().toByteArray();
    // Every validator gossips each block it commits, so most copies are of a height this node already holds:
    // ignored on their header's height alone. Anything else (or bytes whose start does not parse) is decoded whole.
    if (SyncCodec.peekGossipedBlockHeight(bytes).orElse(Long.MAX_VALUE) <= chain.head().height()) {
      return ValidationResult.IGNORE;
    }
    return switch (SyncCodec.decodeGossipedBlock(bytes)) {
      case SyncCodec.Decoding.Malformed<FinalizedBlock> malformed -> ValidationResult.REJECT;
      case SyncCodec.Decoding.Ok<FinalizedBlock> ok -> {
        FinalizedBlock block = ok.value();
        long head = chain.head().height();
        if (block.block().height() > head) {
          sync.notePeerHead(from, block.block().height());
        }
        if (block.block().height() != head + 1) {
          yield ValidationResult.IGNORE;
        }
        yield block.certificate().verify(block.block().hash(), chain.nextValidators()).isValid()
            ? ValidationResult.ACCEPT : ValidationResult.REJECT;
      }
    };
  }

  /** An observer commits the next block as soon as it is gossiped; a validator leaves it to its own commit or sync. */
  private void onGossipedBlock(PubsubMessage message) {
    if (validator) {
      return;
    }
    if (SyncCodec.decodeGossipedBlock(message.data().toByteArray()) instanceof SyncCodec.Decoding.Ok<FinalizedBlock> ok) {
      importer.importFinalized(List.of(ok.value()));
    }
  }

  public int peerCount() {
    return host.peers().size();
  }

  /** See {@link BlockSync#blocksBehind}. */
  public long blocksBehind() {
    return sync.blocksBehind();
  }

  /** Connected peers that are validators of the next height; the rest are observers. */
  public int validatorPeerCount() {
    int count = 0;
    for (dev.cairn.p2p.host.PeerInfo peer : host.peers()) {
      if (isValidator(peer.peer())) {
        count++;
      }
    }
    return count;
  }

  /** Connections to authenticated peers, by who dialled: [inbound, outbound]. */
  public int[] connectionsByDirection() {
    int[] counts = new int[2];
    for (dev.cairn.p2p.host.PeerInfo peer : host.peers()) {
      counts[peer.outbound() ? 1 : 0] += peer.connections();
    }
    return counts;
  }

  /** Connections still in their Noise/multistream handshake. */
  public int handshakesOpen() {
    return host.handshakesOpen();
  }

  public dev.cairn.p2p.ProtocolTraffic traffic() {
    return host.traffic();
  }

  /** The gossip router's counters and per-topic counters, read on the router thread. */
  public CompletableFuture<GossipCounters> gossipCounters() {
    return gossip.query(router -> new GossipCounters(router.stats(), router.topicStats()));
  }

  /** Counters of the gossip router, named by topic kind ({@link NetworkTopics#kind}). */
  public record GossipCounters(dev.cairn.p2p.gossip.GossipStats totals, Map<String, dev.cairn.p2p.gossip.GossipStats.Topic> byTopic) {}

  public NetworkTopics topics() {
    return topics;
  }

  /** Work waiting in the network's bounded queues, by queue name. */
  public Map<String, Integer> queueDepths() {
    return Map.of(
        "gossip_router_events", gossip.queuedEvents(),
        "tx_admission", admission.getQueue().size(),
        "consensus_gossip_verify", consensusVerify.getQueue().size(),
        "block_verify", blockVerify.getQueue().size());
  }

  /**
   * Gossip events and RPCs dropped because a bounded queue was full, by where; messages the node-wide outbound
   * budget dropped as {@code outbound_budget_<topic kind>} ({@code control} for control RPCs).
   */
  public Map<String, Long> gossipQueueDrops() {
    Map<String, Long> out = new java.util.LinkedHashMap<>(Map.of(
        "router_events", gossip.droppedEvents(),
        "peer_outbound_rpcs", gossip.droppedRpcs(),
        "peer_inbound_rpcs", gossip.droppedInboundRpcs(),
        "frames_refused", gossip.refusedFrames()));
    gossipOutboundDrops().forEach((kind, n) -> out.put("outbound_budget_" + kind, n));
    return out;
  }

  /** Messages the node-wide gossip outbound budget dropped, by topic kind (transactions, blocks, consensus, control). */
  public Map<String, Long> gossipOutboundDrops() {
    Map<String, Long> out = new java.util.TreeMap<>();
    gossip.outboundDropsByTopic().forEach((topic, n) ->
        out.merge(topic.equals("control") ? "control" : topics.kind(topic), n, Long::sum));
    return out;
  }

  public SyncState syncState() {
    return sync.state();
  }

  @Override
  public void close() {
    if (dialer != null) {
      dialer.close();
    }
    sync.close();
    if (snapshotServer != null) {
      snapshotServer.close();
    }
    batchPublisher.shutdownNow();
    admission.shutdownNow();
    consensusVerify.shutdownNow();
    blockVerify.shutdownNow();
    gossip.close();
    requests.close();
    host.stop();
  }
}
