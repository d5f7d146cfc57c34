package dev.cairn.consensus.driver;

import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.model.BlockHeader;
import dev.cairn.ledger.model.ValidatorSet;

/**
 * What the driver reads between steps: the chain's head and the validators of the next height, whether the
 * mempool holds something to propose, and whether a validator can reach us. Reads only; everything the
 * driver wants changed leaves it as a {@link DriverCommand}. The answers change only when the caller applies
 * a Commit or an Import command (and, for the mempool and the peers, between steps).
 */
public interface DriverView {
  BlockHeader head();

  /** The validator set in force at head + 1. */
  ValidatorSet nextValidators();

  boolean hasPendingTransactions();

  /**
   * Whether {@code validator} has a connection to this node now (this node itself always has). Only a hint
   * for how long to wait for a proposal, never part of what the protocol decides.
   */
  boolean isReachable(PublicKey validator);
}
