package dev.cairn.tools.chaos;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A userspace TCP relay that holds every byte it passes for {@code delayMillis} plus a seeded jitter: the
 * {@code delay} fault, because this machine's kernel has no {@code netem}. Each direction of each connection
 * is a reader that stamps chunks with their due time and a writer that sends them when due, in order.
 *
 * <p>Memory is bounded: at most {@link #CHUNKS_QUEUED_MAX} chunks of at most {@link #CHUNK_BYTES_MAX} bytes wait
 * per direction (when full, the reader stops reading and TCP's flow control slows the sender), and at most
 * {@link #CONNECTIONS_MAX} connections are relayed at once (more are refused by closing them).
 */
final class DelayProxy implements AutoCloseable {
  static final int CHUNK_BYTES_MAX = 16 * 1024;
  static final int CHUNKS_QUEUED_MAX = 32;
  static final int CONNECTIONS_MAX = 64;
  static final long CONNECT_TIMEOUT_MILLIS = 5_000;

  /** A slice of the stream and when it may be sent on; an empty slice marks the end of the stream. */
  private record Chunk(byte[] bytes, long dueNanos) {}

  private final ServerSocket server;
  private final InetSocketAddress target;
  private final long delayNanos;
  private final long jitterNanos;
  private final SplittableRandom seeds;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final java.util.concurrent.atomic.AtomicLong connections = new java.util.concurrent.atomic.AtomicLong();
  private final java.util.concurrent.atomic.AtomicLong bytes = new java.util.concurrent.atomic.AtomicLong();
  private volatile boolean closed;

  /**
   * Listens on {@code listenHost} (an ephemeral port, {@link #port()}) and relays each connection to
   * {@code target}, every byte held {@code delayMillis} plus 0..{@code jitterMillis} drawn from {@code seed}.
   */
  DelayProxy(String listenHost, InetSocketAddress target, long delayMillis, long jitterMillis, long seed)
      throws IOException {
    if (delayMillis < 1 || delayMillis > 10_000 || jitterMillis < 0 || jitterMillis > delayMillis) {
      throw new IllegalArgumentException("delay must be in 1..10000 ms and jitter in 0..delay, got " + delayMillis
          + " and " + jitterMillis);
    }
    this.target = target;
    this.delayNanos = TimeUnit.MILLISECONDS.toNanos(delayMillis);
    this.jitterNanos = TimeUnit.MILLISECONDS.toNanos(jitterMillis);
    this.seeds = new SplittableRandom(seed);
    this.server = new ServerSocket();
    server.bind(new InetSocketAddress(listenHost, 0), CONNECTIONS_MAX);
    Thread.ofVirtual().name("delay-proxy-accept-" + port()).start(this::acceptLoop);
  }

  int port() {
    return server.getLocalPort();
  }

  /** Connections relayed so far. */
  long connections() {
    return connections.get();
  }

  /** Bytes relayed so far, both directions. */
  long bytes() {
    return bytes.get();
  }

  private void acceptLoop() {
    while (!closed) {
      Socket in;
      try {
        in = server.accept();
      } catch (IOException e) {
        return;
      }
      if (open.size() >= 2 * CONNECTIONS_MAX) {
        closeQuietly(in);
        continue;
      }
      SplittableRandom random;
      synchronized (seeds) {
        random = seeds.split();
      }
      Thread.ofVirtual().start(() -> relay(in, random));
    }
  }

  private void relay(Socket in, SplittableRandom random) {
    Socket out = new Socket();
    open.add(in);
    open.add(out);
    try {
      out.connect(target, (int) CONNECT_TIMEOUT_MILLIS);
      connections.incrementAndGet();
      in.setTcpNoDelay(true);
      out.setTcpNoDelay(true);
      SplittableRandom back = random.split();
      Thread forth = Thread.ofVirtual().start(() -> pump(in, out, random));
      pump(out, in, back);
      forth.join();
    } catch (IOException e) {
      // The target is down or the peer went away: the relayed connection ends as a real one would.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      closeQuietly(in);
      closeQuietly(out);
      open.remove(in);
      open.remove(out);
    }
  }

  /** Copies {@code from} to {@code to}, each chunk no earlier than its due time, in order. */
  private void pump(Socket from, Socket to, SplittableRandom random) {
    BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(CHUNKS_QUEUED_MAX);
    Thread writer = Thread.ofVirtual().start(() -> drain(queue, to, from));
    long lastDue = 0;
    // Not try-with-resources: closing a socket's stream closes the socket, and the other direction may still
    // be sending after this one has ended (a half-close); relay() closes both sockets when both are done.
    try {
      InputStream input = from.getInputStream();
      byte[] buffer = new byte[CHUNK_BYTES_MAX];
      while (true) {
        int n = input.read(buffer);
        bytes.addAndGet(Math.max(0, n));
        long due = Math.max(lastDue, System.nanoTime() + delayNanos + (jitterNanos == 0 ? 0 : random.nextLong(jitterNanos + 1)));
        lastDue = due;
        queue.put(new Chunk(n < 0 ? new byte[0] : Arrays.copyOf(buffer, n), due));
        if (n < 0) {
          break;
        }
      }
      writer.join();
    } catch (IOException e) {
      closeQuietly(to);
      writer.interrupt();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      writer.interrupt();
    }
  }

  private static void drain(BlockingQueue<Chunk> queue, Socket to, Socket from) {
    try {
      OutputStream output = to.getOutputStream();
      while (true) {
        Chunk chunk = queue.take();
        long wait = chunk.dueNanos() - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        if (chunk.bytes().length == 0) {
          to.shutdownOutput();
          return;
        }
        output.write(chunk.bytes());
        output.flush();
      }
    } catch (IOException | InterruptedException e) {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  /** Stops accepting and cuts every relayed connection (the nodes redial, directly once the rules are gone). */
  @Override
  public void close() {
    closed = true;
    closeQuietly(server);
    for (Socket s : List.copyOf(open)) {
      closeQuietly(s);
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // Closing is best effort: the socket may be gone already.
    }
  }
}
