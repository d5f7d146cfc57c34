package dev.cairn.rpc.ws;

import dev.cairn.ledger.model.Text;
import dev.cairn.rpc.jsonrpc.Caller;
import dev.cairn.rpc.jsonrpc.MethodLookup;
import dev.cairn.rpc.jsonrpc.TokenBucket;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.eclipse.jetty.websocket.api.WriteCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket client. Outbound messages go through Jetty's asynchronous send; this class counts the
 * messages not yet written to the socket and, when a client stops reading and the count would pass {@code
 * queueMessagesMax} or the unwritten bytes of server-initiated messages (notifications) would pass {@code
 * queueBytesMax}, closes the connection with a reason instead of buffering more. An answer to a call is not
 * counted in those bytes: a connection has at most one unwritten answer (its answer slot), a large one holds
 * one of the node's large-answer permits until written, and one left unwritten past the write timeout closes
 * the connection. Memory per connection is therefore bounded by {@code queueBytesMax} plus one answer (under
 * {@code largeAnswerBytes} unless it holds a permit).
 */
final class WsConnection {
  private static final Logger LOG = LoggerFactory.getLogger(WsConnection.class);

  private final Session session;
  private final String remote;
  private final int queueMessagesMax;
  private final long queueBytesMax;
  private final Semaphore answerSlot = new Semaphore(1);
  private final TokenBucket bucket;
  private final Consumer<WsConnection> onSlowConsumer;
  private final Object sendLock = new Object();
  private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
  private final List<Subscription> toArm = new ArrayList<>();
  private int queued;
  private long queuedBytes;
  private boolean closing;
  private volatile MethodLookup methods;
  private volatile Caller caller = Caller.UNRESTRICTED;

  WsConnection(Session session, int queueMessagesMax, long queueBytesMax, TokenBucket bucket,
      Consumer<WsConnection> onSlowConsumer) {
    this.session = session;
    this.remote = String.valueOf(session.getRemoteAddress());
    this.queueMessagesMax = queueMessagesMax;
    this.queueBytesMax = queueBytesMax;
    this.bucket = bucket;
    this.onSlowConsumer = onSlowConsumer;
  }

  /** The connection's own methods (subscribe, unsubscribe) over the shared ones; set once on connect. */
  void useMethods(MethodLookup lookup) {
    methods = lookup;
  }

  /** Who opened the connection (from the upgrade's bearer token); set once on connect. */
  void useCaller(Caller who) {
    caller = who;
  }

  Caller caller() {
    return caller;
  }

  MethodLookup methods() {
    return methods;
  }

  TokenBucket bucket() {
    return bucket;
  }

  String remote() {
    return remote;
  }

  /** Queues a server-initiated message (counted in bytes); false if the connection is closing or was just closed. */
  boolean send(String text) {
    return send(text, List.of());
  }

  /**
   * Queues a message counted against the connection's byte bound, arming {@code toArm} under the send lock
   * (as {@link #sendAnswer}).
   */
  boolean send(String text, List<Subscription> toArm) {
    return queue(text, toArm, true, () -> {});
  }

  /**
   * Queues the answer to a call and arms the subscriptions it announces in one step under the send lock: a
   * notification racing in from the block listener then queues after the answer (it needs the same lock),
   * and a block announced before this step was final before the client could know the subscription. {@code
   * written} runs once the answer is written, failed or refused (it gives back a large answer's permit; this
   * connection's answer slot is given back too).
   */
  boolean sendAnswer(String text, List<Subscription> toArm, Runnable written) {
    Runnable once = onlyOnce(() -> {
      answerSlot.release();
      written.run();
    });
    return queue(text, toArm, false, once);
  }

