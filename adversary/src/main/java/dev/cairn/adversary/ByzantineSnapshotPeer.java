package dev.cairn.adversary;

import com.google.protobuf.ByteString;
import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.codec.LedgerCodec;
import dev.cairn.ledger.crypto.Address;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.model.Account;
import dev.cairn.ledger.model.Block;
import dev.cairn.ledger.model.BlockHeader;
import dev.cairn.ledger.model.CommitCertificate;
import dev.cairn.ledger.model.CommitSeal;
import dev.cairn.ledger.model.FinalizedBlock;
import dev.cairn.ledger.model.Role;
import dev.cairn.ledger.model.ValidatorSet;
import dev.cairn.ledger.state.StateChunk;
import dev.cairn.ledger.state.StateKeys;
import dev.cairn.network.NetworkLimits;
import dev.cairn.network.NetworkTopics;
import dev.cairn.network.P2pIdentity;
import dev.cairn.network.PeerAllowlist;
import dev.cairn.network.SnapshotServer;
import dev.cairn.network.SyncCodec;
import dev.cairn.network.SyncConfig;
import dev.cairn.network.ports.SnapshotSource;
import dev.cairn.network.ports.ValidatorSetChange;
import dev.cairn.p2p.host.ConnectionGater;
import dev.cairn.p2p.host.Host;
import dev.cairn.p2p.identity.Multiaddr;
import dev.cairn.p2p.identity.PeerId;
import dev.cairn.p2p.reqresp.RequestRefusedException;
import dev.cairn.p2p.reqresp.RequestResponse;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An allow-listed peer that serves snapshots to joining nodes and lies in them: the joiner's bootnode list names
 * it next to honest nodes. It follows the chain from the honest nodes ({@link ShadowChain}, over {@link
 * PeerFaces}), listens as a node does (a p2p key bound to the admitted node key, the chain's gater), and answers
 * the status, blocks-by-range, snapshot and set-changes protocols with the node's own handlers and codecs ({@link
 * SnapshotServer}, {@link SyncCodec}), reading from an honest source and altering what its {@link SnapshotLie} says:
 *
 * <ul>
 *   <li>{@code snapshot-corrupt-chunks}: every chunk with one leaf's value changed (a chunk with no leaf: one
 *       sibling changed);</li>
 *   <li>{@code snapshot-forged-root}: chunks of a whole forged state (its own account credited), each proving
 *       itself against that state's root; a one-block request gets the real block with the forged root in its
 *       header, sealed by a validator set the attacker made up (the real certificate names the real block);</li>
 *   <li>{@code snapshot-stall}: the first chunks honestly, then no answer at all (a peer that stops mid-transfer);</li>
 *   <li>{@code set-change-forged}: a one-block request gets a block naming a validator set the attacker made up,
 *       certified by it; asked for the set changes that lead there, it serves the real last block of the genesis
 *       set with that made-up set, and either seals by the made-up set ({@code --forge CERTIFICATE}) or the real
 *       certificate with the real proof, which holds another set ({@code --forge SET}).</li>
 * </ul>
 * What the joiner must do: check every chunk against the root of a header it trusts, punish and disconnect the
 * liar, drop the silent peer by its score, refuse the forged evidence with its reason, and end on the honest
 * state (docs/security.md).
 */
final class ByzantineSnapshotPeer implements Attack {
  private static final long FOLLOW_POLL_MILLIS = 200;
  /** What the forged state credits the attacker's own account with. */
  static final long FORGED_BALANCE = Long.MAX_VALUE / 2;
  private static final int MADE_UP_VALIDATORS = 4;
  private static final long BLOCKS_RESPONSE_BYTES_MAX = 4L * 1024 * 1024;
  private static final int BLOCKS_PER_RESPONSE_MAX = 64;

