package dev.cairn.consensus;

import dev.cairn.consensus.message.ConsensusMessage;
import dev.cairn.consensus.message.MessageKind;
import dev.cairn.consensus.message.PreparedCertificate;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.model.Block;
import dev.cairn.ledger.model.Validation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** The round state of the height in progress. Owned and mutated by the engine only. */
final class HeightState {
  /** Key of an own signed message: at most one of each kind per round. */
  record OwnKey(int round, MessageKind kind) {}

  /** One vote slot of one validator: two different signed votes in one slot are evidence. */
  record VoteSlot(int round, MessageKind kind, PublicKey author) {}

  final HeightContext context;
  int round;
  boolean finalized;
  int candidateRequestedRound = -1;
  /** A quorum is known to be at or above the current round (its timer then runs from that moment). */
  boolean quorumInRound;
  Optional<PreparedCertificate> lock = Optional.empty();
  final TreeMap<Integer, RoundLog> rounds = new TreeMap<>();
  /** Highest round each validator has shown, by any valid message at this height: drives round jumps. */
  final Map<PublicKey, Integer> highestRound = new HashMap<>();
  final Map<Hash, Block> blocks = new HashMap<>();
  final Map<Hash, Validation> validations = new HashMap<>();
  final Set<Hash> validationRequested = new HashSet<>();
  final Map<OwnKey, ConsensusMessage> own = new LinkedHashMap<>();
  final Set<VoteSlot> evidenceReported = new HashSet<>();

  HeightState(HeightContext context) {
    this.context = context;
  }

  long height() {
    return context.height();
  }

  RoundLog log(int round) {
    return rounds.computeIfAbsent(round, r -> new RoundLog());
  }

  void noteRound(PublicKey validator, int round) {
    highestRound.merge(validator, round, Math::max);
  }

  /** Validators known to be at round >= {@code round}; everyone is at least at round 0. */
  int countAtOrAbove(int round) {
    if (round == 0) {
      return context.validators().size();
    }
    int count = 0;
    for (PublicKey validator : context.validators().validators()) {
      if (highestRound.getOrDefault(validator, 0) >= round) {
        count++;
      }
    }
    return count;
  }

  /**
   * QBFT's f+1 rule: when f+1 other validators have shown rounds above ours, move to the highest round that
   * at least f+1 of them have reached. One of those f+1 is honest, so Byzantine validators alone cannot pull
   * honest ones into rounds nobody honest is in.
   */
  Optional<Integer> roundJumpTarget(PublicKey self) {
    int f = context.validators().maxFaulty();
    List<Integer> ahead = new ArrayList<>();
    for (PublicKey validator : context.validators().validators()) {
      int seen = highestRound.getOrDefault(validator, 0);
      if (!validator.equals(self) && seen > round) {
        ahead.add(seen);
      }
    }
    if (ahead.size() < f + 1) {
      return Optional.empty();
    }
    ahead.sort((a, b) -> Integer.compare(b, a));
    return Optional.of(ahead.get(f));
  }

  /**
   * Drops logs of rounds far below the current one (their votes can no longer form a new quorum we need) and
   * the blocks only they referred to: blocks held are those of retained rounds' proposals and round-change
   * certificates, and the lock's.
   */
  void prune(int roundsRetainedMax) {
    Map<Integer, RoundLog> old = rounds.headMap(round - roundsRetainedMax);
    if (old.isEmpty()) {
      return;
    }
    old.clear();
    Set<Hash> referenced = new HashSet<>();
    rounds.values().forEach(log -> log.blockHashes(referenced));
    lock.ifPresent(l -> referenced.add(l.blockHash()));
    blocks.keySet().retainAll(referenced);
  }

  /**
   * What must survive a restart: every own vote and round change, the lock, and our proposal of the highest
   * round we proposed in. Earlier own proposals are left out, so that the record holds at most two blocks
   * whatever the number of rounds: a restored engine resumes in the highest round it signed in and never
   * signs in a lower round again, so those proposals can neither be re-sent nor contradicted.
   */
  PersistedState persisted() {
    List<ConsensusMessage> kept = new ArrayList<>(own.size());
    int latestProposalRound = -1;
    for (OwnKey key : own.keySet()) {
      if (key.kind() == MessageKind.PROPOSAL) {
        latestProposalRound = Math.max(latestProposalRound, key.round());
      }
    }
    for (Map.Entry<OwnKey, ConsensusMessage> entry : own.entrySet()) {
      OwnKey key = entry.getKey();
      if (key.kind() != MessageKind.PROPOSAL || key.round() == latestProposalRound) {
        kept.add(entry.getValue());
      }
    }
    return new PersistedState(height(), kept, lock);
  }
}
