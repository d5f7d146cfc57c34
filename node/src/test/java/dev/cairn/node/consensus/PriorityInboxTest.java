package dev.cairn.node.consensus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.ledger.bytes.Bytes;
import org.junit.jupiter.api.Test;

class PriorityInboxTest {
  private final PriorityInbox inbox = new PriorityInbox(
      new PriorityInbox.LaneLimits(100, 1_000, 400), new PriorityInbox.LaneLimits(10, 10_000, 5_000));

  private static Bytes bytes(int size, int tag) {
    byte[] out = new byte[size];
    out[0] = (byte) tag;
    return Bytes.wrap(out);
  }

  @Test
  void votesAreTakenBeforeAnyOtherMessageWhateverTheOrderOfArrival() {
    inbox.offer(PriorityInbox.Lane.OTHER, "a", bytes(3_000, 1));
    inbox.offer(PriorityInbox.Lane.VOTES, "b", bytes(100, 2));
    inbox.offer(PriorityInbox.Lane.OTHER, "a", bytes(1_000, 3));
    inbox.offer(PriorityInbox.Lane.VOTES, "c", bytes(100, 4));
    assertThat(inbox.poll().unsafeArray()[0]).isEqualTo((byte) 2);
    assertThat(inbox.poll().unsafeArray()[0]).isEqualTo((byte) 4);
    assertThat(inbox.poll().unsafeArray()[0]).isEqualTo((byte) 1);
    assertThat(inbox.poll().unsafeArray()[0]).isEqualTo((byte) 3);
    assertThat(inbox.poll()).isNull();
  }

  /** A flood from one peer fills its own share of bytes; another peer's votes still get in. */
  @Test
  void eachLaneIsBoundedInBytesPerSourceAndInTotalAndDropsAreCounted() {
    int accepted = 0;
    for (int i = 0; i < 50; i++) {
      if (inbox.offer(PriorityInbox.Lane.VOTES, "flooder", bytes(100, i))) {
        accepted++;
      }
    }
    assertThat(accepted).isEqualTo(4);
    assertThat(inbox.dropped(PriorityInbox.Lane.VOTES)).isEqualTo(46);
    assertThat(inbox.offer(PriorityInbox.Lane.VOTES, "honest", bytes(100, 0))).isTrue();
    assertThat(inbox.bytes(PriorityInbox.Lane.VOTES)).isEqualTo(500);
    // The other lane's flood does not touch the votes' room.
    for (int i = 0; i < 50; i++) {
      inbox.offer(PriorityInbox.Lane.OTHER, "flooder" + i, bytes(2_000, i));
    }
    assertThat(inbox.bytes(PriorityInbox.Lane.OTHER)).isLessThanOrEqualTo(10_000);
    assertThat(inbox.offer(PriorityInbox.Lane.VOTES, "honest", bytes(100, 0))).isTrue();
    // Taking a message frees its source's share.
    while (inbox.size(PriorityInbox.Lane.VOTES) > 0) {
      inbox.poll();
    }
    assertThat(inbox.offer(PriorityInbox.Lane.VOTES, "flooder", bytes(400, 0))).isTrue();
  }
}
