package dev.cairn.network;

import dev.cairn.p2p.host.Host;
import dev.cairn.p2p.identity.Multiaddr;
import dev.cairn.p2p.identity.PeerId;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node connected to its bootnodes (static peers): each one not connected is redialled, waiting
 * twice as long after each failure (from {@link #BACKOFF_MILLIS_MIN} up to {@link #BACKOFF_MILLIS_MAX}), and
 * at once again after a success. Runs on its own timer thread; dials complete on Netty threads and only
 * update this peer's slot.
 */
final class BootnodeDialer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BootnodeDialer.class);
  static final long CHECK_INTERVAL_MILLIS = 500;
  static final long BACKOFF_MILLIS_MIN = 500;
  static final long BACKOFF_MILLIS_MAX = 30_000;

  private final Host host;
  private final List<Slot> slots;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "p2p-dialer");
    t.setDaemon(true);
    return t;
  });

  /** One bootnode; fields are guarded by the slot's monitor. */
  private static final class Slot {
    final Multiaddr address;
    final PeerId peer;
    long nextAttemptMillis;
    long backoffMillis = BACKOFF_MILLIS_MIN;
    boolean dialing;
    int failures;

    Slot(Multiaddr address, PeerId peer) {
      this.address = address;
      this.peer = peer;
    }
  }

  /** @param ownIds this node's peer IDs (its p2p key's, and its node key's from before p2p keys): never dialled */
  BootnodeDialer(Host host, List<Multiaddr> bootnodes, java.util.Set<PeerId> ownIds) {
    this.host = host;
    this.slots = bootnodes.stream()
        .filter(a -> !a.peerId().map(ownIds::contains).orElse(false))
        .map(a -> new Slot(a, a.peerId().orElseThrow(
            () -> new IllegalArgumentException("bootnode " + a + " has no /p2p/<peer id> component"))))
        .toList();
  }

  void start() {
    timer.scheduleWithFixedDelay(this::check, 0, CHECK_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
  }

  private void check() {
    long now = System.currentTimeMillis();
    for (Slot slot : slots) {
      synchronized (slot) {
        if (slot.dialing || host.isConnected(slot.peer) || now < slot.nextAttemptMillis) {
          continue;
        }
        slot.dialing = true;
      }
      host.dial(slot.address).whenComplete((peer, error) -> done(slot, error));
    }
  }

  private void done(Slot slot, Throwable error) {
    synchronized (slot) {
      slot.dialing = false;
      if (error == null) {
        if (slot.failures > 0) {
          log.info("event=bootnode_connected peer={} addr={} failures_before={}", slot.peer.shortText(), slot.address, slot.failures);
        }
        slot.failures = 0;
        slot.backoffMillis = BACKOFF_MILLIS_MIN;
        slot.nextAttemptMillis = 0;
        return;
      }
      slot.failures++;
      slot.nextAttemptMillis = System.currentTimeMillis() + slot.backoffMillis;
      if (slot.failures == 1 || slot.failures % 10 == 0) {
        log.info("event=bootnode_dial_failed peer={} addr={} failures={} retry_in_ms={} error=\"{}\"",
            slot.peer.shortText(), slot.address, slot.failures, slot.backoffMillis, error.toString());
      }
      slot.backoffMillis = Math.min(BACKOFF_MILLIS_MAX, slot.backoffMillis * 2);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
