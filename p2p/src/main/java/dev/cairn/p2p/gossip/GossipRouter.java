package dev.cairn.p2p.gossip;

import com.google.protobuf.ByteString;
import dev.cairn.p2p.gossip.MessageCheck.Invalid;
import dev.cairn.p2p.identity.HostKey;
import dev.cairn.p2p.identity.PeerId;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The GossipSub v1.1 router as a single-threaded state machine. Every public method is an event and must be
 * called on one thread (the {@code eventLoop} that also receives async validation results); no locks, no
 * clock, no sockets inside. Time enters only through {@link #heartbeat(long)}, randomness through the
 * injected generator, peers are reached through {@link GossipTransport}. What one event wants to send is
 * coalesced and flushed when the event ends.
 *
 * <p>Not implemented from v1.1: peer scoring (peers are known, permissioned validators), peer exchange (PX
 * received is ignored, none sent), D_out/D_score mesh quotas, and IDONTWANT (v1.2).
 */
public final class GossipRouter {
  private static final Logger log = LoggerFactory.getLogger(GossipRouter.class);
  /** A PRUNE may ask for any backoff; more than a day is treated as a day. */
  private static final long PRUNE_BACKOFF_SECONDS_MAX = 86_400;

  private final GossipConfig config;
  private final HostKey key;
  private final MessageIdFunction idFunction;
  private final GossipTransport transport;
  private final Executor eventLoop;
  private final RpcCodec codec;
  final MeshState state;
  final Outbox outbox;
  final MessageCache mcache;
  private final SeenCache seen;
  /** Permissioned networks have few authors; a few thousand keys cover any of them. */
  private final AuthorKeys authors = new AuthorKeys(4_096);
  private final Map<String, Consumer<ReceivedMessage>> subscriptions = new LinkedHashMap<>();
  private final Map<String, TopicValidator> validators = new HashMap<>();
  final GossipStats.Counters counters = new GossipStats.Counters();
  private final Heartbeat heartbeat;
  private long nowMillis;
  /** Taken by {@link #author} on publishers' threads. */
  private final AtomicLong seqno;
  /** Where StrictSign signatures of received messages are verified; null: inline on the router thread. */
  private final Executor verifier;
  /**
   * Verifications and validations in flight, PER TOPIC (only subscribed topics get here, so the maps are
   * bounded by our subscriptions). Per topic so that a flood on one topic (say, transactions) can never
   * throttle another (consensus votes) that shares this router.
   */
  private final Map<String, Integer> verificationsPending = new HashMap<>();
  private final Map<String, Integer> validationsPending = new HashMap<>();
  private boolean flushDeferred;
  /** Per-topic counters, for the topics this router subscribed to (so bounded by our own subscriptions). */
  private final Map<String, GossipStats.TopicCounters> topicCounters = new HashMap<>();
  /** A message too large to publish is a misconfiguration or an attack: WARN, but at most this often. */
  static final long TOO_LARGE_WARN_INTERVAL_MILLIS = 10_000;
  private long lastTooLargeWarnMillis;

  public GossipRouter(GossipConfig config, HostKey key, MessageIdFunction idFunction, GossipTransport transport,
      Executor eventLoop, RandomGenerator random, long nowMillis) {
    this(config, key, idFunction, transport, eventLoop, null, random, nowMillis);
  }

  /**
   * With a {@code verifier}, received StrictSign messages have their signatures verified there (in parallel,
   * off the router thread); results come back through {@code eventLoop} as events. At most
   * {@code validationsPendingMax} verifications per topic are in flight; beyond that that topic's messages
   * are ignored and counted as throttled. Without one ({@code null}), verification runs inline, as deterministic simulations need.
   */
  public GossipRouter(GossipConfig config, HostKey key, MessageIdFunction idFunction, GossipTransport transport,
      Executor eventLoop, Executor verifier, RandomGenerator random, long nowMillis) {
    this.verifier = verifier;
    this.config = Objects.requireNonNull(config, "config");
    this.key = Objects.requireNonNull(key, "key");
    this.idFunction = Objects.requireNonNull(idFunction, "idFunction");
    this.transport = Objects.requireNonNull(transport, "transport");
    this.eventLoop = Objects.requireNonNull(eventLoop, "eventLoop");
    this.codec = new RpcCodec(config.rpc());
    this.state = new MeshState(config.topicsPerPeerMax(), config.topicsMax(), random);
    this.outbox = new Outbox(config.rpc());
    this.mcache = new MessageCache(config.mcacheLength(), config.mcacheGossip(), config.mcacheBytesMax());
    this.seen = new SeenCache(config.seenTtlMillis(), config.seenEntriesMax());
    this.heartbeat = new Heartbeat(config, state, outbox, mcache);
    this.nowMillis = nowMillis;
    // js-libp2p starts at wall-clock nanoseconds so that seqnos grow across restarts; so do we.
    this.seqno = new AtomicLong(Math.multiplyExact(Math.max(nowMillis, 0), 1_000_000L));
  }

  public GossipConfig config() {
    return config;
  }

  public PeerId localPeer() {
    return key.peerId();
  }

  // ---- events ------------------------------------------------------------------------------------------

  public void peerConnected(PeerId peer) {
    if (!state.addPeer(peer)) {
      return;
    }
    for (String topic : subscriptions.keySet()) {
      outbox.subscription(peer, new Rpc.Subscription(true, topic));
    }
    log.debug("gossip peer connected peer={} topics={}", peer.shortText(), subscriptions.size());
    flushUnlessDeferred();
  }

  public void peerDisconnected(PeerId peer) {
    state.removePeer(peer);
    outbox.forget(peer);
    log.debug("gossip peer disconnected peer={}", peer.shortText());
  }

  public void rpcReceived(PeerId peer, byte[] bytes) {
    if (!state.peers.containsKey(peer)) {
      return;
    }
    switch (codec.decode(bytes)) {
      case RpcDecoding.Malformed bad -> {
        counters.rpcMalformed++;
        log.debug("gossip rpc refused peer={} reason={}", peer.shortText(), bad);
      }
      case RpcDecoding.Decoded ok -> {
        Rpc rpc = ok.rpc();
        rpc.subscriptions().forEach(s -> subscriptionChanged(peer, s));
        rpc.messages().forEach(m -> messageReceived(peer, m));
        new ControlHandling(this, peer, nowMillis).handle(rpc.control());
      }
    }
    flushUnlessDeferred();
  }

  public void heartbeat(long nowMillis) {
    this.nowMillis = Math.max(this.nowMillis, nowMillis);
    heartbeat.run(this.nowMillis, subscriptions.keySet());
    seen.expire(this.nowMillis);
    flushUnlessDeferred();
  }

  public PublishResult publish(String topic, byte[] data) {
    return publish(author(topic, data));
  }

  /**
   * Our message carrying a copy of {@code data}, signed under StrictSign with the next seqno. Thread-safe:
   * publishers call it on their own threads so that signing stays off the router thread.
   */
  public PubsubMessage author(String topic, byte[] data) {
    ByteString payload = ByteString.copyFrom(data);
    return config.signaturePolicy() == SignaturePolicy.STRICT_SIGN
        ? MessageSigning.sign(key, topic, payload, seqno.incrementAndGet())
        : PubsubMessage.unsigned(topic, payload);
  }

  /** Publishes a message made by {@link #author}. */
  public PublishResult publish(PubsubMessage message) {
    String topic = message.topic();
    if (topic.isEmpty() || topic.length() > config.rpc().topicBytesMax()) {
      return new PublishResult.Refused(PublishResult.Reason.TOPIC_INVALID, "topic length " + topic.length());
    }
    if (RpcEncoder.messageEntrySize(message) > config.rpc().rpcBytesMax()) {
      counters.publishTooLarge++;
      if (counters.publishTooLarge == 1 || nowMillis - lastTooLargeWarnMillis >= TOO_LARGE_WARN_INTERVAL_MILLIS) {
        lastTooLargeWarnMillis = nowMillis;
        log.warn("event=gossip_publish_too_large topic={} bytes={} limit={} refused_total={}", topic,
            message.data().size(), config.rpc().rpcBytesMax(), counters.publishTooLarge);
      }
      return new PublishResult.Refused(PublishResult.Reason.TOO_LARGE,
          message.data().size() + " data bytes do not fit one RPC");
    }
    MessageId id = idFunction.apply(message);
    if (id.bytes().isEmpty()) {
      // E.g. fromAndSeqno under StrictNoSign: every message would share the empty id and all but one be dropped.
      throw new IllegalStateException("message id function gave an empty id under " + config.signaturePolicy()
          + "; StrictNoSign needs a content id (MessageIdFunction.contentHash)");
    }
    if (!seen.add(id, nowMillis)) {
      return new PublishResult.Refused(PublishResult.Reason.DUPLICATE, "message id " + id + " already seen");
    }
    mcache.put(id, message);
    Set<PeerId> targets = heartbeat.publishTargets(topic, subscriptions.containsKey(topic), nowMillis);
    for (PeerId peer : targets) {
      outbox.message(peer, message);
    }
    counters.published++;
    flushUnlessDeferred();
    return new PublishResult.Published(id, targets.size());
  }

  /** Joins a topic: announces it, builds a mesh (from fanout first) and delivers its messages to {@code subscriber}. */
  public void subscribe(String topic, Consumer<ReceivedMessage> subscriber) {
    Objects.requireNonNull(subscriber, "subscriber");
    if (topic.isEmpty() || topic.length() > config.rpc().topicBytesMax()) {
      throw new IllegalArgumentException("topic must be 1.." + config.rpc().topicBytesMax() + " chars");
    }
    if (subscriptions.put(topic, subscriber) != null) {
      return;
    }
    topicCounters.computeIfAbsent(topic, t -> new GossipStats.TopicCounters());
    for (PeerId peer : state.peers.keySet()) {
      outbox.subscription(peer, new Rpc.Subscription(true, topic));
    }
    heartbeat.join(topic, nowMillis);
    flushUnlessDeferred();
  }

  public void unsubscribe(String topic) {
    if (subscriptions.remove(topic) == null) {
      return;
    }
    for (PeerId peer : state.peers.keySet()) {
      outbox.subscription(peer, new Rpc.Subscription(false, topic));
    }
    heartbeat.leave(topic, nowMillis);
    flushUnlessDeferred();
  }

  /** Sets (or with null, removes) the validator of a topic; without one, well-signed messages are accepted. */
  public void setValidator(String topic, TopicValidator validator) {
    if (validator == null) {
      validators.remove(topic);
    } else {
      validators.put(topic, validator);
    }
  }

  // ---- queries (router thread) -------------------------------------------------------------------------

  public GossipStats stats() {
    return counters.snapshot();
  }

  /** Counters of every topic subscribed to since start (also those left since), by topic. */
  public Map<String, GossipStats.Topic> topicStats() {
    Map<String, GossipStats.Topic> out = new java.util.TreeMap<>();
    topicCounters.forEach((topic, c) -> out.put(topic, c.snapshot()));
    return out;
  }

  /** The counters of a subscribed topic; a throwaway for a topic never subscribed (its messages stop earlier). */
  private GossipStats.TopicCounters topic(String topic) {
    GossipStats.TopicCounters c = topicCounters.get(topic);
    return c != null ? c : new GossipStats.TopicCounters();
  }

  public Set<PeerId> meshPeers(String topic) {
    return Set.copyOf(state.mesh.getOrDefault(topic, Set.of()));
  }

  public Set<PeerId> topicPeers(String topic) {
    return Set.copyOf(state.peersIn(topic));
  }

  public Set<String> subscribedTopics() {
    return Set.copyOf(subscriptions.keySet());
  }

  // ---- message path ------------------------------------------------------------------------------------

  private void subscriptionChanged(PeerId peer, Rpc.Subscription s) {
    if (s.topic().isEmpty()) {
      return;
    }
    if (s.subscribe()) {
      if (!state.subscribe(peer, s.topic())) {
        log.debug("gossip subscription refused peer={} topic={} reason=topics_max", peer.shortText(), s.topic());
      }
    } else {
      state.unsubscribe(peer, s.topic());
    }
  }

  void messageReceived(PeerId from, PubsubMessage m) {
    if (!subscriptions.containsKey(m.topic())) {
      counters.notSubscribed++;
      return;
    }
    MessageId id = idFunction.apply(m);
    if (seen.contains(id)) {
      counters.duplicates++;
      topic(m.topic()).duplicates++;
      return;
    }
    // Verify before marking seen: a forged copy must not shadow the genuine message.
    if (verifier != null && config.signaturePolicy() == SignaturePolicy.STRICT_SIGN) {
      verifyOffThread(from, id, m);
      return;
    }
    if (MessageSigning.check(config.signaturePolicy(), m, authors) instanceof Invalid invalid) {
      invalid(from, m, invalid);
      return;
    }
    checked(from, id, m);
  }

  private boolean atLimit(Map<String, Integer> pending, String topic) {
    return pending.getOrDefault(topic, 0) >= config.validationsPendingMax();
  }

  private static void increment(Map<String, Integer> pending, String topic) {
    pending.merge(topic, 1, Integer::sum);
  }

  private static void decrement(Map<String, Integer> pending, String topic) {
    pending.computeIfPresent(topic, (t, n) -> n <= 1 ? null : n - 1);
  }

  private void verifyOffThread(PeerId from, MessageId id, PubsubMessage m) {
    MessageSigning.Prepared.Ready ready;
    switch (MessageSigning.prepare(m, authors)) {
      case MessageSigning.Prepared.Refused refused -> {
        invalid(from, m, refused.invalid());
        return;
      }
      case MessageSigning.Prepared.Ready r -> ready = r;
    }
    if (atLimit(verificationsPending, m.topic())) {
      counters.validationThrottled++;
      topic(m.topic()).throttled++;
      return;
    }
    increment(verificationsPending, m.topic());
    try {
      verifier.execute(() -> {
        MessageCheck result = ready.verify();
        eventLoop.execute(() -> {
          decrement(verificationsPending, m.topic());
          verified(from, id, m, result);
          flushUnlessDeferred();
        });
      });
    } catch (RejectedExecutionException e) {
      decrement(verificationsPending, m.topic()); // shutting down
    }
  }

  /** A signature verified off the router thread: a copy may have been accepted meanwhile. */
  private void verified(PeerId from, MessageId id, PubsubMessage m, MessageCheck result) {
    if (seen.contains(id)) {
      counters.duplicates++;
      topic(m.topic()).duplicates++;
      return;
    }
    if (result instanceof Invalid invalid) {
      invalid(from, m, invalid);
      return;
    }
    checked(from, id, m);
  }

  private void invalid(PeerId from, PubsubMessage m, Invalid invalid) {
    counters.invalidMessages++;
    log.debug("gossip message invalid peer={} topic={} reason={} detail={}", from.shortText(), m.topic(),
        invalid.reason(), invalid.detail());
  }

  /** The message obeys the signature policy: mark it seen, then validate and deliver. */
  private void checked(PeerId from, MessageId id, PubsubMessage m) {
    TopicValidator validator = validators.get(m.topic());
    if (validator != null && atLimit(validationsPending, m.topic())) {
      // Not marked seen: another copy (from another peer, or by IWANT) can still be taken once there is room.
      counters.validationThrottled++;
      topic(m.topic()).throttled++;
      return;
    }
    seen.add(id, nowMillis);
    if (validator == null) {
      accepted(from, id, m);
      return;
    }
    CompletionStage<ValidationResult> verdict = validate(validator, from, m);
    CompletableFuture<ValidationResult> future = verdict.toCompletableFuture();
    if (future.isDone()) {
      validated(from, id, m, future.isCompletedExceptionally() ? ValidationResult.IGNORE : future.resultNow());
      return;
    }
    increment(validationsPending, m.topic());
    verdict.whenComplete((result, error) -> eventLoop.execute(() -> {
      decrement(validationsPending, m.topic());
      validated(from, id, m, error == null && result != null ? result : ValidationResult.IGNORE);
      flushUnlessDeferred();
    }));
  }

  private static CompletionStage<ValidationResult> validate(TopicValidator validator, PeerId from, PubsubMessage m) {
    try {
      return Objects.requireNonNull(validator.validate(from, m), "validator returned null");
    } catch (RuntimeException e) {
      // A validator bug must not take the router down; the message is ignored and the bug logged.
      log.warn("gossip validator failed topic={} error={}", m.topic(), e.toString());
      return CompletableFuture.failedFuture(e);
    }
  }

  private void validated(PeerId from, MessageId id, PubsubMessage m, ValidationResult result) {
    switch (result) {
      case ACCEPT -> accepted(from, id, m);
      case REJECT -> {
        counters.rejected++;
        topic(m.topic()).rejected++;
        log.debug("gossip message rejected peer={} topic={} id={}", from.shortText(), m.topic(), id);
      }
      case IGNORE -> {
        counters.ignored++;
        topic(m.topic()).ignored++;
      }
    }
  }

  private void accepted(PeerId from, MessageId id, PubsubMessage m) {
    mcache.put(id, m);
    Set<PeerId> mesh = state.mesh.getOrDefault(m.topic(), Set.of());
    for (PeerId peer : mesh) {
      MeshState.Peer p = state.peers.get(peer);
      if (peer.equals(from) || p == null || p.idBytes.equals(m.from())) {
        continue;
      }
      outbox.message(peer, m);
      counters.forwarded++;
    }
    Consumer<ReceivedMessage> subscriber = subscriptions.get(m.topic());
    if (subscriber != null) {
      counters.delivered++;
      topic(m.topic()).delivered++;
      try {
        subscriber.accept(new ReceivedMessage(id, m, from));
      } catch (RuntimeException e) {
        log.warn("gossip subscriber failed topic={} error={}", m.topic(), e.toString());
      }
    }
  }

  boolean seenContains(MessageId id) {
    return seen.contains(id);
  }

  long clampedBackoffMillis(long backoffSeconds) {
    return backoffSeconds == 0 ? config.pruneBackoffMillis() : Math.min(backoffSeconds, PRUNE_BACKOFF_SECONDS_MAX) * 1000;
  }

  boolean subscribed(String topic) {
    return subscriptions.containsKey(topic);
  }

  /**
   * With {@code deferred} true, events leave what they want to send in the outbox until {@link #flush()}: a
   * driver that drains a burst of events (many publishes) then flushes once sends fewer, fuller RPCs.
   */
  public void deferFlush(boolean deferred) {
    this.flushDeferred = deferred;
    if (!deferred) {
      outbox.flush(transport);
    }
  }

  /** Sends everything the outbox holds, as few RPCs as the limits allow. */
  public void flush() {
    outbox.flush(transport);
  }

  private void flushUnlessDeferred() {
    if (!flushDeferred) {
      outbox.flush(transport);
    }
  }
}
