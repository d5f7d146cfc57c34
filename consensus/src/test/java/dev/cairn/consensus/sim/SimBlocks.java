package dev.cairn.consensus.sim;

import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.crypto.DomainTag;
import dev.cairn.ledger.crypto.Hashing;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.model.Block;
import dev.cairn.ledger.model.BlockHeader;
import dev.cairn.ledger.model.MerkleRoot;
import dev.cairn.ledger.model.Validation;
import dev.cairn.ledger.model.ValidatorSet;
import java.util.List;

/**
 * Real blocks with a stand-in for execution: the "state root" after a block is a hash of the parent's state
 * root and the height, and a block whose state root is {@link #INVALID_STATE_ROOT} does not execute (what a
 * Byzantine proposer sets). No database involved.
 */
final class SimBlocks {
  static final Hash INVALID_STATE_ROOT = Hashing.hash(DomainTag.GENESIS, "does-not-execute".getBytes());
  private static final Hash EMPTY_TX_ROOT = Block.txRoot(List.of());
  private static final Hash EMPTY_RECEIPTS_ROOT = MerkleRoot.ofReceipts(List.of());

  private SimBlocks() {}

  static Block genesis(ValidatorSet validators) {
    BlockHeader header =
        new BlockHeader(0, Hash.ZERO, 0, validators.validators().get(0), 0, EMPTY_TX_ROOT, EMPTY_RECEIPTS_ROOT,
            Hashing.hash(DomainTag.GENESIS, "sim-genesis".getBytes()), validators.hash());
    return new Block(header, List.of());
  }

  static Hash stateAfter(BlockHeader parent, long height) {
    return Hashing.hash(DomainTag.STATE_NODE, parent.stateRoot().unsafeArray(), Hash.of(longBytes(height)).unsafeArray());
  }

  private static byte[] longBytes(long value) {
    byte[] out = new byte[32];
    for (int i = 0; i < 8; i++) {
      out[31 - i] = (byte) (value >>> (8 * i));
    }
    return out;
  }

  /** A block for (height, round) on {@code parent}; {@code salt} varies the timestamp (equivocation). */
  static Block build(BlockHeader parent, ValidatorSet validators, PublicKey proposer, int round, long nowMillis,
      long salt, boolean valid) {
    long height = parent.height() + 1;
    long timestamp = Math.max(nowMillis, parent.timestampMillis() + 1) + salt;
    Hash stateRoot = valid ? stateAfter(parent, height) : INVALID_STATE_ROOT;
    BlockHeader header = new BlockHeader(height, parent.hash(), timestamp, proposer, round, EMPTY_TX_ROOT,
        EMPTY_RECEIPTS_ROOT, stateRoot, validators.hash());
    return new Block(header, List.of());
  }

  /** As {@link #build}, with transactions filling the block to exactly {@code blockBytes} encoded bytes. */
  static Block buildFilled(BlockHeader parent, ValidatorSet validators, PublicKey proposer, int round, long nowMillis,
      boolean valid, int blockBytes) {
    Block empty = build(parent, validators, proposer, round, nowMillis, 0, valid);
    return dev.cairn.ledger.testing.LargeBlocks.filled(empty.header(), blockBytes);
  }

  /** The simulated state transition: does {@code block} execute on {@code parent}? */
  static Validation execute(Block block, BlockHeader parent, ValidatorSet validators) {
    BlockHeader header = block.header();
    if (header.height() != parent.height() + 1 || !header.parentHash().equals(parent.hash())) {
      return Validation.invalid("not_a_child", "block does not extend the parent");
    }
    if (!header.txRoot().equals(Block.txRoot(block.transactions())) || !header.validatorSetHash().equals(validators.hash())) {
      return Validation.invalid("bad_roots", "tx root or validator set hash wrong");
    }
    if (!header.stateRoot().equals(stateAfter(parent, header.height()))) {
      return Validation.invalid("bad_state_root", "block does not execute to its state root");
    }
    return Validation.VALID;
  }
}