  private final NetworkAccess access;
  private final SnapshotLie lie;
  private final InetSocketAddress listen;
  private final P2pIdentity identity;
  private final List<KeyPair> madeUpKeys = new ArrayList<>();
  private final ValidatorSet madeUpSet;
  private final CountDownLatch serving = new CountDownLatch(1);
  private final Map<Long, ShadowChain.ForgedState> forgedStates = new ConcurrentHashMap<>();
  private final Set<PeerId> askers = ConcurrentHashMap.newKeySet();
  private final AtomicLong statusServed = new AtomicLong();
  private final AtomicLong blocksServed = new AtomicLong();
  private final AtomicLong headersForged = new AtomicLong();
  private final AtomicLong chunksHonest = new AtomicLong();
  private final AtomicLong chunksCorrupted = new AtomicLong();
  private final AtomicLong chunksForged = new AtomicLong();
  private final AtomicLong chunksStalled = new AtomicLong();
  private final AtomicLong setChangesForged = new AtomicLong();
  private final AtomicLong setChangeRequests = new AtomicLong();
  private volatile long lastForgedHeight = -1;
  /** Counted down when the peer stops: a stalled request is held until then. */
  private final CountDownLatch closing = new CountDownLatch(1);

  /**
   * @param access the chain, the admitted node key this peer uses, the honest nodes it follows the chain from
   * @param listen where joiners reach it (their bootnode list names {@link #address()})
   */
  ByzantineSnapshotPeer(NetworkAccess access, SnapshotLie lie, InetSocketAddress listen) {
    this.access = access;
    this.lie = lie;
    this.listen = listen;
    this.identity = P2pIdentity.ephemeral(access.key(), access.genesis().chainId());
    List<PublicKey> keys = new ArrayList<>();
    for (int i = 0; i < MADE_UP_VALIDATORS; i++) {
      KeyPair key = KeyPair.generate();
      madeUpKeys.add(key);
      keys.add(key.publicKey());
    }
    this.madeUpSet = new ValidatorSet(keys);
  }

  @Override
  public String name() {
    return lie.attackName();
  }

  /** {@code /ip4/<host>/tcp/<port>/p2p/<id>}: what a joiner's bootnode list names. */
  Multiaddr address() {
    return Multiaddr.parse("/ip4/" + listen.getHostString() + "/tcp/" + listen.getPort() + "/p2p/" + identity.peerId().toBase58());
  }

  PeerId peerId() {
    return identity.peerId();
  }

