package dev.cairn.adversary;

import java.util.concurrent.TimeoutException;
import java.util.concurrent.ExecutionException;
import com.google.protobuf.ByteString;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.network.NetworkLimits;
import dev.cairn.network.P2pIdentity;
import dev.cairn.network.NetworkTopics;
import dev.cairn.network.SyncCodec;
import dev.cairn.ledger.model.FinalizedBlock;
import dev.cairn.p2p.gossip.GossipService;
import dev.cairn.p2p.gossip.MessageIdFunction;
import dev.cairn.p2p.gossip.PublishResult;
import dev.cairn.p2p.gossip.ReceivedMessage;
import dev.cairn.p2p.host.ConnectionGater;
import dev.cairn.p2p.host.Host;
import dev.cairn.p2p.identity.HostKey;
import dev.cairn.p2p.identity.Multiaddr;
import dev.cairn.p2p.identity.PeerId;
import dev.cairn.p2p.reqresp.RequestResponse;
import dev.cairn.p2p.reqresp.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * One identity (a validator's or an observer's node key, behind a fresh p2p key it binds as a node of this
 * release does: {@link P2pIdentity}) on several connections, one per target node, each with
 * its own GossipSub router: a "face". Publishing on one face reaches only that face's target (which then
 * relays what it accepts), so the attacker can tell each honest node something different; publishing on
 * all is what an honest node does. Built from the node's own pieces: the p2p {@link Host}, {@link
 * GossipService} with the chain's limits and content ids, the chain's topics, and the sync protocol to read
 * finalized blocks. Faces never listen: honest nodes cannot dial them.
 */
final class PeerFaces implements AutoCloseable {
  private static final long CONNECT_TIMEOUT_MILLIS = 30_000;

  /** One connection to one target. */
  record Face(Multiaddr target, PeerId peer, Host host, GossipService gossip, RequestResponse requests) {}

  final NetworkTopics topics;
  private final List<Face> faces = new ArrayList<>();

  private PeerFaces(NetworkTopics topics) {
    this.topics = topics;
  }

  /**
   * Connects {@code nodeKey}'s new p2p identity to every target ({@code /ip4/../tcp/../p2p/..}, by its p2p
   * key's ID or by the ID its node key derives, as configs written before p2p keys name it) and subscribes each
   * face to {@code topics}; {@code onMessage} gets (face index, message) for everything the targets relay.
   */
  static PeerFaces connect(KeyPair nodeKey, String chainId, int blockBytesMax, List<Multiaddr> targets,
      List<String> subscriptions, BiConsumer<Integer, ReceivedMessage> onMessage) throws InterruptedException {
    NetworkTopics topics = new NetworkTopics(chainId);
    NetworkLimits limits = NetworkLimits.forBlockBytesMax(blockBytesMax);
    PeerFaces faces = new PeerFaces(topics);
    P2pIdentity identity = P2pIdentity.ephemeral(nodeKey, chainId);
    HostKey key = identity.hostKey();
    try {
      for (Multiaddr target : targets) {
        PeerId named = target.peerId().orElseThrow(() -> new IllegalArgumentException("target without /p2p/ id: " + target));
        Host host = new Host(key, limits.p2p(), ConnectionGater.forChain(chainId, Set.of(), Set.of(named)),
            Optional.of(identity.binding()));
        GossipService gossip = new GossipService(host, key, limits.gossip(), MessageIdFunction.contentHash());
        RequestResponse requests = new RequestResponse(host, limits.requests());
        gossip.start();
        int index = faces.faces.size();
        for (String topic : subscriptions) {
          gossip.subscribe(topic, received -> onMessage.accept(index, received)).join();
        }
        host.start(List.of());
        // Not added before the dial: a face names the peer that answered (its p2p key's ID), not the configured one.
        PeerId peer;
        try {
          peer = host.dial(target).get(CONNECT_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException | RuntimeException | InterruptedException e) {
          gossip.close();
          requests.close();
          host.stop();
          throw e;
        }
        faces.faces.add(new Face(target, peer, host, gossip, requests));
      }
      for (String topic : subscriptions) {
        faces.awaitMesh(topic);
      }
      return faces;
    } catch (ExecutionException | TimeoutException e) {
      faces.close();
      throw new IllegalStateException("cannot connect: " + e.getMessage(), e);
    } catch (RuntimeException | InterruptedException e) {
      faces.close();
      throw e;
    }
  }

  /** Waits (bounded) until every target has us in its mesh of {@code topic}: only then do publishes reach it. */
  private void awaitMesh(String topic) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CONNECT_TIMEOUT_MILLIS);
    for (Face face : faces) {
      while (!face.gossip().meshPeers(topic).join().contains(face.peer())) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("target " + face.peer() + " did not join our mesh of " + topic);
        }
        Thread.sleep(100);
      }
    }
  }

  int size() {
    return faces.size();
  }

  Face face(int index) {
    return faces.get(index);
  }

  /** Publishes on one face: only that face's target gets it from us. */
  CompletableFuture<PublishResult> publish(int face, String topic, byte[] data) {
    return faces.get(face).gossip().publish(topic, data);
  }

  /** Publishes the same bytes on every face. */
  void publishAll(String topic, byte[] data) {
    for (int i = 0; i < faces.size(); i++) {
      publish(i, topic, data);
    }
  }

  /** Whether any face is still connected to its target. */
  boolean anyConnected() {
    return faces.stream().anyMatch(f -> f.host().isConnected(f.peer()));
  }

  /** Finalized blocks from {@code fromHeight}, asked of the first target that answers; empty if none has more. */
  List<FinalizedBlock> blocksFrom(long fromHeight, int countMax) {
    byte[] request = SyncCodec.encode(new SyncCodec.BlocksRequest(fromHeight, countMax));
    for (Face face : faces) {
      Optional<List<FinalizedBlock>> blocks = ask(face, request);
      if (blocks.isPresent() && !blocks.get().isEmpty()) {
        return blocks.get();
      }
    }
    return List.of();
  }

  private Optional<List<FinalizedBlock>> ask(Face face, byte[] request) {
    try {
      Response response = face.requests().request(face.peer(), topics.blocksProtocol(), request).get(10, TimeUnit.SECONDS);
      if (response instanceof Response.Ok ok) {
        ByteString body = ok.body();
        if (SyncCodec.decodeBlocks(body.toByteArray()) instanceof SyncCodec.Decoding.Ok<List<FinalizedBlock>> decoded) {
          return Optional.of(decoded.value());
        }
      }
      return Optional.empty();
    } catch (ExecutionException | TimeoutException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  @Override
  public void close() {
    for (Face face : faces) {
      face.gossip().close();
      face.requests().close();
      face.host().stop();
    }
  }
}
