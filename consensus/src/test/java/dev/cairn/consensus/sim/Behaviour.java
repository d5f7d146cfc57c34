package dev.cairn.consensus.sim;

/** How a simulated validator behaves. Everything but HONEST is Byzantine. */
public enum Behaviour {
  HONEST,
  /** Never sends anything. */
  SILENT,
  /** As proposer, sends one block to half of its peers and a different one to the other half. */
  EQUIVOCATING_PROPOSER,
  /** Sends its messages with a corrupted signature to some peers. */
  INVALID_SIGNATURES,
  /** Also sends validly signed copies of its messages for old heights, far-future heights and rounds. */
  STALE_AND_FUTURE,
  /** Proposes blocks that do not execute and votes for every block, valid or not. */
  INVALID_BLOCK_VOTER,
  /** Besides its messages, sends random bytes, bit-flipped or truncated encodings. */
  GARBAGE,
  /** Sends a second PREPARE/COMMIT for another block to half of its peers (evidence must name it). */
  DOUBLE_VOTER,
  /**
   * Colludes with the other FORK_COALITION members: as proposer, sends block A to one half of the honest
   * validators and block B to the other, and all members vote for A towards the first half and for B
   * towards the second. With f+1 members this breaks agreement; it exists to show the checker catches it.
   */
  FORK_COALITION,
  /**
   * As proposer of a round with a fresh block, sends many distinct, valid, signed blocks for it (the same
   * set to everyone, in a different order to each): the memory attack of issue 14, finding 4.
   */
  MANY_BLOCK_PROPOSER;

  public boolean byzantine() {
    return this != HONEST;
  }

  /** The behaviours a scenario with f Byzantine validators draws from (the coalition needs f+1). */
  static final Behaviour[] WITHIN_F = {
    SILENT, EQUIVOCATING_PROPOSER, INVALID_SIGNATURES, STALE_AND_FUTURE, INVALID_BLOCK_VOTER, DOUBLE_VOTER, GARBAGE
  };
}
