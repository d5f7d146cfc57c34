package dev.cairn.adversary;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code handshake-flood} against four real validators: an outsider on another loopback address (127.0.0.2)
 * opens 1,000 connections a second to node-0's p2p port and holds each handshake open. While it runs,
 * node-1 is killed and restarted: it must reconnect to node-0 (both see all three peers again) and every
 * validator must keep finalizing; node-0 names the flood in one summary log line per interval, not one line
 * per connection. Logs: {@code adversary/target/handshake-flood-it/node-<i>/node.log}.
 */
class HandshakeFloodIT {
  private static final int VALIDATORS = 4;
  private static final int FLOOD_CONNECTIONS_PER_SECOND = 1_000;
  private static final Duration STEP_TIMEOUT = Duration.ofSeconds(90);
  /** Bootnode redial backoff tops out at 30 s; a node that can connect does so well within this. */
  private static final Duration RECONNECT_TIMEOUT = Duration.ofSeconds(45);

  @Test
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  void aRestartedValidatorReconnectsToAFloodedOneAndHeightsAdvance() throws Exception {
    Path dir = Path.of("target", "handshake-flood-it").toAbsolutePath();
    try (LocalNetwork net = LocalNetwork.generate(dir, VALIDATORS)) {
      net.startAll();
      LocalNetwork.await("every validator reaches height 3", STEP_TIMEOUT, () -> net.allAtLeast(3));
      LocalNetwork.await("every validator sees the other three", STEP_TIMEOUT, net::fullyConnected);

      HandshakeFlood flood = new HandshakeFlood(new InetSocketAddress("127.0.0.1", net.p2pBasePort),
          InetAddress.getByName("127.0.0.2"), FLOOD_CONNECTIONS_PER_SECOND, 15_000, 10_000);
      CompletableFuture<AttackReport> attack = CompletableFuture.supplyAsync(() -> {
        try {
          return flood.run(Duration.ofMinutes(3));
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      }, r -> new Thread(r, "handshake-flood").start());
      Thread.sleep(5_000); // the flood fills whatever it can fill

      net.processes.kill(1);
      long heightAtKill = net.height(0);
      net.processes.start(1);
      LocalNetwork.await("node-1 reconnects to the flooded node-0 (both see all three peers)", RECONNECT_TIMEOUT,
          () -> net.peerCount(0) == VALIDATORS - 1 && net.peerCount(1) == VALIDATORS - 1);
      LocalNetwork.await("every validator finalizes 5 blocks past the kill during the flood", STEP_TIMEOUT,
          () -> net.allAtLeast(heightAtKill + 5));
      assertThat(attack).as("the flood is still running").isNotDone();

      attack.cancel(true);
      String log = Files.readString(net.log(0));
      assertThat(log).as("node-0 summarises refused handshakes").contains("event=p2p_inbound_refused");
      assertThat(log).contains("top_addr=127.0.0.2");
      long perConnectionLines = log.lines().filter(l -> l.contains("127.0.0.2") && !l.contains("event=p2p_inbound_refused")).count();
      assertThat(perConnectionLines).as("lines naming the flooding address other than the summaries").isLessThan(50);
    }
  }
}
