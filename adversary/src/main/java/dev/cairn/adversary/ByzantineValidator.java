package dev.cairn.adversary;

import dev.cairn.network.NetworkTopics;
import dev.cairn.consensus.message.ConsensusMessage;
import dev.cairn.consensus.message.MessageBody;
import dev.cairn.consensus.message.MessageCodec;
import dev.cairn.consensus.message.SignedMessage;
import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.model.Block;
import dev.cairn.ledger.model.CommitSeal;
import dev.cairn.network.ConsensusEnvelope;
import dev.cairn.p2p.gossip.ReceivedMessage;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A validator's key in an attacker's hands: signs whatever the attack wants (two proposals in one round, a
 * prepare for each, a commit it never should) with the node's own message types, codec and envelope, and
 * sends each message to the honest nodes it chooses ({@link PeerFaces}). It follows the chain in a {@link
 * ShadowChain}, so its blocks execute everywhere, and hears every consensus message the honest nodes relay.
 * Apart from what an attack sends it is silent: it never votes for honest proposals (one faulty validator of
 * four is what the network must tolerate).
 */
final class ByzantineValidator implements AutoCloseable {
  private static final long POLL_MILLIS = 50;

  private final KeyPair key;
  final PeerFaces faces;
  final ShadowChain chain;
  private final AtomicLong sequence = new AtomicLong(Math.multiplyExact(System.currentTimeMillis(), 1_000L));
  private final List<Consumer<ConsensusMessage>> listeners = new CopyOnWriteArrayList<>();

  private ByzantineValidator(KeyPair key, PeerFaces faces, ShadowChain chain) {
    this.key = key;
    this.faces = faces;
    this.chain = chain;
  }

  /** Connects to every target with the validator's key, follows the chain to the honest nodes' head. */
  static ByzantineValidator join(NetworkAccess access) throws InterruptedException {
    ShadowChain chain = ShadowChain.open(access.scratchDir(), access.genesis());
    ByzantineValidator[] self = new ByzantineValidator[1];
    try {
      String topic = new NetworkTopics(access.genesis().chainId()).consensus();
      PeerFaces faces = PeerFaces.connect(access.key(), access.genesis().chainId(),
          access.genesis().consensus().blockBytesMax(), access.targets(), List.of(topic),
          (face, received) -> { if (self[0] != null) self[0].deliver(received); });
      self[0] = new ByzantineValidator(access.key(), faces, chain);
      if (!access.genesis().validators().contains(access.key().publicKey())) {
        self[0].close();
        throw new IllegalArgumentException("key " + access.key().publicKey() + " is not a genesis validator");
      }
      chain.catchUp(faces);
      return self[0];
    } catch (RuntimeException | InterruptedException e) {
      if (self[0] == null) {
        chain.close();
      }
      throw e;
    }
  }

  PublicKey self() {
    return key.publicKey();
  }

  /** Every consensus message the targets relay (decoded, signature not checked), on a gossip thread. */
  void onMessage(Consumer<ConsensusMessage> listener) {
    listeners.add(listener);
  }

  private void deliver(ReceivedMessage received) {
    if (ConsensusEnvelope.open(received.message().data().toByteArray()) instanceof ConsensusEnvelope.Opening.Opened opened
        && MessageCodec.decode(opened.message().unsafeArray()) instanceof MessageCodec.Decoding.Decoded decoded) {
      listeners.forEach(l -> l.accept(decoded.message()));
    }
  }

  /**
   * Follows the chain until its next height is one this validator proposes in round 0, and returns that
   * height; -1 if {@code deadlineNanos} passes first.
   */
  long awaitOwnTurn(long deadlineNanos) throws InterruptedException {
    while (System.nanoTime() < deadlineNanos) {
      long next = chain.catchUp(faces) + 1;
      if (chain.nextValidators().proposer(next, 0).equals(self())) {
        return next;
      }
      Thread.sleep(POLL_MILLIS);
    }
    return -1;
  }

  /** Follows the chain until it holds {@code height}; false if the deadline passes first. */
  boolean awaitHeight(long height, long deadlineNanos) throws InterruptedException {
    while (System.nanoTime() < deadlineNanos) {
      if (chain.catchUp(faces) >= height) {
        return true;
      }
      Thread.sleep(POLL_MILLIS);
    }
    return false;
  }

  ConsensusMessage proposal(Block block, int round) {
    return new ConsensusMessage(SignedMessage.sign(key, new MessageBody.Proposal(block.height(), round, block)),
        List.of(), Optional.empty());
  }

  ConsensusMessage prepare(long height, int round, Hash block) {
    return ConsensusMessage.vote(SignedMessage.sign(key, new MessageBody.Prepare(height, round, block)));
  }

  ConsensusMessage commit(long height, int round, Hash block) {
    return ConsensusMessage.vote(SignedMessage.sign(key,
        new MessageBody.Commit(height, round, block, CommitSeal.sign(key, block).signature())));
  }

  /** The message in a fresh envelope, as the node's own gossip sends it. */
  byte[] seal(ConsensusMessage message) {
    return ConsensusEnvelope.seal(sequence.getAndIncrement(), Bytes.wrap(MessageCodec.encode(message)));
  }

  /** Sends to one target only; returns the bytes sent. */
  int sendTo(int face, ConsensusMessage message) {
    byte[] sealed = seal(message);
    faces.publish(face, faces.topics.consensus(), sealed);
    return sealed.length;
  }

  void sendToAll(ConsensusMessage message) {
    faces.publishAll(faces.topics.consensus(), seal(message));
  }

  @Override
  public void close() {
    faces.close();
    chain.close();
  }
}
