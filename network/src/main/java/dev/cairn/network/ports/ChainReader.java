package dev.cairn.network.ports;

import dev.cairn.ledger.model.BlockHeader;
import dev.cairn.ledger.model.FinalizedBlock;
import dev.cairn.ledger.model.ValidatorSet;
import java.util.List;

/** What the network reads from the chain: the head, the next height's validators, finalized blocks to serve. */
public interface ChainReader {
  BlockHeader head();

  /** The validator set in force at head + 1. */
  ValidatorSet nextValidators();

  /**
   * Finalized blocks from {@code fromHeight} on, at most {@code countMax} and about {@code bytesMax} (the
   * first block always whole); fewer, or none, past the head.
   */
  List<FinalizedBlock> blocks(long fromHeight, int countMax, long bytesMax);
}
