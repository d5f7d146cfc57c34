package dev.cairn.network;

import dev.cairn.genesis.GenesisConfig;
import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.codec.LedgerCodec;
import dev.cairn.ledger.model.FinalizedBlock;
import dev.cairn.ledger.model.Validation;
import dev.cairn.ledger.model.ValidatorSet;
import dev.cairn.ledger.state.StateKeys;
import dev.cairn.network.ports.ValidatorSetChange;
import dev.cairn.p2p.host.ConnectionGater;
import dev.cairn.p2p.host.Host;
import dev.cairn.p2p.host.PeerInfo;
import dev.cairn.p2p.identity.Multiaddr;
import dev.cairn.p2p.identity.PeerId;
import dev.cairn.p2p.reqresp.RequestResponse;
import dev.cairn.p2p.reqresp.RequestResponseConfig;
import dev.cairn.p2p.reqresp.Response;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * State sync of an empty node, before it starts: on a host of its own (same identity, same allowlist as the
 * node's network will have), it finds a snapshot height, fetches that block's header and certificate with the
 * blocks-by-range protocol and decides whether to trust it, downloads the state at it ({@link StateChunkDownload})
 * and hands back what the store installs as its base. The node then starts as usual and block-syncs from the
 * height after.
 *
 * <p>Trust: with {@code sync.trust-height}/{@code sync.trust-hash} the block at that height must hash to the
 * operator's hash (as CometBFT's light client takes a trusted header). Without them, the node trusts only
 * genesis: it follows the validator set from genesis's through each change a peer proves (the last block of the
 * old set, certified by it, whose state holds the new set: {@link ValidatorSetFollower}), then requires a quorum
 * certificate of the set in force at the snapshot height. At most {@link #SET_CHANGES_MAX} changes are followed.
 */
public final class StateSyncBootstrap {
  private static final Logger log = LoggerFactory.getLogger(StateSyncBootstrap.class);
  /** Past the request layer's own timeout, when the download gives up on an answer that never came. */
  static final long CHUNK_ANSWER_SLACK_MILLIS = 5_000;
  /** Validator-set changes followed from genesis in one sync; past that, a trusted height and hash are needed. */
  static final int SET_CHANGES_MAX = 10_000;

  /** What the store installs: the trusted block at the snapshot height, the state after it, who finalizes next. */
  public record Snapshot(FinalizedBlock block, SortedMap<Hash, Bytes> state, ValidatorSet nextValidators) {}

  /** State sync cannot go on; the message says what the operator can do. */
  public static final class StateSyncException extends RuntimeException {
    public StateSyncException(String message) {
      super(message);
    }
  }

  private StateSyncBootstrap() {}

  public static Snapshot run(NetworkSettings p2p, SyncConfig sync, GenesisConfig genesis, P2pIdentity identity)
      throws InterruptedException {
    if (sync.snapshotIntervalHeights() <= 0 && sync.trustHeight() <= 0) {
      throw new StateSyncException("sync.mode = \"state\" needs sync.snapshot-interval (the network's) or a "
          + "trust height to know which height to ask for");
    }
    NetworkTopics topics = new NetworkTopics(genesis.chainId());
    NetworkLimits limits = NetworkLimits.forBlockBytesMax(genesis.consensus().blockBytesMax());
    List<PeerId> observers = p2p.observers().stream().map(PeerId::fromBase58).toList();
    PeerAllowlist allowed = PeerAllowlist.of(genesis.validatorSet(), genesis.observers(), observers);
    ConnectionGater gater = ConnectionGater.forChain(genesis.chainId(), allowed.keys(), allowed.peers(),
        p2p.acceptNodeKeyIdentities());
    Host host = new Host(identity.hostKey(), limits.p2p().withConnectionsMax(p2p.connectionsMax())
        .withAdmission(p2p.admission()), gater, Optional.of(identity.binding()));
    // The joiner's own request/response, used only for the sync: its requests time out after the configured wait.
    RequestResponseConfig q = limits.requests();
    RequestResponse requests = new RequestResponse(host, new RequestResponseConfig(
        sync.waits().chunkRequestTimeoutMillis(), q.requestBytesMax(), q.responseBytesMax(), q.outboundRequestsPerPeerMax(),
        q.inboundRequestsPerPeerMax()));
    try {
      // Listen on an ephemeral port: the node's own port is bound later by its real network.
      host.start(List.of(Multiaddr.parse("/ip4/0.0.0.0/tcp/0")));
      for (String bootnode : p2p.bootnodes()) {
        host.dial(Multiaddr.parse(bootnode)).exceptionally(e -> null);
      }
      waitForPeers(host, sync.waits().peerWaitMillis());
      FinalizedBlock base = trustedBlock(host, requests, topics, genesis, sync);
      long height = base.block().height();
      log.info("event=state_sync_started height={} block={} state_root={} chunks={} peers={}", height,
          base.block().hash().shortHex(), base.block().header().stateRoot().shortHex(), 1L << sync.chunkPrefixBits(),
          host.peers().size());
      long started = System.currentTimeMillis();
      StateChunkDownload.Result result = new StateChunkDownload<>(transport(host, requests, topics, sync),
          System::currentTimeMillis, sync.chunkRequestsInFlightMax(), sync.waits().noPeerGraceMillis(),
          sync.waits().chunkRequestTimeoutMillis() + CHUNK_ANSWER_SLACK_MILLIS)
          .run(height, base.block().header().stateRoot(), sync.chunkPrefixBits(), started + sync.waits().downloadDeadlineMillis());
      Bytes encodedSet = Optional.ofNullable(result.state().get(StateKeys.VALIDATOR_SET))
          .orElseThrow(() -> new StateSyncException("the snapshot at height " + height + " holds no validator set"));
      ValidatorSet next = LedgerCodec.decodeValidatorSet(encodedSet.unsafeArray());
      log.info("event=state_sync_downloaded height={} keys={} chunks={} rejected_chunks={} failed_requests={} "
          + "punished={} millis={}", height, result.state().size(), result.chunks(), result.rejectedChunks(),
          result.failedRequests(), result.punished().size(), System.currentTimeMillis() - started);
      return new Snapshot(base, result.state(), next);
    } finally {
      requests.close();
      host.stop();
    }
  }

  private static void waitForPeers(Host host, long peerWaitMillis) throws InterruptedException {
    long until = System.currentTimeMillis() + peerWaitMillis;
    while (host.peers().isEmpty()) {
      if (System.currentTimeMillis() > until) {
        throw new StateSyncException("no peer connected within " + peerWaitMillis + " ms (sync.peer-wait-millis); check p2p.bootnodes");
      }
      Thread.sleep(100);
    }
    Thread.sleep(1_000); // let the other bootnodes connect too, to spread the download
  }

  /**
   * The block at the snapshot height, from the first peer that has it and whose copy passes the trust check.
   * Without a trusted hash, the validator set is followed from genesis's through the peers' set-change evidence
   * ({@link ValidatorSetFollower}); what was verified from one peer stays trusted when the next is asked.
   */
  private static FinalizedBlock trustedBlock(Host host, RequestResponse requests, NetworkTopics topics,
      GenesisConfig genesis, SyncConfig sync) {
    long height = sync.trustHeight() > 0 ? sync.trustHeight() : latestSnapshotHeight(host, requests, topics, sync);
    if (sync.snapshotIntervalHeights() > 0 && height % sync.snapshotIntervalHeights() != 0) {
      throw new StateSyncException("trust height " + height + " is not a snapshot height (a multiple of "
          + sync.snapshotIntervalHeights() + ")");
    }
    ValidatorSetFollower follower = new ValidatorSetFollower(genesis.validatorSet(), 0, SET_CHANGES_MAX);
    for (PeerInfo peer : host.peers()) {
      Response response = requests.request(peer.peer(), topics.blocksProtocol(),
          SyncCodec.encode(new SyncCodec.BlocksRequest(height, 1))).join();
      if (!(response instanceof Response.Ok ok)
          || !(SyncCodec.decodeBlocks(ok.body().toByteArray()) instanceof SyncCodec.Decoding.Ok<List<FinalizedBlock>> blocks)
          || blocks.value().isEmpty() || blocks.value().get(0).block().height() != height) {
        continue;
      }
      FinalizedBlock block = blocks.value().get(0);
      Validation trust = trust(block, sync, follower);
      if (trust instanceof Validation.Invalid invalid && invalid.reason().equals("validator_set_not_followed")) {
        followSetChanges(peer.peer(), requests, topics, follower, height);
        trust = trust(block, sync, follower);
      }
      if (trust.isValid()) {
        log.info("event=state_sync_header_trusted peer={} height={} block={} set_changes_followed={} set_in_force_from={}",
            peer.peer().shortText(), height, block.block().hash().shortHex(), follower.changesFollowed(), follower.inForceFrom());
        return block;
      }
      log.warn("event=state_sync_header_refused peer={} height={} reason=\"{}\"", peer.peer().shortText(), height, trust);
    }
    throw new StateSyncException("no peer served a trusted block at height " + height + " (validator set followed "
        + "from genesis through " + follower.changesFollowed() + " changes, in force from height " + follower.inForceFrom()
        + "); start with --trust-height H --trust-hash 0x.. (a snapshot height's block hash from a node you trust)");
  }

  /** With the operator's hash, that hash; otherwise the set followed so far must have certified the block. */
  static Validation trust(FinalizedBlock block, SyncConfig sync, ValidatorSetFollower follower) {
    Hash hash = block.block().hash();
    if (!block.certificate().blockHash().equals(hash)) {
      return Validation.invalid("certificate_mismatch", "the certificate is for another block");
    }
    if (sync.trustHash().isPresent()) {
      return sync.trustHash().get().equals(hash) ? Validation.VALID
          : Validation.invalid("trust_hash_mismatch", "block " + hash.toHex() + " is not the trusted " + sync.trustHash().get().toHex());
    }
    return follower.trust(block);
  }

  /**
   * Asks {@code peer} for the set changes after the last one followed, a response at a time, until none is left
   * below {@code height} or one fails verification (then the next peer is asked). Each round adopts at least one
   * change or ends, and the follower caps the changes, so this asks a bounded number of times.
   */
  private static void followSetChanges(PeerId peer, RequestResponse requests, NetworkTopics topics,
      ValidatorSetFollower follower, long height) {
    while (follower.inForceFrom() < height) {
      Response response = requests.request(peer, topics.validatorSetChangesProtocol(), ValidatorSetChangeCodec.encode(
          new ValidatorSetChangeCodec.Request(follower.inForceFrom(), ValidatorSetChangeCodec.CHANGES_PER_RESPONSE_MAX))).join();
      List<ValidatorSetChange> changes = switch (response) {
        case Response.Ok ok -> switch (ValidatorSetChangeCodec.decodeChanges(ok.body().toByteArray())) {
          case SyncCodec.Decoding.Ok<List<ValidatorSetChange>> decoded -> decoded.value();
          case SyncCodec.Decoding.Malformed<List<ValidatorSetChange>> malformed -> {
            log.warn("event=state_sync_set_changes_refused peer={} reason=\"{}\"", peer.shortText(), malformed.reason());
            yield List.of();
          }
        };
        case Response.Failed failed -> {
          log.info("event=state_sync_set_changes_failed peer={} reason=\"{}: {}\"", peer.shortText(), failed.reason(), failed.detail());
          yield List.of();
        }
      };
      if (changes.isEmpty()) {
        return;
      }
      for (ValidatorSetChange change : changes) {
        if (change.inForceFrom() > height) {
          return;
        }
        Validation followed = follower.follow(change);
        if (followed instanceof Validation.Invalid invalid) {
          log.warn("event=state_sync_set_change_refused peer={} in_force_from={} reason=\"{}\"", peer.shortText(),
              change.inForceFrom(), invalid);
          return;
        }
        log.info("event=state_sync_set_change_followed peer={} in_force_from={} validators={} set={}", peer.shortText(),
            change.inForceFrom(), change.next().size(), change.next().hash().shortHex());
      }
    }
  }

  /** The highest snapshot height at or below the median of the peers' heads. */
  private static long latestSnapshotHeight(Host host, RequestResponse requests, NetworkTopics topics, SyncConfig sync) {
    List<Long> heads = host.peers().stream()
        .map(peer -> requests.request(peer.peer(), topics.statusProtocol(), new byte[0]))
        .map(CompletableFuture::join)
        .filter(Response.Ok.class::isInstance)
        .map(r -> SyncCodec.decodeStatus(((Response.Ok) r).body().toByteArray()))
        .filter(SyncCodec.Decoding.Ok.class::isInstance)
        .map(d -> ((SyncCodec.Decoding.Ok<SyncCodec.Status>) d).value().height())
        .sorted()
        .toList();
    if (heads.isEmpty()) {
      throw new StateSyncException("no peer answered a status request");
    }
    long median = heads.get(heads.size() / 2);
    long interval = sync.snapshotIntervalHeights();
    long height = median / interval * interval;
    if (height < 1) {
      throw new StateSyncException("the peers' head " + median + " has no snapshot yet (every " + interval + " heights)");
    }
    return height;
  }

  private static StateChunkDownload.Transport<PeerId> transport(Host host, RequestResponse requests, NetworkTopics topics,
      SyncConfig sync) {
    return new StateChunkDownload.Transport<>() {
      @Override
      public List<PeerId> peers() {
        return host.peers().stream().map(PeerInfo::peer).toList();
      }

      @Override
      public CompletableFuture<StateChunkDownload.Reply> fetch(PeerId peer, SnapshotCodec.ChunkRequest request) {
        return requests.request(peer, topics.snapshotProtocol(), SnapshotCodec.encode(request)).thenApply(response ->
            switch (response) {
              case Response.Ok ok -> switch (SnapshotCodec.decodeChunk(ok.body().toByteArray(), sync.chunkBytesMax())) {
                case SyncCodec.Decoding.Ok<dev.cairn.ledger.state.StateChunk> chunk -> new StateChunkDownload.Reply.Chunk(chunk.value());
                case SyncCodec.Decoding.Malformed<dev.cairn.ledger.state.StateChunk> malformed ->
                    new StateChunkDownload.Reply.Failed(malformed.reason());
              };
              case Response.Failed failed -> new StateChunkDownload.Reply.Failed(failed.reason() + ": " + failed.detail());
            });
      }

      @Override
      public void punish(PeerId peer, String reason) {
        log.warn("event=state_sync_peer_disconnected peer={} reason=\"{}\"", peer.shortText(), reason);
        host.disconnect(peer);
      }
    };
  }
}
