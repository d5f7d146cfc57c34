package dev.cairn.adversary;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.p2p.gossip.GossipConfig;
import dev.cairn.p2p.identity.HostKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The attacks of {@code cairn-adversary} against four real validator processes on loopback, one after the
 * other on one network, each asserting what a user cares about: the chain keeps finalizing, the attacker is
 * refused or disconnected, and the node names it.
 *
 * <ol>
 *   <li>{@code handshake-flood}: an outsider on 127.0.0.2 opens 1,000 connections a second to node-0's p2p
 *       port and holds each handshake open. While it runs node-1 is killed and restarted: it must reconnect
 *       to node-0 (both see all three peers) and every validator must finalize 5 more blocks; node-0 names
 *       the flood in one summary line per interval, not one line per connection.
 *   <li>{@code never-read} and {@code oversized-frames} with node-3's key (an allow-listed peer): node-0
 *       disconnects both.
 *   <li>{@code rpc-huge-responses} against node-0 (started with {@code response-bytes-max = 65536}): the
 *       answers stay within the bound and the calls beyond it get -32047; {@code ws-cross-origin}: refused
 *       with 403.
 *   <li>After all of it the validators are fully connected again and finalize 3 more blocks.
 * </ol>
 * Logs: {@code adversary/target/network-attacks-it/node-<i>/node.log}; each attack's report line goes to
 * standard output.
 */
class NetworkAttacksIT {
  private static final int VALIDATORS = 4;
  private static final int FLOOD_CONNECTIONS_PER_SECOND = 1_000;
  private static final long RESPONSE_BYTES_MAX = 65_536;
  private static final Duration STEP_TIMEOUT = Duration.ofSeconds(90);
  /** Bootnode redial backoff tops out at 30 s; a node that can connect does so well within this. */
  private static final Duration RECONNECT_TIMEOUT = Duration.ofSeconds(45);

  @Test
  @Timeout(value = 8, unit = TimeUnit.MINUTES)
  void validatorsKeepFinalizingThroughEveryAttack() throws Exception {
    Path dir = Path.of("target", "network-attacks-it").toAbsolutePath();
    try (LocalNetwork net = LocalNetwork.generate(dir, VALIDATORS)) {
      Path config0 = dir.resolve("node-0").resolve("config.toml");
      Files.writeString(config0, Files.readString(config0).replace("[rpc]\n", "[rpc]\nresponse-bytes-max = " + RESPONSE_BYTES_MAX + "\n"));
      net.startAll();
      LocalNetwork.await("every validator reaches height 3", STEP_TIMEOUT, () -> net.allAtLeast(3));
      LocalNetwork.await("every validator sees the other three", STEP_TIMEOUT, net::fullyConnected);
      InetSocketAddress p2p0 = new InetSocketAddress("127.0.0.1", net.p2pBasePort);

      // 1. handshake-flood, with a validator restart in the middle of it.
      HandshakeFlood flood = new HandshakeFlood(p2p0, InetAddress.getByName("127.0.0.2"), FLOOD_CONNECTIONS_PER_SECOND,
          15_000, 10_000);
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
      long killedAt = System.nanoTime();
      net.processes.start(1);
      LocalNetwork.await("node-1 reconnects to the flooded node-0 (both see all three peers)", RECONNECT_TIMEOUT,
          () -> net.peerCount(0) == VALIDATORS - 1 && net.peerCount(1) == VALIDATORS - 1);
      System.out.println("handshake-flood: node-1 restarted and reconnected to node-0 in "
          + (System.nanoTime() - killedAt) / 1_000_000 + " ms");
      LocalNetwork.await("every validator finalizes 5 blocks past the kill during the flood", STEP_TIMEOUT,
          () -> net.allAtLeast(heightAtKill + 5));
      assertThat(attack).as("the flood is still running").isNotDone();
      attack.cancel(true);
      String log = Files.readString(net.log(0));
      assertThat(log).as("node-0 summarises refused handshakes").contains("event=p2p_inbound_refused");
      assertThat(log).contains("top_addr=127.0.0.2");
      long perConnectionLines = log.lines().filter(l -> l.contains("127.0.0.2") && !l.contains("event=p2p_inbound_refused")).count();
      assertThat(perConnectionLines).as("lines naming the flooding address other than the summaries").isLessThan(50);
      log.lines().filter(l -> l.contains("event=p2p_inbound_refused")).reduce((a, b) -> b)
          .ifPresent(l -> System.out.println("handshake-flood: last summary: " + l));

      // 2. never-read and oversized-frames, as an allow-listed peer (node-3's key).
      HostKey peerKey = HostKey.fromSeed(HexFormat.of().parseHex(Files.readString(dir.resolve("node-3").resolve("node.key")).trim()));
      AttackReport neverRead = new NeverRead(p2p0, peerKey, 256L * 1024 * 1024).run(Duration.ofSeconds(60));
      System.out.println(neverRead.line());
      assertThat(neverRead.counter("disconnected_by_target")).as(neverRead.line()).isEqualTo(1);
      AttackReport oversized = new OversizedFrames(p2p0, peerKey, GossipConfig.PROTOCOL_ID, 64, 8 * 1024 * 1024)
          .run(Duration.ofSeconds(10));
      System.out.println(oversized.line());
      assertThat(oversized.counter("closed_after_announcements")).as("announcing large frames is within the rules: "
          + oversized.line()).isZero();
      assertThat(oversized.counter("closed_after_window_violation")).as(oversized.line()).isEqualTo(1);
      LocalNetwork.await("node-0 names both disconnects in its log", STEP_TIMEOUT, () -> {
        try {
          String afterPeerAttacks = Files.readString(net.log(0));
          return afterPeerAttacks.contains("reason=yamux_outbound_backlog") && afterPeerAttacks.contains("reason=yamux_receive_window_exceeded");
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });

      // 3. rpc-huge-responses and ws-cross-origin against node-0's JSON-RPC.
      URI rpc0 = net.rpc.get(0).endpoint();
      AttackReport huge = new RpcHugeResponses(rpc0, 100).run(Duration.ofSeconds(5));
      System.out.println(huge.line());
      assertThat(huge.counter("calls_response_too_large")).as(huge.line()).isPositive();
      assertThat(huge.counter("largest_answer_bytes")).as("bound plus one short error per refused call")
          .isLessThan(RESPONSE_BYTES_MAX + 100 * 300);
      AttackReport page = new WsCrossOrigin(URI.create("ws://" + rpc0.getHost() + ":" + rpc0.getPort() + "/ws"),
          "https://attacker.example").run(Duration.ofSeconds(5));
      System.out.println(page.line());
      assertThat(page.counter("refused_with_403")).as(page.line()).isEqualTo(1);

      // 4. The network after all of it.
      long after = net.height(0);
      LocalNetwork.await("every validator finalizes 3 more blocks after the attacks", STEP_TIMEOUT, () -> net.allAtLeast(after + 3));
      LocalNetwork.await("every validator sees the other three again", STEP_TIMEOUT, net::fullyConnected);
    }
  }
}
