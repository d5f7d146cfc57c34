package dev.cairn.ledger.codec;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.model.Account;
import dev.cairn.ledger.model.Block;
import dev.cairn.ledger.model.BlockHeader;
import dev.cairn.ledger.model.CommitCertificate;
import dev.cairn.ledger.model.FinalizedBlock;
import dev.cairn.ledger.model.Receipt;
import dev.cairn.ledger.model.Transaction;
import dev.cairn.ledger.model.TxKind;
import dev.cairn.ledger.model.ValidatorSet;
import dev.cairn.ledger.model.VoteTally;
import dev.cairn.ledger.testing.LedgerArbitraries;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;

/** The canonical-codec contract ({@link CodecContract}) for every top-level ledger encoding. */
class LedgerCodecProperties {
  static final CodecContract<Transaction> TRANSACTION =
      new CodecContract<>("transaction", tx -> TransactionCodec.encode(tx).toArray(), TransactionCodec::decode);
  static final CodecContract<BlockHeader> HEADER =
      new CodecContract<>("header", LedgerCodec::encode, LedgerCodec::decodeHeader);
  static final CodecContract<Block> BLOCK = new CodecContract<>("block", LedgerCodec::encode, LedgerCodec::decodeBlock);
  static final CodecContract<CommitCertificate> CERTIFICATE =
      new CodecContract<>("certificate", LedgerCodec::encode, LedgerCodec::decodeCertificate);
  static final CodecContract<FinalizedBlock> FINALIZED =
      new CodecContract<>("finalized block", LedgerCodec::encode, LedgerCodec::decodeFinalizedBlock);
  static final CodecContract<Receipt> RECEIPT =
      new CodecContract<>("receipt", LedgerCodec::encode, LedgerCodec::decodeReceipt);
  static final CodecContract<List<Receipt>> RECEIPTS =
      new CodecContract<>("receipts", LedgerCodec::encodeReceipts, LedgerCodec::decodeReceipts);
  static final CodecContract<ValidatorSet> VALIDATORS =
      new CodecContract<>("validator set", LedgerCodec::encode, LedgerCodec::decodeValidatorSet);
  static final CodecContract<Account> ACCOUNT =
      new CodecContract<>("account", LedgerCodec::encode, LedgerCodec::decodeAccount);
  static final CodecContract<VoteTally> TALLY =
      new CodecContract<>("vote tally", LedgerCodec::encode, LedgerCodec::decodeVoteTally);

  @Property(tries = 300)
  @StatisticsReport(onFailureOnly = true)
  void transactionsOfEveryKind(@ForAll("transactions") Transaction tx, @ForAll Random random) {
    TRANSACTION.check(tx, random);
    Statistics.collect(tx.payload().kind());
    // Every kind must have been generated and checked, not just most of them.
    Statistics.coverage(coverage -> {
      for (TxKind kind : TxKind.values()) {
        coverage.check(kind).count(c -> c > 0);
      }
    });
  }

  @Property(tries = 200)
  void transactionsRoundTripThroughBytes(@ForAll("transactions") Transaction tx) {
    Bytes encoded = TransactionCodec.encode(tx);
    org.assertj.core.api.Assertions.assertThat(TransactionCodec.decode(encoded)).isEqualTo(tx);
    org.assertj.core.api.Assertions.assertThat(TransactionCodec.id(encoded)).isEqualTo(tx.id());
  }

  @Property(tries = 200)
  void headers(@ForAll("headers") BlockHeader header, @ForAll Random random) {
    HEADER.check(header, random);
  }

  @Property(tries = 60)
  void blocks(@ForAll("blocks") Block block, @ForAll Random random) {
    BLOCK.check(block, random);
  }

  @Property(tries = 100)
  void certificates(@ForAll("certificates") CommitCertificate certificate, @ForAll Random random) {
    CERTIFICATE.check(certificate, random);
  }

  @Property(tries = 40)
  void finalizedBlocks(@ForAll("finalizedBlocks") FinalizedBlock block, @ForAll Random random) {
    FINALIZED.check(block, random);
  }

  /** The height read from the start of the encoding is the block's, and the rest is never needed for it. */
  @Property(tries = 40)
  void finalizedBlockHeightPeeksFromTheHeader(@ForAll("finalizedBlocks") FinalizedBlock block) {
    byte[] encoded = LedgerCodec.encode(block);
    org.assertj.core.api.Assertions.assertThat(LedgerCodec.peekFinalizedBlockHeight(encoded)).isEqualTo(block.block().height());
    byte[] headerOnly = java.util.Arrays.copyOf(encoded, 3 * 2 + 8); // three type tags (code, version), the height
    org.assertj.core.api.Assertions.assertThat(LedgerCodec.peekFinalizedBlockHeight(headerOnly)).isEqualTo(block.block().height());
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> LedgerCodec.peekFinalizedBlockHeight(LedgerCodec.encode(block.block())))
        .isInstanceOf(dev.cairn.ledger.encoding.CodecException.class);
  }

  @Property(tries = 200)
  void receipts(@ForAll("receipts") Receipt receipt, @ForAll Random random) {
    RECEIPT.check(receipt, random);
  }

  @Property(tries = 100)
  void receiptLists(@ForAll("receiptLists") List<Receipt> receipts, @ForAll Random random) {
    RECEIPTS.check(receipts, random);
  }

  @Property(tries = 100)
  void validatorSets(@ForAll("validatorSets") ValidatorSet set, @ForAll Random random) {
    VALIDATORS.check(set, random);
  }

  @Property(tries = 200)
  void accounts(@ForAll("accounts") Account account, @ForAll Random random) {
    ACCOUNT.check(account, random);
  }

  @Property(tries = 100)
  void voteTallies(@ForAll("voteTallies") VoteTally tally, @ForAll Random random) {
    TALLY.check(tally, random);
  }

  @Provide
  Arbitrary<Transaction> transactions() {
    return LedgerArbitraries.transactions();
  }

  @Provide
  Arbitrary<BlockHeader> headers() {
    return LedgerArbitraries.headers();
  }

  @Provide
  Arbitrary<Block> blocks() {
    return LedgerArbitraries.blocks();
  }

  @Provide
  Arbitrary<CommitCertificate> certificates() {
    return LedgerArbitraries.certificates();
  }

  @Provide
  Arbitrary<FinalizedBlock> finalizedBlocks() {
    return LedgerArbitraries.finalizedBlocks();
  }

  @Provide
  Arbitrary<Receipt> receipts() {
    return LedgerArbitraries.receipts();
  }

  @Provide
  Arbitrary<List<Receipt>> receiptLists() {
    return LedgerArbitraries.receipts().list().ofMaxSize(10);
  }

  @Provide
  Arbitrary<ValidatorSet> validatorSets() {
    return LedgerArbitraries.validatorSets();
  }

  @Provide
  Arbitrary<Account> accounts() {
    return LedgerArbitraries.accounts();
  }

  @Provide
  Arbitrary<VoteTally> voteTallies() {
    return LedgerArbitraries.voteTallies();
  }
}