  /**
   * Waits up to {@code millis} for this connection's previous answer to be written (a connection has at most
   * one unwritten answer); false if the client did not read it in that time. The caller must then give the
   * slot back through {@link #sendAnswer} or {@link #releaseAnswerSlot}.
   */
  boolean awaitAnswerSlot(long millis) {
    try {
      return answerSlot.tryAcquire(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  void releaseAnswerSlot() {
    answerSlot.release();
  }

  private boolean queue(String text, List<Subscription> toArm, boolean countBytes, Runnable written) {
    String reason;
    synchronized (sendLock) {
      toArm.forEach(Subscription::arm);
      if (closing) {
        written.run();
        return false;
      }
      long bytes = countBytes ? utf8Bytes(text) : 0;
      if (queued >= queueMessagesMax) {
        reason = "more than " + queueMessagesMax + " messages queued";
      } else if (countBytes && queuedBytes > 0 && queuedBytes + bytes > queueBytesMax) {
        // One message always fits an empty queue, so a notification larger than the bound is not a slow consumer.
        reason = "more than " + queueBytesMax + " bytes of notifications queued";
      } else {
        queued++;
        queuedBytes += bytes;
        Runnable done = onlyOnce(() -> {
          written(bytes);
          written.run();
        });
        // Under the lock so that messages reach Jetty's frame queue in the order they were queued here.
        session.getRemote().sendString(text, new WriteCallback() {
          @Override
          public void writeSuccess() {
            done.run();
          }

          @Override
          public void writeFailed(Throwable x) {
            done.run();
          }
        });
        return true;
      }
      closing = true;
    }
    written.run();
    disconnectSlow(reason);
    return false;
  }

  /** Closes a client that stopped reading, saying why, unless already closing. */
  void slowConsumer(String reason) {
    synchronized (sendLock) {
      if (closing) {
        return;
      }
      closing = true;
    }
    disconnectSlow(reason);
  }

  /** The endpoint drops the TCP connection after a grace, which fails (and so releases) every unwritten frame. */
  private void disconnectSlow(String reason) {
    LOG.info("websocket slow consumer disconnected remote={} reason=\"{}\"", remote, reason);
    closeSession(StatusCode.POLICY_VIOLATION, "slow consumer: " + reason);
    onSlowConsumer.accept(this);
  }

  /**
   * A message's bytes as written (UTF-8), so that multi-byte characters are not undercounted; a string that is
   * not valid Unicode (which chain data never holds) counts at the most any character can take.
   */
  private static long utf8Bytes(String text) {
    try {
      return Text.utf8Length("websocket message", text);
    } catch (IllegalArgumentException invalid) {
      return 3L * text.length();
    }
  }

  private static Runnable onlyOnce(Runnable action) {
    java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
    return () -> {
      if (done.compareAndSet(false, true)) {
        action.run();
      }
    };
  }

  private void written(long bytes) {
    synchronized (sendLock) {
      queued--;
      queuedBytes -= bytes;
    }
  }

  /** Bytes of server-initiated messages not yet written (answers are bounded by their permits instead). */
  long queuedBytes() {
    synchronized (sendLock) {
      return queuedBytes;
    }
  }

  int queuedMessages() {
    synchronized (sendLock) {
      return queued;
    }
  }

  /** Sends a close frame with a reason; nothing more is queued afterwards. */
  void close(int statusCode, String reason) {
    synchronized (sendLock) {
      closing = true;
    }
    closeSession(statusCode, reason);
  }

  private void closeSession(int statusCode, String reason) {
    try {
      session.close(statusCode, reason);
    } catch (RuntimeException e) {
      LOG.debug("websocket close failed remote={}", remote, e);
    }
  }

  /** Drops the TCP connection at once, releasing every frame still queued for it. */
  void disconnect() {
    try {
      session.disconnect();
    } catch (RuntimeException e) {
      LOG.debug("websocket disconnect failed remote={}", remote, e);
    }
  }

  boolean isOpen() {
    return session.isOpen();
  }

  int subscriptionCount() {
    return subscriptions.size();
  }

  void add(Subscription subscription) {
    subscriptions.put(subscription.id(), subscription);
    synchronized (toArm) {
      toArm.add(subscription);
    }
  }

  Subscription remove(String id) {
    return subscriptions.remove(id);
  }

  Collection<Subscription> subscriptions() {
    return List.copyOf(subscriptions.values());
  }

  /** The subscriptions created by the message just answered, to arm now that the answer is queued. */
  List<Subscription> takeToArm() {
    synchronized (toArm) {
      List<Subscription> out = List.copyOf(toArm);
      toArm.clear();
      return out;
    }
  }
}
