package dev.cairn.network;

import dev.cairn.consensus.HeightContext;
import dev.cairn.consensus.MessageValidator;
import dev.cairn.consensus.Preverified;
import dev.cairn.consensus.message.ConsensusMessage;
import dev.cairn.consensus.message.MessageCodec;
import dev.cairn.consensus.message.MessageIdentity;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.model.Validation;
import dev.cairn.ledger.model.ValidatorSet;
import dev.cairn.p2p.gossip.PubsubMessage;
import dev.cairn.p2p.gossip.ValidationResult;
import dev.cairn.p2p.identity.PeerId;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consensus topic's gossip validator: nothing is delivered to the driver or forwarded to peers before
 * its author is known to be a validator and its signatures verify (docs/security.md, "Consensus-level
 * attacks"). On the router thread it only reserves room and hands the message to {@code verifier} (a bounded
 * executor: the p2p TopicValidator contract forbids slow work there); beyond the room, in bytes in flight in
 * total and per relaying peer, the message is ignored and counted.
 *
 * <p>On the verifier thread: the envelope opens, the inner message is at most the chain's message limit,
 * and it is deduplicated by its {@link MessageIdentity} (the envelope's fresh sequence number makes every
 * re-send a new gossip message, so gossip's own content ids never see a replay). A message of the next height
 * gets the engine's full check ({@link MessageValidator}: author in the validator set, signature, commit seal,
 * certificate and justification); one a few heights ahead gets author and signature against the next
 * height's set (the best this node knows); older heights are ignored. Verdicts are remembered by identity
 * for {@link #SEEN_TTL_MILLIS}, so a replayed copy costs a hash, not a verification, and is not forwarded.
 *
 * <p>A message of the next height that passes is kept decoded and checked ({@link Preverified}) until the
 * router delivers it ({@link #takeChecked}): the consensus thread neither decodes it again nor repeats the
 * checks that do not depend on its round.
 */
public final class ConsensusGossipValidator {
  private static final Logger log = LoggerFactory.getLogger(ConsensusGossipValidator.class);

  /** Identities remembered (about 100 bytes each). */
  static final int SEEN_ENTRIES_MAX = 16_384;
  /** How long a verdict is remembered: a copy within it is ignored, a later one is checked again. */
  static final long SEEN_TTL_MILLIS = 60_000;
  /** Checked messages waiting for their delivery (normally one at a time, for a moment). */
  static final int CHECKED_ENTRIES_MAX = 256;

  /** Why a message got its verdict; counted for metrics and tests. */
  public enum Reason {
    ACCEPTED,
    MALFORMED_ENVELOPE,
    TOO_LARGE,
    MALFORMED_MESSAGE,
    DUPLICATE,
    STALE_HEIGHT,
    FAR_FUTURE_HEIGHT,
    AUTHOR_NOT_VALIDATOR,
    BAD_SIGNATURE,
    INVALID,
    UNVERIFIABLE_AHEAD,
    OVERLOADED
  }

  public record Verdict(ValidationResult result, Reason reason) {}

  /**
   * Verdicts that hold whatever this node's head: remembered. The others depend on the head and the next
   * validator set, which move, and cost no verification to repeat (membership and heights are checked first;
   * signatures that verified are cached by the shared verifier).
   */
  private static final java.util.Set<Reason> REMEMBERED =
      java.util.EnumSet.of(Reason.ACCEPTED, Reason.MALFORMED_MESSAGE, Reason.BAD_SIGNATURE);

  /** What the chain says now: the head and the validator set of the height after it. */
  public record View(long headHeight, Hash headHash, ValidatorSet nextValidators) {}

  private record Seen(Verdict verdict, long expiresMillis) {}

  /** A verdict and, for a message of the next height that passed the engine's full check, the message checked. */
  private record Outcome(Verdict verdict, Optional<Preverified> preverified) {
    Outcome(Verdict verdict) {
      this(verdict, Optional.empty());
    }
  }

  private final Supplier<View> view;
  private final MessageValidator messages;
  private final int futureHeightsMax;
  private final int messageBytesMax;
  private final Executor verifier;
  private final LongSupplier clockMillis;
  private final LinkedHashMap<Hash, Seen> seen = new LinkedHashMap<>();
  private final PeerByteBudget pending;
  private final CheckedHandoff checked;
  private final Map<Reason, LongAdder> counts = new EnumMap<>(Reason.class);

  /**
   * @param messageBytesMax the chain's largest consensus message ({@link MessageCodec#messageBytesMax})
   * @param pendingBytesMax bytes of messages waiting for or in verification, over all peers
   * @param pendingBytesPerPeerMax the same, per relaying peer: one peer's flood cannot take all the room
   */
  public ConsensusGossipValidator(Supplier<View> view, MessageValidator messages, int futureHeightsMax,
      int messageBytesMax, long pendingBytesMax, long pendingBytesPerPeerMax, Executor verifier, LongSupplier clockMillis) {
    this.view = Objects.requireNonNull(view, "view");
    this.messages = Objects.requireNonNull(messages, "messages");
    this.futureHeightsMax = futureHeightsMax;
    this.messageBytesMax = messageBytesMax;
    if (pendingBytesPerPeerMax < messageBytesMax || pendingBytesMax < pendingBytesPerPeerMax) {
      throw new IllegalArgumentException("need messageBytesMax <= pendingBytesPerPeerMax <= pendingBytesMax");
    }
    this.pending = new PeerByteBudget(pendingBytesMax, pendingBytesPerPeerMax);
    this.checked = new CheckedHandoff(CHECKED_ENTRIES_MAX, pendingBytesMax);
    this.verifier = Objects.requireNonNull(verifier, "verifier");
    this.clockMillis = Objects.requireNonNull(clockMillis, "clockMillis");
    for (Reason reason : Reason.values()) {
      counts.put(reason, new LongAdder());
    }
  }

  /** The TopicValidator: on the gossip router thread, only reserves room and hands off. */
  public CompletionStage<ValidationResult> validate(PeerId from, PubsubMessage message) {
    int bytes = message.data().size();
    if (!pending.reserve(from, bytes)) {
      count(Reason.OVERLOADED);
      log.debug("event=consensus_gossip_overloaded peer={} bytes={}", from.shortText(), bytes);
      return CompletableFuture.completedFuture(ValidationResult.IGNORE);
    }
    try {
      return CompletableFuture.supplyAsync(() -> {
        try {
          Outcome result = checkCounted(message.data().toByteArray());
          // Kept before the verdict completes: the router delivers only after it.
          result.preverified().ifPresent(preverified -> checked.put(message,
              new CheckedHandoff.Checked(preverified, message.data().size() - ConsensusEnvelope.HEADER_BYTES)));
          return result.verdict().result();
        } finally {
          pending.release(from, bytes);
        }
      }, verifier);
    } catch (RejectedExecutionException e) {
      pending.release(from, bytes);
      count(Reason.OVERLOADED);
      return CompletableFuture.completedFuture(ValidationResult.IGNORE);
    }
  }

  /** The whole check of one gossiped envelope (verifier thread; also what tests call). */
  Verdict check(byte[] data) {
    return checkCounted(data).verdict();
  }

  private Outcome checkCounted(byte[] data) {
    Outcome outcome = checkUncounted(data);
    count(outcome.verdict().reason());
    return outcome;
  }

  /**
   * The message {@code validate} accepted as {@code message}, decoded and checked, if it is still waiting
   * for its delivery; taken once. Empty for anything else (the subscriber then hands the bytes on, as ever).
   */
  Optional<CheckedHandoff.Checked> takeChecked(PubsubMessage message) {
    return checked.take(message);
  }

  private Outcome checkUncounted(byte[] data) {
    if (!(ConsensusEnvelope.open(data) instanceof ConsensusEnvelope.Opening.Opened opened)) {
      return new Outcome(new Verdict(ValidationResult.REJECT, Reason.MALFORMED_ENVELOPE));
    }
    byte[] inner = opened.message().unsafeArray();
    if (inner.length > messageBytesMax) {
      return new Outcome(new Verdict(ValidationResult.REJECT, Reason.TOO_LARGE));
    }
    Hash identity = MessageIdentity.of(inner);
    long now = clockMillis.getAsLong();
    if (remembered(identity, now)) {
      return new Outcome(new Verdict(ValidationResult.IGNORE, Reason.DUPLICATE));
    }
    Outcome outcome = switch (MessageCodec.decode(inner)) {
      case MessageCodec.Decoding.Rejected rejected -> new Outcome(new Verdict(ValidationResult.REJECT, Reason.MALFORMED_MESSAGE));
      case MessageCodec.Decoding.Decoded decoded -> checkMessage(decoded.message(), view.get());
    };
    if (REMEMBERED.contains(outcome.verdict().reason())) {
      remember(identity, outcome.verdict(), now);
    }
    return outcome;
  }

  private Outcome checkMessage(ConsensusMessage message, View now) {
    long height = message.height();
    if (height <= now.headHeight()) {
      return new Outcome(new Verdict(ValidationResult.IGNORE, Reason.STALE_HEIGHT));
    }
    if (height > now.headHeight() + futureHeightsMax) {
      return new Outcome(new Verdict(ValidationResult.IGNORE, Reason.FAR_FUTURE_HEIGHT));
    }
    HeightContext context = HeightContext.of(height, now.headHash(), now.nextValidators());
    if (height == now.headHeight() + 1) {
      // The engine's own check, every signature included; the round window is the engine's business.
      MessageValidator.Preverification preverification = messages.preverify(message, context);
      return new Outcome(verdictOf(preverification.validation(), ValidationResult.REJECT), preverification.preverified());
    }
    // Heights ahead: this node knows neither their parent nor (for sure) their validator set.
    return new Outcome(verdictOf(messages.validateSigned(message.signed(), context), ValidationResult.IGNORE));
  }

  private static Verdict verdictOf(Validation validation, ValidationResult onInvalid) {
    if (validation.isValid()) {
      return new Verdict(ValidationResult.ACCEPT, Reason.ACCEPTED);
    }
    String reason = ((Validation.Invalid) validation).reason();
    Reason named = switch (reason) {
      case "author_not_validator" -> Reason.AUTHOR_NOT_VALIDATOR;
      case "bad_signature" -> Reason.BAD_SIGNATURE;
      default -> onInvalid == ValidationResult.IGNORE ? Reason.UNVERIFIABLE_AHEAD : Reason.INVALID;
    };
    return new Verdict(onInvalid, named);
  }

  private boolean remembered(Hash identity, long now) {
    synchronized (seen) {
      Seen known = seen.get(identity);
      return known != null && known.expiresMillis() > now;
    }
  }

  private void remember(Hash identity, Verdict verdict, long now) {
    synchronized (seen) {
      seen.remove(identity);
      seen.put(identity, new Seen(verdict, now + SEEN_TTL_MILLIS));
      Iterator<Seen> oldest = seen.values().iterator();
      while (oldest.hasNext()) {
        Seen next = oldest.next();
        if (seen.size() <= SEEN_ENTRIES_MAX && next.expiresMillis() > now) {
          break;
        }
        oldest.remove();
      }
    }
  }

  private void count(Reason reason) {
    counts.get(reason).increment();
  }

  /** Verdicts since start, by reason: for metrics and tests. */
  public Map<Reason, Long> counts() {
    Map<Reason, Long> out = new EnumMap<>(Reason.class);
    counts.forEach((reason, adder) -> out.put(reason, adder.sum()));
    return out;
  }

  long pendingBytes() {
    return pending.bytes();
  }

  /** Checked messages waiting for their delivery: for tests. */
  int checkedWaiting() {
    return checked.size();
  }
}