  /** Waits until the peer has followed the chain and listens; false if {@code timeout} passes first. */
  boolean awaitServing(Duration timeout) throws InterruptedException {
    return serving.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public AttackReport run(Duration duration) throws InterruptedException {
    long started = System.nanoTime();
    long deadline = started + duration.toNanos();
    String chainId = access.genesis().chainId();
    NetworkTopics topics = new NetworkTopics(chainId);
    NetworkLimits limits = NetworkLimits.forBlockBytesMax(access.genesis().consensus().blockBytesMax());
    PeerAllowlist allowed = PeerAllowlist.of(access.genesis().validatorSet(), access.genesis().observers(), List.of());
    ExecutorService blockServing = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "byzantine-block-serve");
      t.setDaemon(true);
      return t;
    });
    try (ShadowChain chain = ShadowChain.open(access.scratchDir(), access.genesis());
        PeerFaces faces = PeerFaces.connect(access.key(), chainId, access.genesis().consensus().blockBytesMax(),
            access.targets(), List.of(), (face, message) -> { })) {
      chain.catchUp(faces);
      Host host = new Host(identity.hostKey(), limits.p2p(), ConnectionGater.forChain(chainId, allowed.keys(), allowed.peers()),
          Optional.of(identity.binding()));
      RequestResponse requests = new RequestResponse(host, limits.requests());
      SnapshotServer snapshots = new SnapshotServer(requests, topics, lyingSource(chain), 1, SyncConfig.DEFAULTS.chunkBytesMax());
      try {
        requests.register(topics.statusProtocol(), (from, request) -> {
          askers.add(from);
          statusServed.incrementAndGet();
          BlockHeader head = chain.head();
          return CompletableFuture.completedFuture(ByteString.copyFrom(SyncCodec.encode(new SyncCodec.Status(head.height(), head.hash()))));
        }, SyncCodec.STATUS_REQUEST_BYTES_MAX);
        requests.register(topics.blocksProtocol(), (from, request) -> CompletableFuture.supplyAsync(() -> {
          askers.add(from);
          return ByteString.copyFrom(SyncCodec.encodeBlocks(blocks(chain, request.toByteArray())));
        }, blockServing), SyncCodec.BLOCKS_REQUEST_BYTES);
        snapshots.register();
        host.start(List.of(Multiaddr.parse("/ip4/" + listen.getHostString() + "/tcp/" + listen.getPort())));
        serving.countDown();
        try {
          while (System.nanoTime() < deadline) {
            chain.catchUp(faces);
            Thread.sleep(FOLLOW_POLL_MILLIS);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt(); // stopped early: report what was done
        }
      } finally {
        closing.countDown();
        snapshots.close();
        requests.close();
        host.stop();
      }
    } finally {
      blockServing.shutdownNow();
    }
    Map<String, Long> counters = new LinkedHashMap<>();
    counters.put("peers_served", (long) askers.size());
    counters.put("status_served", statusServed.get());
    counters.put("blocks_served", blocksServed.get());
    counters.put("headers_forged", headersForged.get());
    counters.put("chunks_honest", chunksHonest.get());
    counters.put("chunks_corrupted", chunksCorrupted.get());
    counters.put("chunks_forged", chunksForged.get());
    counters.put("chunks_stalled", chunksStalled.get());
    counters.put("set_change_requests", setChangeRequests.get());
    counters.put("set_changes_forged", setChangesForged.get());
    return new AttackReport(name(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), counters);
  }

  /** Blocks-by-range as the node serves it; a one-block request (how a joiner fetches its snapshot's header) may get a lie. */
  private List<FinalizedBlock> blocks(ShadowChain chain, byte[] request) {
    SyncCodec.BlocksRequest asked = switch (SyncCodec.decodeBlocksRequest(request)) {
      case SyncCodec.Decoding.Ok<SyncCodec.BlocksRequest> ok -> ok.value();
      case SyncCodec.Decoding.Malformed<SyncCodec.BlocksRequest> malformed -> throw new RequestRefusedException(malformed.reason());
    };
    List<FinalizedBlock> blocks = chain.blocks(asked.fromHeight(), Math.min(asked.countMax(), BLOCKS_PER_RESPONSE_MAX),
        BLOCKS_RESPONSE_BYTES_MAX);
    blocksServed.addAndGet(blocks.size());
    if (asked.countMax() != 1 || blocks.size() != 1) {
      return blocks;
    }
    FinalizedBlock real = blocks.get(0);
    return switch (lie) {
      case SnapshotLie.ForgedRoot forgedRoot -> {
        headersForged.incrementAndGet();
        ShadowChain.ForgedState forged = forgedState(chain, real.height());
        Block block = withHeader(real.block(), forged.root(), real.block().header().validatorSetHash());
        // The real certificate names the real block: FinalizedBlock would refuse the pair, so the lie is sealed by
        // the made-up set instead; either way no set the joiner trusts certified it.
        yield List.of(new FinalizedBlock(block, sealByMadeUpSet(block.hash())));
      }
      case SnapshotLie.ForgedSetChange change -> {
        headersForged.incrementAndGet();
        lastForgedHeight = real.height();
        Block block = withHeader(real.block(), real.block().header().stateRoot(), madeUpSet.hash());
        yield List.of(new FinalizedBlock(block, sealByMadeUpSet(block.hash())));
      }
      case SnapshotLie.CorruptChunks corrupt -> blocks;
      case SnapshotLie.Stall stall -> blocks;
    };
  }

  private SnapshotSource lyingSource(ShadowChain chain) {
    SnapshotSource honest = chain.snapshots();
    AtomicLong chunksAsked = new AtomicLong();
    return new SnapshotSource() {
      @Override
      public StateChunk chunk(long height, Hash prefix, int prefixBits, int leafBytesMax) {
        return switch (lie) {
          case SnapshotLie.CorruptChunks corrupt -> corrupted(honest, height, prefix, prefixBits, leafBytesMax);
          case SnapshotLie.ForgedRoot forgedRoot -> {
            ShadowChain.ForgedState forged = forgedState(chain, height);
            chunksForged.incrementAndGet();
            yield StateChunk.of(forged.nodes(), forged.root(), prefix, prefixBits, leafBytesMax);
          }
          case SnapshotLie.Stall stall -> {
            if (chunksAsked.incrementAndGet() > stall.answeredChunks()) {
              chunksStalled.incrementAndGet();
              yield stallUntilClosed();
            }
            chunksHonest.incrementAndGet();
            yield honest.chunk(height, prefix, prefixBits, leafBytesMax);
          }
          case SnapshotLie.ForgedSetChange change -> {
            chunksHonest.incrementAndGet();
            yield honest.chunk(height, prefix, prefixBits, leafBytesMax);
          }
        };
      }

      @Override
      public List<ValidatorSetChange> validatorSetChanges(long afterHeight, int countMax) {
        setChangeRequests.incrementAndGet();
        if (!(lie instanceof SnapshotLie.ForgedSetChange(SnapshotLie.Forgery forgery))) {
          return honest.validatorSetChanges(afterHeight, countMax);
        }
        long target = lastForgedHeight > 0 ? lastForgedHeight : chain.head().height();
        long last = target - 1;
        if (last <= afterHeight) {
          return List.of();
        }
        BlockHeader header = chain.header(last)
            .orElseThrow(() -> new SnapshotSource.SnapshotUnavailableException("no header at " + last));
        CommitCertificate certificate = switch (forgery) {
          case CERTIFICATE -> sealByMadeUpSet(header.hash());
          case SET -> chain.certificate(last)
              .orElseThrow(() -> new SnapshotSource.SnapshotUnavailableException("no certificate at " + last));
        };
        setChangesForged.incrementAndGet();
        return List.of(new ValidatorSetChange(header, certificate, madeUpSet, chain.prove(last, StateKeys.VALIDATOR_SET)));
      }
    };
  }

  /**
   * The real chunk with its first leaf's value changed, or, in a chunk without leaves, its first sibling: the
   * encoding stays well formed, only the proof no longer reaches the root.
   */
  private StateChunk corrupted(SnapshotSource honest, long height, Hash prefix, int prefixBits, int leafBytesMax) {
    StateChunk real = honest.chunk(height, prefix, prefixBits, leafBytesMax);
    chunksCorrupted.incrementAndGet();
    if (real.leaves().isEmpty()) {
      List<Hash> siblings = new ArrayList<>(real.siblings());
      byte[] sibling = siblings.get(0).toArray();
      sibling[0] ^= 1;
      siblings.set(0, Hash.wrap(sibling));
      return new StateChunk(real.prefix(), real.prefixBits(), siblings, real.leaves());
    }
    List<StateChunk.Leaf> leaves = new ArrayList<>(real.leaves());
    StateChunk.Leaf first = leaves.get(0);
    byte[] value = first.value().toArray();
    byte[] changed = value.length == 0 ? new byte[] {1} : value;
    changed[changed.length - 1] ^= 1;
    leaves.set(0, new StateChunk.Leaf(first.key(), Bytes.wrap(changed)));
    return new StateChunk(real.prefix(), real.prefixBits(), real.siblings(), leaves);
  }

  /** The state at {@code height} with this peer's account credited: one forged state per height, kept. */
  private ShadowChain.ForgedState forgedState(ShadowChain chain, long height) {
    return forgedStates.computeIfAbsent(height, h -> chain.forge(h, StateKeys.account(Address.of(access.key().publicKey())),
        Bytes.wrap(LedgerCodec.encode(new Account(FORGED_BALANCE, 0, Set.of(Role.MEMBER))))));
  }

  private static Block withHeader(Block real, Hash stateRoot, Hash validatorSetHash) {
    BlockHeader h = real.header();
    return new Block(new BlockHeader(h.height(), h.parentHash(), h.timestampMillis(), h.proposer(), h.round(), h.txRoot(),
        h.receiptsRoot(), stateRoot, validatorSetHash), real.transactions());
  }

  private CommitCertificate sealByMadeUpSet(Hash blockHash) {
    List<CommitSeal> seals = new ArrayList<>();
    for (KeyPair key : madeUpKeys) {
      seals.add(CommitSeal.sign(key, blockHash));
    }
    return new CommitCertificate(blockHash, seals);
  }

  /** Holds the serving thread until the attack ends: every later request, of any snapshot protocol, goes unanswered. */
  private StateChunk stallUntilClosed() {
    try {
      closing.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    throw new RequestRefusedException("closing");
  }
}
