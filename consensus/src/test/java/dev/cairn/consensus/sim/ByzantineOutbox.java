package dev.cairn.consensus.sim;

import dev.cairn.consensus.message.ConsensusMessage;
import dev.cairn.consensus.message.MessageBody;
import dev.cairn.consensus.message.SignedMessage;
import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.crypto.DomainTag;
import dev.cairn.ledger.crypto.Hashing;
import dev.cairn.ledger.crypto.Signature;
import dev.cairn.ledger.model.Block;
import dev.cairn.ledger.model.BlockHeader;
import dev.cairn.ledger.model.CommitSeal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * What a Byzantine validator sends instead of (or besides) what its engine asked it to broadcast, per
 * destination. Every forged message is validly signed by the Byzantine validator's own key unless the
 * behaviour is to corrupt signatures: Byzantine validators cannot forge honest validators' signatures.
 */
final class ByzantineOutbox {
  /** The second block an equivocating proposer sent for (height, round), and the first one's hash. */
  private record Equivocation(Hash firstHash, ConsensusMessage second) {}

  private record Position(long height, int round) {}

  /** Distinct blocks a MANY_BLOCK_PROPOSER sends per round: more than an honest engine may hold at once. */
  static final int BLOCKS_PER_ROUND = 200;
  private final Map<Position, List<ConsensusMessage>> manyBlocks = new HashMap<>();

  private final RandomGenerator random;
  private final Map<Position, Equivocation> equivocations = new HashMap<>();
  /** Honest validators that get the second block of an equivocation (every other honest one, by index). */
  private final boolean[] secondGroup;

  ByzantineOutbox(RandomGenerator random, List<SimNode> nodes) {
    this.random = random;
    this.secondGroup = new boolean[nodes.size()];
    int rank = 0;
    for (SimNode node : nodes) {
      if (node.honest()) {
        secondGroup[node.index] = rank++ % 2 == 1;
      }
    }
  }

  List<ConsensusMessage> messagesFor(SimNode from, SimNode to, ConsensusMessage message) {
    return switch (from.behaviour) {
      case HONEST, INVALID_BLOCK_VOTER, GARBAGE -> List.of(message);
      case SILENT -> List.of();
      case INVALID_SIGNATURES -> List.of(random.nextBoolean() ? corruptSignature(message) : message);
      case STALE_AND_FUTURE -> staleAndFuture(from, message);
      case EQUIVOCATING_PROPOSER -> List.of(equivocate(from, to, message));
      case DOUBLE_VOTER -> doubleVote(from, to, message);
      case FORK_COALITION -> List.of(coalition(from, to, message));
      case MANY_BLOCK_PROPOSER -> manyBlocks(from, message);
    };
  }

  private static ConsensusMessage corruptSignature(ConsensusMessage message) {
    byte[] signature = message.signed().signature().bytes().toArray();
    signature[7] ^= 0x20;
    SignedMessage forged =
        new SignedMessage(message.body(), message.author(), new Signature(Bytes.wrap(signature)));
    return new ConsensusMessage(forged, message.roundChanges(), message.prepared());
  }

  private List<ConsensusMessage> staleAndFuture(SimNode from, ConsensusMessage message) {
    List<ConsensusMessage> out = new ArrayList<>(List.of(message));
    if (random.nextInt(3) != 0) {
      return out;
    }
    long height = message.height();
    int round = message.round();
    long[][] positions = {{height + 1_000, round}, {height, round + 1_000}, {Math.max(0, height - 1), round},
        {height + 1, round}};
    for (long[] position : positions) {
      MessageBody moved = moved(message.body(), position[0], (int) position[1]);
      if (moved != null) {
        out.add(ConsensusMessage.vote(SignedMessage.sign(from.key, moved)));
      }
    }
    return out;
  }

  private static MessageBody moved(MessageBody body, long height, int round) {
    return switch (body) {
      case MessageBody.Prepare p -> new MessageBody.Prepare(height, round, p.blockHash());
      case MessageBody.Commit c -> new MessageBody.Commit(height, round, c.blockHash(), c.sealSignature());
      case MessageBody.RoundChange rc -> new MessageBody.RoundChange(height, round, Optional.empty());
      case MessageBody.Proposal p -> null;
    };
  }

  private ConsensusMessage equivocate(SimNode from, SimNode to, ConsensusMessage message) {
    if (!secondGroup[to.index] || !(message.body() instanceof MessageBody.Proposal)) {
      return message;
    }
    Equivocation equivocation = equivocation(from, message);
    return equivocation == null ? message : equivocation.second();
  }

