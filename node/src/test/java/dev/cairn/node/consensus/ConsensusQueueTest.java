package dev.cairn.node.consensus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.consensus.ConsensusConfig;
import dev.cairn.consensus.HeightContext;
import dev.cairn.consensus.MessageValidator;
import dev.cairn.consensus.Preverified;
import dev.cairn.consensus.SignatureVerifier;
import dev.cairn.consensus.driver.DriverEvent;
import dev.cairn.consensus.message.ConsensusMessage;
import dev.cairn.consensus.message.MessageBody;
import dev.cairn.consensus.message.MessageCodec;
import dev.cairn.consensus.message.SignedMessage;
import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.model.Block;
import dev.cairn.ledger.model.BlockHeader;
import dev.cairn.ledger.model.CommitSeal;
import dev.cairn.ledger.model.MerkleRoot;
import dev.cairn.ledger.model.ValidatorSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The consensus thread's one inbound path: votes first, then the other events, then proposals and round changes. */
class ConsensusQueueTest {
  private static final KeyPair KEY = KeyPair.fromSeedText("queue-test");

  private static Bytes prepare(long height) {
    return Bytes.wrap(MessageCodec.encode(ConsensusMessage.vote(
        SignedMessage.sign(KEY, new MessageBody.Prepare(height, 0, Hash.ZERO)))));
  }

  private static Bytes roundChange(long height) {
    return Bytes.wrap(MessageCodec.encode(ConsensusMessage.vote(
        SignedMessage.sign(KEY, new MessageBody.RoundChange(height, 1, Optional.empty())))));
  }

  private static Bytes bytesOf(DriverEvent event) {
    return ((DriverEvent.MessageReceived) event).bytes();
  }

  /** A queue whose consensus thread has taken its start event, as every running driver's has. */
  private static ConsensusQueue started() throws InterruptedException {
    ConsensusQueue queue = new ConsensusQueue(16);
    queue.put(new DriverEvent.Start(false));
    assertThat(queue.take()).isInstanceOf(DriverEvent.Start.class);
    return queue;
  }

  @Test
  void votesComeFirstThenEventsThenOtherMessages() throws Exception {
    ConsensusQueue queue = started();
    queue.onPeerMessage(roundChange(1), "a");
    queue.notifyPeerLost();
    queue.onPeerMessage(prepare(1), "b");
    queue.onPeerMessage(prepare(2), "c");
    assertThat(bytesOf(queue.take())).isEqualTo(prepare(1));
    assertThat(bytesOf(queue.take())).isEqualTo(prepare(2));
    assertThat(queue.take()).isInstanceOf(DriverEvent.PeerLost.class);
    assertThat(bytesOf(queue.take())).isEqualTo(roundChange(1));
  }

  /**
   * Peers that are faster than our own consensus thread: their votes wait behind the start event, not ahead
   * of it, since a driver that has not started judges them as an observer and drops them (VotePathUnderFloodTest
   * stalled for a round timeout whenever its votes won that race).
   */
  @Test
  void peersMessagesWaitUntilTheStartHasBeenTaken() throws Exception {
    ConsensusQueue queue = new ConsensusQueue(16);
    queue.onPeerMessage(prepare(1), "a");
    queue.onPeerMessage(roundChange(1), "b");
    queue.notifyPeerLost();
    queue.put(new DriverEvent.Start(false));
    assertThat(queue.take()).isInstanceOf(DriverEvent.PeerLost.class);
    assertThat(queue.take()).isInstanceOf(DriverEvent.Start.class);
    assertThat(bytesOf(queue.take())).isEqualTo(prepare(1));
    assertThat(bytesOf(queue.take())).isEqualTo(roundChange(1));
  }

