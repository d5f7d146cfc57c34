package dev.cairn.p2p.gossip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.p2p.identity.HostKey;
import dev.cairn.p2p.identity.PeerId;
import org.junit.jupiter.api.Test;

/** Issue 14: received RPCs waited for the router bounded only by count (65,536 RPCs of up to the RPC limit). */
class InboundBudgetTest {
  private static PeerId peer(int seed) {
    byte[] bytes = new byte[32];
    bytes[0] = (byte) seed;
    return HostKey.fromSeed(bytes).peerId();
  }

  @Test
  void oneFloodingPeerFillsOnlyItsShareAndReleasedBytesAreFreeAgain() {
    InboundBudget budget = new InboundBudget(10_000, 4_000);
    PeerId flooder = peer(1);
    int taken = 0;
    for (int i = 0; i < 100; i++) {
      if (budget.reserve(flooder, 1_000)) {
        taken++;
      }
    }
    assertThat(taken).isEqualTo(4);
    assertThat(budget.dropped()).isEqualTo(96);
    assertThat(budget.reserve(peer(2), 4_000)).isTrue();
    assertThat(budget.reserve(peer(3), 2_000)).isTrue();
    assertThat(budget.reserve(peer(4), 1_000)).as("total bound").isFalse();
    budget.release(flooder, 1_000);
    assertThat(budget.reserve(peer(4), 1_000)).isTrue();
    assertThat(budget.bytes()).isEqualTo(10_000);
  }
}
