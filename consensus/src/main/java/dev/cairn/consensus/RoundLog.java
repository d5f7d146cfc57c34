package dev.cairn.consensus;

import dev.cairn.consensus.message.ConsensusMessage;
import dev.cairn.consensus.message.MessageBody;
import dev.cairn.consensus.message.SignedMessage;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.crypto.PublicKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The validated messages of one round at one height. One vote of each kind per validator: a second, equal
 * vote is a duplicate; a second, different one is equivocation and becomes evidence (the first is kept).
 */
final class RoundLog {
  ConsensusMessage proposal;
  final Map<PublicKey, SignedMessage> prepares = new LinkedHashMap<>();
  final Map<PublicKey, SignedMessage> commits = new LinkedHashMap<>();
  final Map<PublicKey, ConsensusMessage> roundChanges = new LinkedHashMap<>();

  /** Adds a vote; returns the earlier, conflicting vote of the same author if there is one. */
  static Optional<SignedMessage> record(Map<PublicKey, SignedMessage> votes, SignedMessage vote) {
    SignedMessage earlier = votes.putIfAbsent(vote.author(), vote);
    if (earlier == null || earlier.body().equals(vote.body())) {
      return Optional.empty();
    }
    return Optional.of(earlier);
  }

  static List<SignedMessage> votesFor(Map<PublicKey, SignedMessage> votes, Hash blockHash) {
    List<SignedMessage> matching = new ArrayList<>();
    for (SignedMessage vote : votes.values()) {
      if (blockHashOf(vote).equals(blockHash)) {
        matching.add(vote);
      }
    }
    return matching;
  }

  static Hash blockHashOf(SignedMessage vote) {
    return switch (vote.body()) {
      case MessageBody.Prepare p -> p.blockHash();
      case MessageBody.Commit c -> c.blockHash();
      default -> throw new IllegalStateException("not a vote: " + vote.kind());
    };
  }

  /** True when exactly this signed message is already logged (a duplicate delivery: skip re-validation). */
  boolean contains(ConsensusMessage message) {
    SignedMessage signed = message.signed();
    return switch (message.kind()) {
      case PROPOSAL -> proposal != null && proposal.signed().equals(signed);
      case PREPARE -> signed.equals(prepares.get(signed.author()));
      case COMMIT -> signed.equals(commits.get(signed.author()));
      case ROUND_CHANGE -> {
        ConsensusMessage known = roundChanges.get(signed.author());
        yield known != null && known.signed().equals(signed);
      }
    };
  }
}
