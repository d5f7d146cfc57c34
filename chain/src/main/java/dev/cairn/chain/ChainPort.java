package dev.cairn.chain;

import dev.cairn.ledger.model.Block;
import dev.cairn.ledger.model.BlockHeader;
import dev.cairn.ledger.model.FinalizedBlock;
import dev.cairn.ledger.model.Validation;
import dev.cairn.ledger.model.ValidatorSet;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.bytes.Bytes;
import java.util.Optional;

/**
 * What the consensus driver needs from the chain: the head, building and executing blocks, committing a
 * finalized one, and a durable slot for the engine's own votes and lock. Implemented over the RocksDB chain
 * store, the block executor and the mempool by {@link LocalChain}; called only from the consensus thread.
 */
public interface ChainPort {
  BlockHeader head();

  /** The validator set in force at head + 1. */
  ValidatorSet nextValidators();

  /** True if the mempool holds something to propose. */
  boolean hasPendingTransactions();

  /** Builds (and executes) a candidate for head + 1 from the mempool. */
  Block buildCandidate(int round, PublicKey proposer, long timestampMillis);

  /** Executes {@code block} against the head state; valid only if every header commitment matches. */
  Validation validate(Block block);

  /** Commits a finalized block (executing it first if it was never validated here) in one atomic batch. */
  void commit(FinalizedBlock block);

  /**
   * Verifies (link to head, certificate against the validators of its height, re-execution) and commits a
   * finalized block a peer sent; the reason it was refused otherwise, with nothing changed.
   */
  Validation importFinalized(FinalizedBlock block);

  Optional<Bytes> loadConsensusState();

  /** Durable (synced) before it returns: the engine's votes must be on disk before they are sent. */
  void saveConsensusState(Bytes state);
}
