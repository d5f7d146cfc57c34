package dev.cairn.rpc.ws;

import dev.cairn.rpc.jsonrpc.Caller;
import dev.cairn.rpc.jsonrpc.MethodLookup;
import dev.cairn.rpc.jsonrpc.TokenBucket;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
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
 * queueMessagesMax}, closes the connection with a reason instead of buffering more. Memory per connection
 * is therefore bounded by the queue limit times the largest message.
 */
final class WsConnection {
  private static final Logger LOG = LoggerFactory.getLogger(WsConnection.class);

  private final Session session;
  private final String remote;
  private final int queueMessagesMax;
  private final TokenBucket bucket;
  private final Consumer<WsConnection> onSlowConsumer;
  private final Object sendLock = new Object();
  private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
  private final List<Subscription> toArm = new ArrayList<>();
  private int queued;
  private boolean closing;
  private volatile MethodLookup methods;
  private volatile Caller caller = Caller.UNRESTRICTED;

  WsConnection(Session session, int queueMessagesMax, TokenBucket bucket, Consumer<WsConnection> onSlowConsumer) {
    this.session = session;
    this.remote = String.valueOf(session.getRemoteAddress());
    this.queueMessagesMax = queueMessagesMax;
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

  /** Queues a text message; false if the connection is closing or was just closed for falling behind. */
  boolean send(String text) {
    return send(text, List.of());
  }

  /**
   * Queues a subscribe answer and arms the subscriptions it announces in one step under the send lock: a
   * notification racing in from the block listener then queues after the answer (it needs the same lock),
   * and a block announced before this step was final before the client could know the subscription.
   */
  boolean send(String text, List<Subscription> toArm) {
    synchronized (sendLock) {
      toArm.forEach(Subscription::arm);
      if (closing) {
        return false;
      }
      if (queued >= queueMessagesMax) {
        closing = true;
      } else {
        queued++;
        // Under the lock so that messages reach Jetty's frame queue in the order they were queued here.
        session.getRemote().sendString(text, new WriteCallback() {
          @Override
          public void writeSuccess() {
            written();
          }

          @Override
          public void writeFailed(Throwable x) {
            written();
          }
        });
        return true;
      }
    }
    LOG.info("websocket slow consumer disconnected remote={} queued={}", remote, queueMessagesMax);
    closeSession(StatusCode.POLICY_VIOLATION, "slow consumer: more than " + queueMessagesMax + " messages queued");
    onSlowConsumer.accept(this);
    return false;
  }

  private void written() {
    synchronized (sendLock) {
      queued--;
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
