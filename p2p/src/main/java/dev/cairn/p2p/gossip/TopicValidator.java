package dev.cairn.p2p.gossip;

import dev.cairn.p2p.identity.PeerId;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;

/**
 * Decides whether a received message on a topic is delivered and forwarded. Runs on the router thread and
 * must return quickly: cheap checks answer with a completed stage; expensive ones (signature batches, state
 * lookups) return a stage completed elsewhere. The router bounds how many are in flight
 * ({@link GossipConfig#validationsPendingMax()}) and ignores new messages beyond that. A stage that completes
 * exceptionally counts as IGNORE.
 */
@FunctionalInterface
public interface TopicValidator {
  CompletionStage<ValidationResult> validate(PeerId receivedFrom, PubsubMessage message);

  static TopicValidator sync(BiFunction<PeerId, PubsubMessage, ValidationResult> check) {
    return (from, message) -> CompletableFuture.completedFuture(check.apply(from, message));
  }
}
