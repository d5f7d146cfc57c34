package dev.cairn.node.consensus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.consensus.driver.DriverEvent;
import dev.cairn.consensus.message.ConsensusMessage;
import dev.cairn.consensus.message.MessageBody;
import dev.cairn.consensus.message.MessageCodec;
import dev.cairn.consensus.message.SignedMessage;
import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.crypto.KeyPair;
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
    PriorityInbox inbox = new PriorityInbox(new PriorityInbox.LaneLimits(2, 1L << 20, 1L << 20),
        new PriorityInbox.LaneLimits(1, 1L << 20, 1L << 20));
    ConsensusQueue queue = new ConsensusQueue(16, inbox);
    for (int i = 0; i < 5; i++) {
      queue.onPeerMessage(prepare(i + 1), "a");
      queue.onPeerMessage(roundChange(i + 1), "a");
    }
    assertThat(queue.droppedConsensusVotes()).isEqualTo(3);
    assertThat(queue.droppedPeerMessages()).isEqualTo(7);
  }
}
