package dev.cairn.consensus.sim;

import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.model.Block;
import dev.cairn.ledger.model.BlockHeader;
import dev.cairn.ledger.model.CommitCertificate;
import dev.cairn.ledger.model.CommitSeal;
import dev.cairn.ledger.model.FinalizedBlock;
import dev.cairn.ledger.model.ValidatorSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A chain the other validators finalized while one was offline: real blocks, each sealed by a quorum that
 * leaves the offline validator out. Built once per (validators, offline validator, length) and shared by every
 * seed, so that a seed pays for syncing 1,000 heights, not for signing them.
 */
final class SimPrefix {
  private record Key(ValidatorSet validators, int offline, int heights) {}

  private static final Map<Key, List<FinalizedBlock>> PREFIXES = new ConcurrentHashMap<>();

  private SimPrefix() {}

  static List<FinalizedBlock> of(ValidatorSet validators, List<KeyPair> keys, int offline, int heights) {
    return PREFIXES.computeIfAbsent(new Key(validators, offline, heights), k -> build(validators, keys, offline, heights));
  }

  private static List<FinalizedBlock> build(ValidatorSet validators, List<KeyPair> keys, int offline, int heights) {
    List<KeyPair> signers = new ArrayList<>(keys);
    signers.remove(offline);
    signers = signers.subList(0, validators.quorum());
    List<FinalizedBlock> chain = new ArrayList<>(heights);
    BlockHeader parent = SimBlocks.genesis(validators).header();
    for (long height = 1; height <= heights; height++) {
      Block block = SimBlocks.build(parent, validators, validators.proposer(height, 0), 0, height, 0, true);
      List<CommitSeal> seals = new ArrayList<>();
      for (KeyPair signer : signers) {
        seals.add(CommitSeal.sign(signer, block.hash()));
      }
      chain.add(new FinalizedBlock(block, new CommitCertificate(block.hash(), seals)));
      parent = block.header();
    }
    return List.copyOf(chain);
  }
}
