package dev.cairn.ledger.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.codec.LedgerCodec;
import dev.cairn.ledger.execution.ExecutedBlock;
import dev.cairn.ledger.model.BlockHeader;
import dev.cairn.ledger.model.CommitCertificate;
import dev.cairn.ledger.model.Transaction;
import dev.cairn.ledger.store.fixtures.ChainFixture;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChainVerifierTest {
  private static final StoreConfig CONFIG = StoreConfig.small();
  private static final int HEAD = 8;

  @TempDir Path dir;
  private ChainFixture fixture;
  private final List<ExecutedBlock> chain = new ArrayList<>();

  @BeforeEach
  void commitChain() {
    fixture = ChainFixture.create(4, 5, 42);
    try (ChainStore store = ChainStore.openForVerification(dir, CONFIG)) {
      ExecutedBlock genesis = fixture.genesis();
      store.commit(genesis, fixture.certify(genesis));
      chain.add(genesis);
      for (int i = 0; i < HEAD; i++) {
        ExecutedBlock next = fixture.next(3);
        store.commit(next, fixture.certify(next));
        chain.add(next);
      }
    }
  }

  private VerificationResult verify() {
    try (ChainStore store = ChainStore.openForVerification(dir, CONFIG)) {
      return new ChainVerifier(store).verify(ChainVerifier.Progress.NONE);
    }
  }

  private void tamper(Consumer<RocksStore> change) {
    try (RocksStore raw = RocksStore.open(dir, CONFIG)) {
      change.accept(raw);
    }
  }

  private Hash hashAt(int height) {
    return chain.get(height).block().hash();
  }

  private static void assertFailed(VerificationResult result, long height, String reason) {
    assertThat(result).isInstanceOf(VerificationResult.Failed.class);
    VerificationResult.Failed failed = (VerificationResult.Failed) result;
    assertThat(failed.reason()).as(failed.toString()).isEqualTo(reason);
    assertThat(failed.height()).as(failed.toString()).isEqualTo(height);
  }

  @Test
  void passesAGoodChainAndReportsProgressForEveryHeight() {
    List<Long> seen = new ArrayList<>();
    try (ChainStore store = ChainStore.openForVerification(dir, CONFIG)) {
      VerificationResult result = new ChainVerifier(store).verify((height, headHeight) -> {
        assertThat(headHeight).isEqualTo(HEAD);
        seen.add(height);
      });
      assertThat(result).isEqualTo(new VerificationResult.Passed(HEAD + 1, HEAD * 3L));
      assertThat(new ChainVerifier(store).verifyState().passed()).isTrue();
    }
    assertThat(seen).hasSize(HEAD + 1).startsWith(0L).endsWith((long) HEAD);
  }

  @Test
  void passesAnEmptyStore(@TempDir Path empty) {
    try (ChainStore store = ChainStore.openForVerification(empty, CONFIG)) {
      assertThat(new ChainVerifier(store).verify(ChainVerifier.Progress.NONE))
          .isEqualTo(new VerificationResult.Passed(0, 0));
    }
  }

  @Test
  void catchesATamperedHeader() {
    BlockHeader h = chain.get(5).block().header();
    BlockHeader forged = new BlockHeader(h.height(), h.parentHash(), h.timestampMillis() + 1, h.proposer(), h.round(),
        h.txRoot(), h.receiptsRoot(), h.stateRoot(), h.validatorSetHash());
    tamper(raw -> raw.putSynced(ColumnFamily.HEADERS, hashAt(5).unsafeArray(), LedgerCodec.encode(forged)));
    assertFailed(verify(), 5, "header_hash_mismatch");
  }

  @Test
  void catchesATamperedBody() {
    List<Transaction> txs = new ArrayList<>(chain.get(4).block().transactions());
    txs.remove(1);
    byte[] body = StoreCodec.encodeBody(txs.stream().map(dev.cairn.ledger.codec.TransactionCodec::encode).toList());
    tamper(raw -> raw.putSynced(ColumnFamily.BODIES, hashAt(4).unsafeArray(), body));
    assertFailed(verify(), 4, "tx_root_mismatch");
  }

  @Test
  void catchesACertificateBelowQuorum() {
    CommitCertificate good = fixture.certify(chain.get(6));
    CommitCertificate weak = new CommitCertificate(good.blockHash(), good.seals().subList(0, 1));
    tamper(raw -> raw.putSynced(ColumnFamily.CERTIFICATES, hashAt(6).unsafeArray(), LedgerCodec.encode(weak)));
    VerificationResult result = verify();
    assertFailed(result, 6, "certificate_invalid");
    assertThat(result.toString()).contains("certificate_below_quorum");
  }

  @Test
  void catchesACertificateForAnotherBlock() {
    CommitCertificate other = fixture.certify(chain.get(3));
    tamper(raw -> raw.putSynced(ColumnFamily.CERTIFICATES, hashAt(2).unsafeArray(), LedgerCodec.encode(other)));
    assertFailed(verify(), 2, "certificate_invalid");
  }

  @Test
  void catchesAGenesisWithSeals() {
    CommitCertificate sealed = fixture.certify(hashAt(0), fixture.validators().validators());
    tamper(raw -> raw.putSynced(ColumnFamily.CERTIFICATES, hashAt(0).unsafeArray(), LedgerCodec.encode(sealed)));
    assertFailed(verify(), 0, "genesis_certificate_not_empty");
  }

  @Test
  void catchesUndecodableBytes() {
    tamper(raw -> raw.putSynced(ColumnFamily.RECEIPTS, hashAt(7).unsafeArray(), new byte[] {1, 2, 3}));
    VerificationResult result = verify();
    assertFailed(result, 7, "storage_corrupt");
    assertThat(result.toString()).contains("cf=receipts").contains(hashAt(7).toHex());
  }

  @Test
  void catchesATxIndexPointingElsewhere() {
    Hash txId = chain.get(3).block().transactions().get(2).id();
    tamper(raw -> raw.putSynced(ColumnFamily.TX_INDEX, txId.unsafeArray(), StoreCodec.encodeTxPosition(3, 0)));
    assertFailed(verify(), 3, "tx_index_wrong");
  }

  @Test
  void catchesABrokenHeightIndex() {
    tamper(raw -> raw.putSynced(ColumnFamily.HEIGHTS, StoreCodec.heightKey(3), hashAt(2).unsafeArray()));
    assertFailed(verify(), 3, "height_mismatch");
  }

  @Test
  void catchesBlocksStoredBeyondTheHead() {
    ExecutedBlock unfinished = fixture.next(2);
    tamper(raw -> raw.putSynced(ColumnFamily.HEADERS, unfinished.block().hash().unsafeArray(),
        LedgerCodec.encode(unfinished.block().header())));
    assertFailed(verify(), HEAD, "orphan_headers");
    tamper(raw -> raw.putSynced(ColumnFamily.HEIGHTS, StoreCodec.heightKey(HEAD + 2),
        unfinished.block().hash().unsafeArray()));
    assertFailed(verify(), HEAD + 2, "height_beyond_head");
    tamper(raw -> raw.putSynced(ColumnFamily.HEIGHTS, StoreCodec.heightKey(HEAD + 1),
        unfinished.block().hash().unsafeArray()));
    org.assertj.core.api.Assertions.assertThatThrownBy(this::verify)
        .isInstanceOf(StorageException.class).hasMessageContaining("above head " + HEAD);
  }

  @Test
  void catchesAMissingStateNode() {
    Hash node = chain.get(HEAD).treeUpdate().newNodes().keySet().iterator().next();
    tamper(raw -> raw.deleteSynced(ColumnFamily.STATE_NODES, node.unsafeArray()));
    try (ChainStore store = ChainStore.openForVerification(dir, CONFIG.withNodeCacheEntriesMax(0))) {
      VerificationResult result = new ChainVerifier(store).verifyState();
      assertFailed(result, HEAD, "state_node_missing");
    }
  }

  @Test
  void catchesAFlatStateThatDriftedFromTheRoot() {
    Hash key = fixture.state().firstKey();
    tamper(raw -> raw.deleteSynced(ColumnFamily.FLAT_STATE, key.unsafeArray()));
    try (ChainStore store = ChainStore.openForVerification(dir, CONFIG)) {
      VerificationResult result = new ChainVerifier(store).verifyState();
      assertFailed(result, HEAD, "flat_state_root_mismatch");
    }
  }
}
