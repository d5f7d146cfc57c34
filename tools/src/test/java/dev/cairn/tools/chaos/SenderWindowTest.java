package dev.cairn.tools.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.ledger.bytes.Bytes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The sender's decisions, without I/O: pacing, the in-flight bound, and re-sends of the same bytes on faults. */
class SenderWindowTest {
  private static final List<String> NODES = List.of("node-0", "node-1", "node-2", "node-3");

  private static SenderWindow window(int inFlightMax, long intervalMillis) {
    return new SenderWindow(inFlightMax, intervalMillis, 0, 15_000, new SplittableRandom(1));
  }

  private static Bytes bytes(long nonce, int content) {
    return Bytes.wrap(("tx-" + nonce + "-" + content).getBytes(StandardCharsets.UTF_8));
  }

  /** Does what the window asks until it asks nothing: signs (content 0) and reports every send as accepted. */
  private static List<SenderWindow.Action> drain(SenderWindow w, long now, List<String> live) {
    List<SenderWindow.Action> done = new ArrayList<>();
    for (Optional<SenderWindow.Action> a = w.next(now, live); a.isPresent(); a = w.next(now, live)) {
      done.add(a.get());
      switch (a.get()) {
        case SenderWindow.Action.Sign s -> w.signed(s.nonce(), "0x" + s.nonce(), bytes(s.nonce(), 0), now);
        case SenderWindow.Action.Send s -> w.sent(s.tx().nonce(), s.node(), now);
      }
    }
    return done;
  }

  @Test
  void slotsComeOpenLoopAndAFullWindowHoldsTheRestBack() {
    SenderWindow w = window(4, 100);
    // Slots at 0, 100, ..., 1000: eleven offered; the first four signed and sent, then the window is full.
    long signs = 0;
    for (long t = 0; t <= 1_000; t += 100) {
      signs += drain(w, t, NODES).stream().filter(a -> a instanceof SenderWindow.Action.Sign).count();
    }
    assertThat(signs).isEqualTo(4);
    assertThat(w.inFlight()).isEqualTo(4);
    // Four slots wait for room, the other three were held back.
    assertThat(w.heldBack()).isEqualTo(3);
    assertThat(w.wakeMillis()).isEqualTo(15_000); // only the silent-loss re-send of nonce 0 is due
    assertThat(w.finalized("0x1")).isTrue();
    assertThat(w.finalized("0x1")).isFalse();
    // Room for one: a waiting slot is used at once, then the window is full again.
    assertThat(w.next(1_000, NODES)).contains(new SenderWindow.Action.Sign(4));
    w.signed(4, "0x4", bytes(4, 0), 1_000);
    assertThat(w.next(1_000, NODES)).get().isInstanceOf(SenderWindow.Action.Send.class);
  }

  @Test
  void eachNonceIsSignedOnceAndInOrder() {
    SenderWindow w = window(2, 10);
    w.next(0, NODES);
    w.signed(0, "0x0", bytes(0, 0), 0);
    assertThatThrownBy(() -> w.signed(0, "0xother", bytes(0, 1), 0)).hasMessageContaining("signed once, in order");
    assertThatThrownBy(() -> w.signed(2, "0x2", bytes(2, 0), 0)).hasMessageContaining("1 comes next");
  }

