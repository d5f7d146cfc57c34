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
 * The same holds for proposals: the first validly signed proposal of each author is the only one whose block
 * is stored, so a Byzantine proposer cannot make us hold more than one block per round.
 */
final class RoundLog {
  /** The proposal this round's voting follows (the first valid one seen while the round was current). */
  ConsensusMessage proposal;
  /** The first validly signed proposal of each author in this round (only the round's proposer validates). */
  final Map<PublicKey, SignedMessage> proposals = new LinkedHashMap<>();
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

  /** Adds a proposal; returns the author's earlier, different proposal of this round if there is one. */
  static Optional<SignedMessage> recordProposal(Map<PublicKey, SignedMessage> proposals, SignedMessage proposal) {
    SignedMessage earlier = proposals.putIfAbsent(proposal.author(), proposal);
    if (earlier == null || earlier.equals(proposal)) {
      return Optional.empty();
    }
    return Optional.of(earlier);
  }

  /** Hashes of the blocks this round's messages refer to: its proposals' blocks and round changes' certificates. */
  void blockHashes(java.util.Set<Hash> into) {
    for (SignedMessage p : proposals.values()) {
      into.add(((MessageBody.Proposal) p.body()).block().hash());
    }
    for (ConsensusMessage rc : roundChanges.values()) {
      rc.prepared().ifPresent(cert -> into.add(cert.blockHash()));
    }
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
      case PROPOSAL -> signed.equals(proposals.get(signed.author()));
      case PREPARE -> signed.equals(prepares.get(signed.author()));
      case COMMIT -> signed.equals(commits.get(signed.author()));
      case ROUND_CHANGE -> {
        ConsensusMessage known = roundChanges.get(signed.author());
        yield known != null && known.signed().equals(signed);
      }
    };
  }
}
