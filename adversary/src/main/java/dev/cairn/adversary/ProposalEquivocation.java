package dev.cairn.adversary;

import dev.cairn.consensus.message.ConsensusMessage;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.model.Block;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Byzantine validator that equivocates whenever it proposes: at each height where it is the round-0
 * proposer it signs {@code blocksPerRound} distinct valid blocks (they differ in timestamp), sends a
 * different one to each honest node first (one connection each, all at once, so each node's first copy is
 * its own), then all the others to everyone, then a PREPARE and a COMMIT for every one of them. Honest nodes
 * must keep one proposal per round and author, record the others as evidence, never finalize two blocks at
 * one height, and go on finalizing. Otherwise silent.
 *
 * <p>Report: {@code heights_attacked}, {@code proposals_sent}, {@code prepares_sent}, {@code commits_sent},
 * {@code heights_finalized} (attacked heights the chain went past) and {@code own_blocks_finalized} (of those,
 * heights where one of our blocks became final: the honest nodes happened to see the same one first).
 */
public record ProposalEquivocation(NetworkAccess access, int blocksPerRound, int heightsMax) implements Attack {
  public ProposalEquivocation {
    if (blocksPerRound < 2 || heightsMax < 1) {
      throw new IllegalArgumentException("blocksPerRound >= 2 and heightsMax >= 1 required");
    }
  }

  @Override
  public String name() {
    return "proposal-equivocation";
  }

  @Override
  public AttackReport run(Duration duration) throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + duration.toNanos();
    Map<String, Long> m = new LinkedHashMap<>();
    for (String counter : List.of("heights_attacked", "proposals_sent", "prepares_sent", "commits_sent",
        "heights_finalized", "own_blocks_finalized")) {
      m.put(counter, 0L);
    }
    try (ByzantineValidator byz = ByzantineValidator.join(access)) {
      while (m.get("heights_attacked") < heightsMax) {
        long height = byz.awaitOwnTurn(deadline);
        if (height < 0) {
          break;
        }
        Set<Hash> ours = equivocate(byz, height, m);
        if (!byz.awaitHeight(height, deadline)) {
          break;
        }
        m.merge("heights_finalized", 1L, Long::sum);
        if (byz.chain.block(height).map(b -> ours.contains(b.block().hash())).orElse(false)) {
          m.merge("own_blocks_finalized", 1L, Long::sum);
        }
      }
    }
    return new AttackReport(name(), (System.nanoTime() - start) / 1_000_000, m);
  }

  private Set<Hash> equivocate(ByzantineValidator byz, long height, Map<String, Long> m) {
    long now = System.currentTimeMillis();
    List<ConsensusMessage> proposals = new ArrayList<>(blocksPerRound);
    Set<Hash> hashes = new HashSet<>();
    for (int i = 0; i < blocksPerRound; i++) {
      Block block = byz.chain.build(List.of(), byz.self(), 0, now + i);
      proposals.add(byz.proposal(block, 0));
      hashes.add(block.hash());
    }
    int faces = byz.faces.size();
    for (int i = 0; i < faces && i < proposals.size(); i++) {
      byz.sendTo(i, proposals.get(i)); // each honest node hears a different block first
    }
    for (int i = faces; i < proposals.size(); i++) {
      byz.sendToAll(proposals.get(i));
    }
    for (Hash hash : hashes) {
      byz.sendToAll(byz.prepare(height, 0, hash));
    }
    for (Hash hash : hashes) {
      byz.sendToAll(byz.commit(height, 0, hash));
    }
    m.merge("heights_attacked", 1L, Long::sum);
    m.merge("proposals_sent", (long) proposals.size(), Long::sum);
    m.merge("prepares_sent", (long) hashes.size(), Long::sum);
    m.merge("commits_sent", (long) hashes.size(), Long::sum);
    return hashes;
  }
}