  @Test
  void aKilledNodesNonceGoesToALiveNodeAtOnceWithTheSameBytesWhileLaterNoncesStay() {
    SenderWindow w = window(4, 10);
    drain(w, 0, NODES); // nonce 0 signed and sent
    Map<Long, String> where = new HashMap<>();
    for (long t = 10; t <= 30; t += 10) {
      drain(w, t, NODES);
    }
    w.pending().forEach(tx -> where.put(tx.nonce(), tx.node()));
    String killed = where.get(0L);
    List<String> live = NODES.stream().filter(n -> !n.equals(killed)).toList();
    w.nodeDown(killed, 40);
    Optional<SenderWindow.Action> next = w.next(40, live);
    assertThat(next).get().isInstanceOf(SenderWindow.Action.Send.class);
    SenderWindow.Action.Send resend = (SenderWindow.Action.Send) next.get();
    assertThat(resend.tx().nonce()).isZero();
    assertThat(resend.resend()).isTrue();
    assertThat(resend.tx().txId()).isEqualTo("0x0");
    assertThat(resend.tx().encoded()).isEqualTo(bytes(0, 0));
    assertThat(resend.node()).isNotEqualTo(killed);
    w.sent(0, resend.node(), 40);
    drain(w, 40, live);
    // Nonces that went to live nodes were not sent again.
    for (SenderWindow.InFlight tx : w.pending()) {
      if (!where.get(tx.nonce()).equals(killed)) {
        assertThat(tx.sends()).as("nonce %d", tx.nonce()).isEqualTo(1);
      }
      assertThat(tx.node()).isNotEqualTo(killed);
    }
    assertThat(w.resends()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void aRefusedConnectionIsRetriedElsewhereNowARefusalInASecondAndSilenceAfterTheFallback() {
    SenderWindow w = window(3, 1_000_000);
    assertThat(w.next(0, NODES)).contains(new SenderWindow.Action.Sign(0));
    w.signed(0, "0x0", bytes(0, 0), 0);
    SenderWindow.Action.Send first = (SenderWindow.Action.Send) w.next(0, NODES).orElseThrow();
    assertThat(first.resend()).isFalse();
    w.unreachable(0, first.node(), 5);
    SenderWindow.Action.Send now = (SenderWindow.Action.Send) w.next(5, NODES).orElseThrow();
    assertThat(now.node()).isNotEqualTo(first.node());
    assertThat(now.resend()).isTrue();
    w.refused(0, now.node(), 6);
    assertThat(w.next(6 + SenderWindow.REJECTED_RETRY_MILLIS - 1, NODES)).isEmpty();
    SenderWindow.Action.Send later = (SenderWindow.Action.Send) w.next(6 + SenderWindow.REJECTED_RETRY_MILLIS, NODES)
        .orElseThrow();
    assertThat(later.node()).isNotEqualTo(now.node());
    w.sent(0, later.node(), 1_006);
    assertThat(w.next(16_005, NODES)).isEmpty();
    assertThat(w.next(16_006, NODES)).get().isInstanceOf(SenderWindow.Action.Send.class);
    assertThat(w.resends()).isEqualTo(2);
    assertThat(w.pending()).singleElement().satisfies(tx -> assertThat(tx.encoded()).isEqualTo(bytes(0, 0)));
  }

  /**
   * A seeded simulation: four nodes, one killed now and then (its mempool lost), connections refused at random,
   * transactions lost silently at random, a chain that takes each sender nonce in order from any live mempool.
   * Whatever happens, every send of a nonce carries the bytes first signed for it, nonces are signed 0, 1, 2,
   * ... once each, the window never holds more than its bound, a dead node is left at once, and once the faults
   * stop every signed transaction becomes final (nothing stays stuck behind a nonce lost with a killed node).
   */
  @Test
  void underRandomKillsRefusalsAndLossEverySendOfANonceIsItsFirstSignatureAndAllBecomeFinal() {
    for (long seed = 1; seed <= 20; seed++) {
      simulate(seed);
    }
  }

  private static void simulate(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int inFlightMax = 1 + random.nextInt(8);
    SenderWindow w = new SenderWindow(inFlightMax, 20 + random.nextInt(60), random.nextInt(20), 2_000, random.split());
    Map<String, Set<Long>> mempools = new HashMap<>();
    NODES.forEach(n -> mempools.put(n, new HashSet<>()));
    Map<Long, Bytes> signedBytes = new HashMap<>();
    Map<Long, String> ids = new HashMap<>();
    Set<String> down = new HashSet<>();
    Map<String, Long> restartAt = new HashMap<>();
    long chainNonce = 0;
    long faultsEndMillis = 20_000;
    long signedByMillis = 55_000;
    long signedInTime = 0;
    for (long now = 0; now < 60_000; now += 10) {
      String context = "seed " + seed + " at " + now + " ms";
      boolean faults = now < faultsEndMillis;
      // Kills: at most one node down at a time, restarted 400-1,000 ms later with an empty mempool.
      if (faults && down.isEmpty() && random.nextInt(50) == 0) {
        String victim = NODES.get(random.nextInt(NODES.size()));
        down.add(victim);
        mempools.get(victim).clear();
        restartAt.put(victim, now + 400 + random.nextInt(600));
        w.nodeDown(victim, now);
      }
      for (String n : List.copyOf(down)) {
        if (restartAt.get(n) <= now) {
          down.remove(n);
        }
      }
      List<String> live = NODES.stream().filter(n -> !down.contains(n)).toList();
      for (Optional<SenderWindow.Action> a = w.next(now, live); a.isPresent(); a = w.next(now, live)) {
        switch (a.get()) {
          case SenderWindow.Action.Sign s -> {
            assertThat(s.nonce()).as(context).isEqualTo(signedBytes.size());
            Bytes b = bytes(s.nonce(), random.nextInt());
            signedBytes.put(s.nonce(), b);
            ids.put(s.nonce(), "0x" + s.nonce() + "-" + seed);
            w.signed(s.nonce(), ids.get(s.nonce()), b, now);
            if (now <= signedByMillis) {
              signedInTime = s.nonce() + 1;
            }
          }
          case SenderWindow.Action.Send s -> {
            assertThat(s.tx().encoded()).as(context).isEqualTo(signedBytes.get(s.tx().nonce()));
            assertThat(s.tx().txId()).as(context).isEqualTo(ids.get(s.tx().nonce()));
            assertThat(live).as(context).contains(s.node());
            if (faults && random.nextInt(20) == 0) {
              w.unreachable(s.tx().nonce(), s.node(), now);
            } else if (faults && random.nextInt(50) == 0) {
              w.sent(s.tx().nonce(), s.node(), now); // accepted, then lost without a word
            } else {
              // Admitted, and gossiped to the other live nodes most of the time.
              mempools.get(s.node()).add(s.tx().nonce());
              if (random.nextInt(4) != 0) {
                live.forEach(n -> mempools.get(n).add(s.tx().nonce()));
              }
              w.sent(s.tx().nonce(), s.node(), now);
            }
          }
        }
      }
      assertThat(w.inFlight()).as(context).isLessThanOrEqualTo(inFlightMax);
      for (String n : down) {
        assertThat(w.pending()).as(context + ": left on dead " + n).noneMatch(tx -> n.equals(tx.node()));
      }
      // A block every 250 ms takes the sender's next nonces in order from any live mempool.
      if (now % 250 == 0) {
        while (true) {
          long next = chainNonce;
          if (live.stream().noneMatch(n -> mempools.get(n).contains(next))) {
            break;
          }
          assertThat(w.finalized(ids.get(next))).as(context).isTrue();
          chainNonce++;
        }
      }
    }
    // Everything signed up to 5 s before the end is final, with no nonce skipped.
    assertThat(chainNonce).as("seed %d: final", seed).isGreaterThanOrEqualTo(signedInTime).isGreaterThan(100);
  }
}
