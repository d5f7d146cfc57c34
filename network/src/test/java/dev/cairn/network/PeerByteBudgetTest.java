package dev.cairn.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.p2p.identity.PeerId;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: gossiped transaction batches waited for admission bounded only by count (4,096 batches of up to
 * 2 MiB); they and consensus messages awaiting verification are bounded in bytes, per relaying peer too.
 */
class PeerByteBudgetTest {
  private static PeerId peer(String name) {
    return PeerAllowlist.peerId(KeyPair.fromSeedText(name).publicKey());
  }

  @Test
  void aFloodingPeerFillsOnlyItsShareAndReleasedRoomIsFreeAgain() {
    PeerByteBudget budget = new PeerByteBudget(10_000, 4_000);
    int taken = 0;
    for (int i = 0; i < 100; i++) {
      if (budget.reserve(peer("flooder"), 1_000)) {
        taken++;
      }
    }
    assertThat(taken).isEqualTo(4);
    assertThat(budget.refused()).isEqualTo(96);
    assertThat(budget.reserve(peer("a"), 4_000)).isTrue();
    assertThat(budget.reserve(peer("b"), 2_000)).isTrue();
    assertThat(budget.reserve(peer("c"), 1_000)).as("total bound").isFalse();
    budget.release(peer("flooder"), 1_000);
    assertThat(budget.reserve(peer("c"), 1_000)).isTrue();
    assertThat(budget.bytes()).isEqualTo(10_000);
  }
}