  /** The second proposal for the same (height, round): same justification, a block with another timestamp. */
  private Equivocation equivocation(SimNode from, ConsensusMessage proposal) {
    Position position = new Position(proposal.height(), proposal.round());
    Equivocation known = equivocations.get(position);
    if (known != null) {
      return known;
    }
    Block first = ((MessageBody.Proposal) proposal.body()).block();
    BlockHeader h = first.header();
    if (h.round() != proposal.round()) {
      return null; // a re-proposed locked block: a different one would be refused anyway
    }
    BlockHeader other = new BlockHeader(h.height(), h.parentHash(), h.timestampMillis() + 1, h.proposer(), h.round(),
        h.txRoot(), h.receiptsRoot(), h.stateRoot(), h.validatorSetHash());
    SignedMessage signed =
        SignedMessage.sign(from.key, new MessageBody.Proposal(proposal.height(), proposal.round(), new Block(other, List.of())));
    Equivocation created =
        new Equivocation(first.hash(), new ConsensusMessage(signed, proposal.roundChanges(), proposal.prepared()));
    equivocations.put(position, created);
    return created;
  }

  /** The proposal and BLOCKS_PER_ROUND - 1 others for its (height, round), shuffled per receiver. */
  private List<ConsensusMessage> manyBlocks(SimNode from, ConsensusMessage proposal) {
    if (!(proposal.body() instanceof MessageBody.Proposal p) || p.block().header().round() != proposal.round()) {
      return List.of(proposal); // votes, round changes, re-proposals of a locked block
    }
    List<ConsensusMessage> all = manyBlocks.computeIfAbsent(new Position(proposal.height(), proposal.round()), position -> {
      List<ConsensusMessage> out = new ArrayList<>(List.of(proposal));
      BlockHeader h = p.block().header();
      for (int salt = 1; salt < BLOCKS_PER_ROUND; salt++) {
        BlockHeader other = new BlockHeader(h.height(), h.parentHash(), h.timestampMillis() + salt, h.proposer(),
            h.round(), h.txRoot(), h.receiptsRoot(), h.stateRoot(), h.validatorSetHash());
        SignedMessage signed = SignedMessage.sign(
            from.key, new MessageBody.Proposal(proposal.height(), proposal.round(), new Block(other, p.block().transactions())));
        out.add(new ConsensusMessage(signed, proposal.roundChanges(), proposal.prepared()));
      }
      return List.copyOf(out);
    });
    List<ConsensusMessage> shuffled = new ArrayList<>(all);
    for (int i = shuffled.size() - 1; i > 0; i--) {
      java.util.Collections.swap(shuffled, i, random.nextInt(i + 1));
    }
    return shuffled;
  }

  private List<ConsensusMessage> doubleVote(SimNode from, SimNode to, ConsensusMessage message) {
    if (to.index % 2 == 0 || !(message.body() instanceof MessageBody.Prepare || message.body() instanceof MessageBody.Commit)) {
      return List.of(message);
    }
    Hash other = Hashing.hash(DomainTag.BLOCK_HEADER, ("double-vote " + message.height() + "/" + message.round()).getBytes());
    ConsensusMessage conflicting = ConsensusMessage.vote(SignedMessage.sign(from.key, voteFor(from, message.body(), other)));
    return random.nextBoolean() ? List.of(message, conflicting) : List.of(conflicting, message);
  }

  private static MessageBody voteFor(SimNode from, MessageBody body, Hash blockHash) {
    return switch (body) {
      case MessageBody.Prepare p -> new MessageBody.Prepare(p.height(), p.round(), blockHash);
      case MessageBody.Commit c ->
          new MessageBody.Commit(c.height(), c.round(), blockHash, CommitSeal.sign(from.key, blockHash).signature());
      default -> throw new IllegalArgumentException("not a vote");
    };
  }

  /** Members tell the second group of honest validators about block B and vote for B towards them. */
  private ConsensusMessage coalition(SimNode from, SimNode to, ConsensusMessage message) {
    if (!to.honest() || !secondGroup[to.index]) {
      return message;
    }
    return switch (message.body()) {
      case MessageBody.Proposal p -> {
        Equivocation equivocation = equivocation(from, message);
        yield equivocation == null ? message : equivocation.second();
      }
      case MessageBody.Prepare p -> revote(from, message, p.blockHash());
      case MessageBody.Commit c -> revote(from, message, c.blockHash());
      case MessageBody.RoundChange rc -> message;
    };
  }

  private ConsensusMessage revote(SimNode from, ConsensusMessage vote, Hash votedFor) {
    Equivocation equivocation = equivocations.get(new Position(vote.height(), vote.round()));
    if (equivocation == null || !equivocation.firstHash().equals(votedFor)) {
      return vote;
    }
    Hash second = ((MessageBody.Proposal) equivocation.second().body()).block().hash();
    return ConsensusMessage.vote(SignedMessage.sign(from.key, voteFor(from, vote.body(), second)));
  }
}
