package dev.cairn.node.consensus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.ledger.bytes.Bytes;
import org.junit.jupiter.api.Test;

class PriorityInboxTest {
  private final PriorityInbox<Bytes> inbox = new PriorityInbox<>(
      new PriorityInbox.LaneLimits(100, 1_000, 400), new PriorityInbox.LaneLimits(10, 10_000, 5_000));

  private static Bytes bytes(int size, int tag) {
    byte[] out = new byte[size];
    out[0] = (byte) tag;
    return Bytes.wrap(out);
  }

  /** A message counted at its size, as the node counts one at its size on the wire. */
  private boolean offer(PriorityInbox.Lane lane, String source, Bytes message) {
    return inbox.offer(lane, source, message, message.size());
  }

  @Test
  void votesAreTakenBeforeAnyOtherMessageWhateverTheOrderOfArrival() {
    offer(PriorityInbox.Lane.OTHER, "a", bytes(3_000, 1));
    offer(PriorityInbox.Lane.VOTES, "b", bytes(100, 2));
    offer(PriorityInbox.Lane.OTHER, "a", bytes(1_000, 3));
    offer(PriorityInbox.Lane.VOTES, "c", bytes(100, 4));
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
      if (offer(PriorityInbox.Lane.VOTES, "flooder", bytes(100, i))) {
        accepted++;
      }
    }
    assertThat(accepted).isEqualTo(4);
    assertThat(inbox.dropped(PriorityInbox.Lane.VOTES)).isEqualTo(46);
    assertThat(offer(PriorityInbox.Lane.VOTES, "honest", bytes(100, 0))).isTrue();
    assertThat(inbox.bytes(PriorityInbox.Lane.VOTES)).isEqualTo(500);
    // The other lane's flood does not touch the votes' room.
    for (int i = 0; i < 50; i++) {
      offer(PriorityInbox.Lane.OTHER, "flooder" + i, bytes(2_000, i));
    }
    assertThat(inbox.bytes(PriorityInbox.Lane.OTHER)).isLessThanOrEqualTo(10_000);
    assertThat(offer(PriorityInbox.Lane.VOTES, "honest", bytes(100, 0))).isTrue();
    // Taking a message frees its source's share.
    while (inbox.size(PriorityInbox.Lane.VOTES) > 0) {
      inbox.poll();
    }
    assertThat(offer(PriorityInbox.Lane.VOTES, "flooder", bytes(400, 0))).isTrue();
  }
}
