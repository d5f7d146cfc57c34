package dev.cairn.genesis;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.execution.ExecutedBlock;
import dev.cairn.ledger.model.Block;
import dev.cairn.ledger.model.BlockHeader;
import dev.cairn.ledger.model.CommitCertificate;
import dev.cairn.ledger.model.FinalizedBlock;
import dev.cairn.ledger.model.MerkleRoot;
import dev.cairn.ledger.model.ValidatorSet;
import dev.cairn.ledger.state.MemoryNodeStore;
import dev.cairn.ledger.state.SparseMerkleTree;
import dev.cairn.ledger.state.StateChanges;
import dev.cairn.ledger.state.TreeUpdate;
import java.util.List;
import java.util.Objects;

/**
 * Block 0 of a chain, computed from its {@link GenesisConfig} alone, so every node that reads the same file
 * derives the same block and the same hash. Header: height 0, parent {@link Hash#ZERO}, timestamp = genesis
 * time, proposer {@link #PROPOSER}, round 0, the roots of empty transaction and receipt lists, the root of the
 * genesis state ({@link GenesisState}) and the hash of the genesis validator set.
 *
 * <p>The certificate carries no seals: nobody votes on genesis, every node derives it from its own file. The
 * chain store accepts an empty certificate at height 0 only; a node that finds a stored genesis hash compares
 * it with {@link #hash()} of its file and refuses to start on a mismatch.
 */
public record GenesisBlock(ExecutedBlock executed, CommitCertificate certificate) {
  /** Nobody proposes block 0: the header names the all-zero key, which signs nothing. */
  public static final PublicKey PROPOSER = new PublicKey(Bytes.wrap(new byte[PublicKey.SIZE]));

  public GenesisBlock {
    Objects.requireNonNull(executed, "executed");
    Objects.requireNonNull(certificate, "certificate");
    if (executed.height() != 0 || !certificate.blockHash().equals(executed.block().hash())) {
      throw new IllegalArgumentException("not a genesis block and its certificate");
    }
  }

  public static GenesisBlock of(GenesisConfig config) {
    StateChanges changes = GenesisState.changes(config);
    TreeUpdate tree = new SparseMerkleTree(new MemoryNodeStore(), SparseMerkleTree.EMPTY_ROOT).apply(changes);
    ValidatorSet validators = config.validatorSet();
    BlockHeader header = new BlockHeader(
        0, Hash.ZERO, config.genesisTimeMillis(), PROPOSER, 0,
        Block.txRoot(List.of()), MerkleRoot.ofReceipts(List.of()), tree.root(), validators.hash());
    Block block = new Block(header, List.of());
    ExecutedBlock executed = new ExecutedBlock(block, List.of(), changes, tree, validators);
    return new GenesisBlock(executed, new CommitCertificate(block.hash(), List.of()));
  }

  /** The genesis hash: the hash of block 0's header. */
  public Hash hash() {
    return executed.block().hash();
  }

  public Block block() {
    return executed.block();
  }

  public Hash stateRoot() {
    return executed.block().header().stateRoot();
  }

  public FinalizedBlock finalizedBlock() {
    return new FinalizedBlock(executed.block(), certificate);
  }
}
