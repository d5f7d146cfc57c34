package dev.cairn.chain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.genesis.ConsensusParameters;
import dev.cairn.genesis.GenesisAccount;
import dev.cairn.genesis.GenesisBlock;
import dev.cairn.genesis.GenesisConfig;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.execution.BlockExecutor;
import dev.cairn.ledger.execution.BlockLimits;
import dev.cairn.ledger.model.Block;
import dev.cairn.ledger.model.BlockHeader;
import dev.cairn.ledger.model.CommitCertificate;
import dev.cairn.ledger.model.CommitSeal;
import dev.cairn.ledger.model.FinalizedBlock;
import dev.cairn.ledger.model.Role;
import dev.cairn.ledger.model.Validation;
import dev.cairn.ledger.store.ChainStore;
import dev.cairn.ledger.store.StoreConfig;
import dev.cairn.mempool.Mempool;
import dev.cairn.mempool.MempoolConfig;
import dev.cairn.mempool.SignatureCache;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Blocks from peers (sync, block gossip) are untrusted: only a certified, linked, re-executing block commits. */
class LocalChainImportTest {
  private static final KeyPair VALIDATOR = KeyPair.fromSeed(new byte[32]);
  private static final GenesisConfig GENESIS = new GenesisConfig("import-test", 1_700_000_000_000L,
      ConsensusParameters.DEFAULTS, List.of(VALIDATOR.publicKey()),
      List.of(new GenesisAccount(VALIDATOR.address(), 1_000, EnumSet.of(Role.MEMBER))), List.of());

  @TempDir Path dir;
  private ChainStore producerStore;
  private ChainStore followerStore;

  private LocalChain open(String name) {
    ChainStore store = ChainStore.open(dir.resolve(name), StoreConfig.DEFAULTS);
    GenesisBlock genesis = GenesisBlock.of(GENESIS);
    store.commit(genesis.executed(), genesis.certificate());
    SignatureCache signatures = new SignatureCache(1_000);
    BlockLimits limits = new BlockLimits(100, 1_000_000);
    if (name.equals("producer")) {
      producerStore = store;
    } else {
      followerStore = store;
    }
    return new LocalChain(store, new BlockExecutor(GENESIS.chainId(), limits, signatures), limits,
        new Mempool(GENESIS.chainId(), MempoolConfig.DEFAULT, signatures));
  }

  @AfterEach
  void close() {
    if (producerStore != null) {
      producerStore.close();
    }
    if (followerStore != null) {
      followerStore.close();
    }
  }

  private static FinalizedBlock certified(Block block, KeyPair signer) {
    return new FinalizedBlock(block, new CommitCertificate(block.hash(), List.of(CommitSeal.sign(signer, block.hash()))));
  }

  @Test
  void aCertifiedNextBlockCommitsAndAnythingElseChangesNothing() {
    LocalChain producer = open("producer");
    LocalChain follower = open("follower");
    Block first = producer.buildCandidate(0, VALIDATOR.publicKey(), GENESIS.genesisTimeMillis() + 1_000);
    FinalizedBlock good = certified(first, VALIDATOR);
    producer.commit(good);
    Block second = producer.buildCandidate(0, VALIDATOR.publicKey(), GENESIS.genesisTimeMillis() + 2_000);

    // Not the next height: refused.
    Validation gap = follower.importFinalized(certified(second, VALIDATOR));
    assertThat(gap).isInstanceOf(Validation.Invalid.class);
    assertThat(((Validation.Invalid) gap).reason()).isEqualTo("sync_not_next_height");

    // Sealed by a key that is not a validator: refused.
    Validation forged = follower.importFinalized(certified(first, KeyPair.fromSeed(new byte[] {
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32})));
    assertThat(((Validation.Invalid) forged).reason()).isEqualTo("seal_from_non_validator");

    // Certified by the real validator but with a state root that does not follow from execution: refused.
    BlockHeader h = first.header();
    Block lying = new Block(new BlockHeader(h.height(), h.parentHash(), h.timestampMillis(), h.proposer(), h.round(),
        h.txRoot(), h.receiptsRoot(), Hash.of(new byte[32]), h.validatorSetHash()), first.transactions());
    assertThat(follower.importFinalized(certified(lying, VALIDATOR))).isInstanceOf(Validation.Invalid.class);
    assertThat(follower.head().height()).isZero();

    assertThat(follower.importFinalized(good)).isEqualTo(Validation.VALID);
    assertThat(follower.head().hash()).isEqualTo(first.hash());
    assertThat(followerStore.certificate(1)).contains(good.certificate());
    assertThat(follower.importFinalized(certified(second, VALIDATOR))).isEqualTo(Validation.VALID);
    assertThat(follower.head().height()).isEqualTo(2);
  }
}
