package dev.cairn.network;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.network.ConsensusNetwork;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The consensus driver's outbox on the chain's consensus gossip topic. Never blocks: publish is queued. Each
 * send goes in a {@link ConsensusEnvelope} with a new sequence number, so that re-sending the same signed
 * message is not taken for a duplicate by content-addressed gossip.
 */
final class GossipConsensusNetwork implements ConsensusNetwork {
  private final Consumer<byte[]> publish;
  private final AtomicLong sequence;
  private final Predicate<PublicKey> connected;

  /**
   * @param firstSequence where this process's sequence starts; wall-clock microseconds keep a restarted node
   *     from repeating the sequences (and so the ids) of its sends before the restart
   * @param publish queues one envelope on the consensus topic; must not block
   * @param connected whether this node has a live connection to a validator's peer (or is that validator)
   */
  GossipConsensusNetwork(long firstSequence, Consumer<byte[]> publish, Predicate<PublicKey> connected) {
    this.publish = Objects.requireNonNull(publish, "publish");
    this.sequence = new AtomicLong(firstSequence);
    this.connected = Objects.requireNonNull(connected, "connected");
  }

  GossipConsensusNetwork(long firstSequence, Consumer<byte[]> publish) {
    this(firstSequence, publish, validator -> true);
  }

  @Override
  public boolean isReachable(PublicKey validator) {
    return connected.test(validator);
  }

  @Override
  public void broadcast(Bytes encodedMessage) {
    publish.accept(ConsensusEnvelope.seal(sequence.getAndIncrement(), encodedMessage));
  }
}
