package dev.cairn.ledger.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.codec.LedgerCodec;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.execution.BlockCheck;
import dev.cairn.ledger.execution.BlockExecutor;
import dev.cairn.ledger.execution.BlockLimits;
import dev.cairn.ledger.execution.ExecutedBlock;
import dev.cairn.ledger.execution.SignatureCheck;
import dev.cairn.ledger.model.Account;
import dev.cairn.ledger.model.BlockHeader;
import dev.cairn.ledger.model.CommitCertificate;
import dev.cairn.ledger.model.Payload;
import dev.cairn.ledger.model.Transaction;
import dev.cairn.ledger.model.ValidatorSet;
import dev.cairn.ledger.state.SparseMerkleTree;
import dev.cairn.ledger.state.StateKeys;
import dev.cairn.ledger.store.fixtures.ChainFixture;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ledger's real state transition running on stores: a proposer builds each block from its store's flat
 * state and stored tree nodes, a follower validates it against its own store, and both commit it. The two
 * stores must end identical and verify.
 */
class ExecutionOnStoreTest {
  private static final int BLOCKS = 10;

  @TempDir Path proposerDir;
  @TempDir Path followerDir;

  @Test
  void blocksBuiltOnOneStoreValidateAndCommitOnAnother() {
    ChainFixture fixture = ChainFixture.create(4, 5, 21);
    BlockExecutor executor = new BlockExecutor(ChainFixture.CHAIN_ID, BlockLimits.CODEC_MAX, SignatureCheck.VERIFY_EACH);
    try (ChainStore proposer = ChainStore.open(proposerDir, StoreConfig.small());
        ChainStore follower = ChainStore.open(followerDir, StoreConfig.small())) {
      ExecutedBlock genesis = fixture.genesis();
      proposer.commit(genesis, fixture.certify(genesis));
      follower.commit(genesis, fixture.certify(genesis));
      for (int i = 0; i < BLOCKS; i++) {
        ChainHead head = proposer.head().orElseThrow();
        long height = head.height() + 1;
        BlockHeader parent = proposer.header(head.hash()).orElseThrow();
        ValidatorSet validators = proposer.validatorsAt(height).orElseThrow();
        ExecutedBlock built = executor.build(parent, proposer.state(),
            new SparseMerkleTree(proposer.nodes(), head.stateRoot()), validators, candidates(fixture, proposer, i),
            validators.proposer(height, 0), 0, parent.timestampMillis() + 1000);
        assertThat(built.block().transactions()).isNotEmpty();
        CommitCertificate certificate = fixture.certify(built.block().hash(), validators.validators());
        proposer.commit(built, certificate);

        ChainHead followerHead = follower.head().orElseThrow();
        BlockCheck check = executor.validate(built.block(), follower.header(followerHead.hash()).orElseThrow(),
            follower.state(), new SparseMerkleTree(follower.nodes(), followerHead.stateRoot()),
            follower.validatorsAt(height).orElseThrow());
        assertThat(check).isInstanceOf(BlockCheck.Valid.class);
        follower.commit(((BlockCheck.Valid) check).executed(), certificate);
      }
      assertThat(follower.head()).isEqualTo(proposer.head());
      for (ChainStore store : List.of(proposer, follower)) {
        ChainVerifier verifier = new ChainVerifier(store);
        assertThat(verifier.verify(ChainVerifier.Progress.NONE).passed()).isTrue();
        assertThat(verifier.verifyState()).isEqualTo(new VerificationResult.Passed(BLOCKS + 1, 0));
      }
    }
  }

  /** A transfer from each account with its next nonce from the store, and a record every other block. */
  private static List<Transaction> candidates(ChainFixture fixture, ChainStore store, int block) {
    List<Transaction> txs = new ArrayList<>();
    for (int a = 0; a < 5; a++) {
      KeyPair sender = fixture.account(a);
      Account account = store.state().get(StateKeys.account(sender.address()))
          .map(bytes -> LedgerCodec.decodeAccount(bytes.unsafeArray())).orElse(Account.EMPTY);
      long nonce = account.nonce();
      txs.add(Transaction.sign(ChainFixture.CHAIN_ID, sender, nonce,
          new Payload.Transfer(fixture.account((a + 1) % 5).address(), 10 + block)));
      if (block % 2 == 0) {
        txs.add(Transaction.sign(ChainFixture.CHAIN_ID, sender, nonce + 1,
            new Payload.RecordPut("note-" + block, Bytes.fromHex("c0ffee"))));
      }
    }
    return txs;
  }
}