  @Test
  void aTakeWaitingOnAnEmptyQueueWakesForAPeerMessage() throws Exception {
    ConsensusQueue queue = started();
    CompletableFuture<DriverEvent> taken = CompletableFuture.supplyAsync(() -> {
      try {
        return queue.take();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    Thread.sleep(50);
    queue.onPeerMessage(prepare(1), "a");
    assertThat(bytesOf(taken.get(5, TimeUnit.SECONDS))).isEqualTo(prepare(1));
  }

  @Test
  void aFullVoteLaneDropsAndCountsVotesOnly() {
    PriorityInbox<DriverEvent> inbox = new PriorityInbox<>(new PriorityInbox.LaneLimits(2, 1L << 20, 1L << 20),
        new PriorityInbox.LaneLimits(1, 1L << 20, 1L << 20));
    ConsensusQueue queue = new ConsensusQueue(16, inbox);
    for (int i = 0; i < 5; i++) {
      queue.onPeerMessage(prepare(i + 1), "a");
      queue.onPeerMessage(roundChange(i + 1), "a");
    }
    assertThat(queue.droppedConsensusVotes()).isEqualTo(3);
    assertThat(queue.droppedPeerMessages()).isEqualTo(7);
  }

  /**
   * A message the relay decoded and checked waits in the lane of its kind, counted at
   * {@link Preverified#HEAP_BYTES_PER_WIRE_BYTE} times its wire size (a bound on its decoded heap), and comes
   * out decoded.
   */
  @Test
  void aCheckedMessageTakesItsLaneCountedAtTheHeapBoundOfItsDecodedForm() throws Exception {
    MessageValidator checks = new MessageValidator(ConsensusConfig.defaults(), SignatureVerifier.ED25519);
    for (ConsensusMessage message : messagesOfEveryKind()) {
      Bytes wire = Bytes.wrap(MessageCodec.encode(message));
      PriorityInbox<DriverEvent> undecoded = ConsensusQueue.defaultInbox(16);
      PriorityInbox<DriverEvent> checked = ConsensusQueue.defaultInbox(16);
      new ConsensusQueue(16, undecoded).onPeerMessage(wire, "a");
      Preverified preverified = checks.preverify(message, CONTEXT).preverified().orElseThrow();
      ConsensusQueue checkedQueue = new ConsensusQueue(16, checked);
      checkedQueue.onCheckedPeerMessage(preverified, wire, "a");
      for (PriorityInbox.Lane lane : PriorityInbox.Lane.values()) {
        assertThat(checked.size(lane)).as("%s %s", message.kind(), lane).isEqualTo(undecoded.size(lane));
        assertThat(checked.bytes(lane)).as("%s %s", message.kind(), lane)
            .isEqualTo(undecoded.bytes(lane) * Preverified.HEAP_BYTES_PER_WIRE_BYTE);
      }
      checkedQueue.put(new DriverEvent.Start(false));
      assertThat(checkedQueue.take()).isInstanceOf(DriverEvent.Start.class);
      assertThat(checkedQueue.take()).isEqualTo(new DriverEvent.PreverifiedMessageReceived(preverified));
    }
  }

  /**
   * Where the decoded form does not fit the peer's share but the wire form does, the message waits undecoded,
   * counted at its wire size, as if it had come unchecked: checking early never costs a message its place.
   * Only when neither form fits is it dropped, and counted once.
   */
  @Test
  void aCheckedMessageTooLargeDecodedWaitsUndecodedAndIsDroppedOnlyWhenNeitherFits() throws Exception {
    MessageValidator checks = new MessageValidator(ConsensusConfig.defaults(), SignatureVerifier.ED25519);
    ConsensusMessage prepare = messagesOfEveryKind().getFirst();
    Bytes wire = Bytes.wrap(MessageCodec.encode(prepare));
    Preverified preverified = checks.preverify(prepare, CONTEXT).preverified().orElseThrow();
    // A peer's share holds one decoded copy (three times the wire size) and one more wire copy, no more.
    long share = 4L * wire.size();
    PriorityInbox<DriverEvent> inbox = new PriorityInbox<>(new PriorityInbox.LaneLimits(16, 4 * share, share),
        new PriorityInbox.LaneLimits(16, 4 * share, share));
    ConsensusQueue queue = new ConsensusQueue(16, inbox);
    queue.onCheckedPeerMessage(preverified, wire, "a");
    queue.onCheckedPeerMessage(preverified, wire, "a");
    queue.onCheckedPeerMessage(preverified, wire, "a");
    assertThat(inbox.size(PriorityInbox.Lane.VOTES)).isEqualTo(2);
    assertThat(inbox.bytes(PriorityInbox.Lane.VOTES)).isEqualTo(4L * wire.size());
    assertThat(inbox.dropped(PriorityInbox.Lane.VOTES)).isEqualTo(1);
    queue.put(new DriverEvent.Start(false));
    assertThat(queue.take()).isInstanceOf(DriverEvent.Start.class);
    assertThat(queue.take()).isEqualTo(new DriverEvent.PreverifiedMessageReceived(preverified));
    assertThat(queue.take()).isEqualTo(new DriverEvent.MessageReceived(wire));
    assertThat(inbox.bytes(PriorityInbox.Lane.VOTES)).isZero();
  }

  private static final HeightContext CONTEXT =
      HeightContext.of(1, Hash.ZERO, new ValidatorSet(List.of(KEY.publicKey())));

  /** A PREPARE, a COMMIT, a ROUND_CHANGE and a PROPOSAL of height 1 by the one validator of {@link #CONTEXT}. */
  private static List<ConsensusMessage> messagesOfEveryKind() {
    ValidatorSet validators = new ValidatorSet(List.of(KEY.publicKey()));
    Block block = new Block(new BlockHeader(1, Hash.ZERO, 1, KEY.publicKey(), 0, Block.txRoot(List.of()),
        MerkleRoot.ofReceipts(List.of()), Hash.ZERO, validators.hash()), List.of());
    return List.of(
        ConsensusMessage.vote(SignedMessage.sign(KEY, new MessageBody.Prepare(1, 0, block.hash()))),
        ConsensusMessage.vote(SignedMessage.sign(KEY, new MessageBody.Commit(1, 0, block.hash(),
            CommitSeal.sign(KEY, block.hash()).signature()))),
        ConsensusMessage.vote(SignedMessage.sign(KEY, new MessageBody.RoundChange(1, 1, Optional.empty()))),
        new ConsensusMessage(SignedMessage.sign(KEY, new MessageBody.Proposal(1, 0, block)), List.of(), Optional.empty()));
  }
}
