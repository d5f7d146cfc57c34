package dev.cairn.ledger.codec;

import static dev.cairn.ledger.testing.Fixtures.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.encoding.CanonicalWriter;
import dev.cairn.ledger.encoding.CodecException;
import dev.cairn.ledger.encoding.TypeTag;
import dev.cairn.ledger.model.Account;
import dev.cairn.ledger.model.CanonicalForm;
import dev.cairn.ledger.model.Limits;
import dev.cairn.ledger.model.Payload;
import dev.cairn.ledger.model.Receipt;
import dev.cairn.ledger.model.ReceiptCode;
import dev.cairn.ledger.model.Role;
import dev.cairn.ledger.model.Transaction;
import dev.cairn.ledger.testing.Fixtures;
import java.util.Arrays;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Hand-built encodings at and just past every limit, and every unknown code, must be refused cleanly. */
class CodecLimitsTest {
  private static final KeyPair ALICE = key("alice");

  /** A transaction body as the writer would lay it out, with the payload written by {@code payload}. */
  private static byte[] tx(String chainId, int kind, Consumer<CanonicalWriter> payload) {
    CanonicalWriter w = new CanonicalWriter();
    TypeTag.TRANSACTION.writeTo(w);
    w.u32(chainId.length()).fixed(chainId.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    w.fixed(ALICE.publicKey().bytes()).u64(0).u8(kind);
    payload.accept(w);
    w.fixed(new byte[64]);
    return w.toByteArray();
  }

  private static void refused(byte[] bytes, String messagePart) {
    assertThatThrownBy(() -> TransactionCodec.decode(bytes)).isInstanceOf(CodecException.class).hasMessageContaining(messagePart);
  }

  @Test
  void handBuiltTransferMatchesTheWriter() {
    byte[] bytes = tx(Fixtures.CHAIN_ID, 1, w -> w.fixed(ALICE.address().bytes()).u64(5));
    Transaction decoded = TransactionCodec.decode(bytes);
    assertThat(decoded.payload()).isEqualTo(new Payload.Transfer(ALICE.address(), 5));
    assertThat(TransactionCodec.encode(decoded).toArray()).isEqualTo(bytes);
  }

  @Test
  void oversizeChainIdIsRefused() {
    refused(tx("x".repeat(Limits.CHAIN_ID_BYTES_MAX + 1), 1, w -> w.fixed(ALICE.address().bytes()).u64(5)), "chainId");
    assertThat(TransactionCodec.decode(tx("x".repeat(Limits.CHAIN_ID_BYTES_MAX), 1,
        w -> w.fixed(ALICE.address().bytes()).u64(5))).chainId()).hasSize(Limits.CHAIN_ID_BYTES_MAX);
  }

  @Test
  void emptyChainIdIsRefused() {
    refused(tx("", 1, w -> w.fixed(ALICE.address().bytes()).u64(5)), "chain id");
  }

  @Test
  void oversizeRecordKeyAndValueAreRefused() {
    refused(tx("c", 2, w -> w.string("k".repeat(Limits.RECORD_KEY_BYTES_MAX + 1), Integer.MAX_VALUE).u32(0)), "record key");
    refused(tx("c", 2, w -> w.string("k", 10).bytes(Bytes.wrap(new byte[Limits.RECORD_VALUE_BYTES_MAX + 1]), Integer.MAX_VALUE)), "record value");
    refused(tx("c", 2, w -> w.string("", 10).u32(0)), "record key");
  }

  @Test
  void hugeLengthPrefixIsRefusedWithoutAllocating() {
    refused(tx("c", 2, w -> w.u32(0xFFFF_FFFFL)), "record key");
  }

  @Test
  void zeroTransferIsRefused() {
    refused(tx("c", 1, w -> w.fixed(ALICE.address().bytes()).u64(0)), "amount");
  }

  @Test
  void unknownKindRoleAndVoteActionAreRefused() {
    for (int kind : new int[] {0, 6, 0x7F, 0xFF}) {
      refused(tx("c", kind, w -> w.fixed(ALICE.address().bytes()).u64(5)), "kind");
    }
    for (int role : new int[] {0, 3, 4, 0xFF}) {
      refused(tx("c", 3, w -> w.fixed(ALICE.address().bytes()).u8(role)), "role");
    }
    refused(tx("c", 5, w -> w.fixed(ALICE.publicKey().bytes()).u8(2)), "vote action");
  }

  @Test
  void malformedUtf8IsRefused() {
    byte[] bytes = tx("ab", 1, w -> w.fixed(ALICE.address().bytes()).u64(5));
    byte[] bad = bytes.clone();
    bad[6] = (byte) 0xC0; // an overlong-encoding lead byte
    refused(bad, "UTF-8");
  }

  @Test
  void unpairedSurrogatesCannotBeSignedBecauseTheyHaveNoEncoding() {
    assertThatThrownBy(() -> Transaction.sign("chain\uD800", ALICE, 0, new Payload.Transfer(ALICE.address(), 1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("surrogate");
    assertThatThrownBy(() -> new Payload.RecordPut("k\uDC00", Bytes.EMPTY))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("surrogate");
    assertThat(new Payload.RecordPut("k\uD83D\uDE00", Bytes.EMPTY).key()).hasSize(3);
  }

  @Test
  void oversizeTransactionIsRefusedBeforeParsing() {
    assertThatThrownBy(() -> TransactionCodec.decode(new byte[Limits.TX_BYTES_MAX + 1]))
        .isInstanceOf(CodecException.class).hasMessageContaining("exceeds limit");
  }

  @Test
  void tooManyValidatorsSealsVotersOrTransactionsAreRefused() {
    byte[] validators = countOnly(TypeTag.VALIDATOR_SET, Limits.VALIDATORS_MAX + 1);
    assertThatThrownBy(() -> LedgerCodec.decodeValidatorSet(validators)).isInstanceOf(CodecException.class).hasMessageContaining("exceeds limit");
    byte[] tally = countOnly(TypeTag.VOTE_TALLY, Limits.VALIDATORS_MAX + 1);
    assertThatThrownBy(() -> LedgerCodec.decodeVoteTally(tally)).isInstanceOf(CodecException.class).hasMessageContaining("exceeds limit");
    byte[] receipts = countOnly(TypeTag.RECEIPTS, Limits.BLOCK_TXS_MAX + 1);
    assertThatThrownBy(() -> LedgerCodec.decodeReceipts(receipts)).isInstanceOf(CodecException.class).hasMessageContaining("exceeds limit");

    CanonicalWriter cert = new CanonicalWriter();
    TypeTag.COMMIT_CERTIFICATE.writeTo(cert);
    cert.hash(Hash.ZERO).u32(Limits.VALIDATORS_MAX + 1);
    assertThatThrownBy(() -> LedgerCodec.decodeCertificate(cert.toByteArray())).isInstanceOf(CodecException.class).hasMessageContaining("exceeds limit");

    CanonicalWriter block = new CanonicalWriter();
    TypeTag.BLOCK.writeTo(block);
    CanonicalForm.writeHeader(block, new dev.cairn.ledger.model.BlockHeader(
        1, Hash.ZERO, 0, ALICE.publicKey(), 0, Hash.ZERO, Hash.ZERO, Hash.ZERO, Hash.ZERO));
    block.u32(Limits.BLOCK_TXS_MAX + 1);
    assertThatThrownBy(() -> LedgerCodec.decodeBlock(block.toByteArray())).isInstanceOf(CodecException.class).hasMessageContaining("exceeds limit");
  }

  @Test
  void emptyValidatorSetAndTallyAreRefused() {
    assertThatThrownBy(() -> LedgerCodec.decodeValidatorSet(countOnly(TypeTag.VALIDATOR_SET, 0))).isInstanceOf(CodecException.class);
    assertThatThrownBy(() -> LedgerCodec.decodeVoteTally(countOnly(TypeTag.VOTE_TALLY, 0))).isInstanceOf(CodecException.class);
  }

  @Test
  void unsortedOrDuplicatedKeyListsAreRefused() {
    byte[] a = key("a").publicKey().bytes().toArray();
    byte[] b = key("b").publicKey().bytes().toArray();
    byte[] low = Arrays.compareUnsigned(a, b) < 0 ? a : b;
    byte[] high = low == a ? b : a;
    for (TypeTag tag : new TypeTag[] {TypeTag.VALIDATOR_SET, TypeTag.VOTE_TALLY}) {
      for (byte[][] order : new byte[][][] {{high, low}, {low, low}}) {
        CanonicalWriter w = new CanonicalWriter();
        tag.writeTo(w);
        w.u32(2).fixed(order[0]).fixed(order[1]);
        byte[] bytes = w.toByteArray();
        assertThatThrownBy(() -> {
          if (tag == TypeTag.VALIDATOR_SET) {
            LedgerCodec.decodeValidatorSet(bytes);
          } else {
            LedgerCodec.decodeVoteTally(bytes);
          }
        }).isInstanceOf(CodecException.class).hasMessageContaining("sorted");
      }
    }
  }

  @Test
  void unknownReceiptCodeAndRoleBitsAreRefused() {
    byte[] receipt = LedgerCodec.encode(new Receipt(Hash.ZERO, ReceiptCode.OK));
    receipt[receipt.length - 1] = (byte) 200;
    assertThatThrownBy(() -> LedgerCodec.decodeReceipt(receipt)).isInstanceOf(CodecException.class).hasMessageContaining("code");
    byte[] account = LedgerCodec.encode(new Account(1, 1, Set.of(Role.MEMBER)));
    account[account.length - 1] = (byte) 0x05;
    assertThatThrownBy(() -> LedgerCodec.decodeAccount(account)).isInstanceOf(CodecException.class).hasMessageContaining("role bits");
  }

  @Test
  void u64WithTheTopBitSetIsRefused() {
    byte[] account = LedgerCodec.encode(new Account(1, 1, Set.of()));
    account[2] = (byte) 0x80;
    assertThatThrownBy(() -> LedgerCodec.decodeAccount(account)).isInstanceOf(CodecException.class).hasMessageContaining("2^63");
  }

  @Test
  void oversizeBlockIsRefusedBeforeParsing() {
    assertThatThrownBy(() -> LedgerCodec.decodeBlock(new byte[Limits.BLOCK_BYTES_MAX + 1]))
        .isInstanceOf(CodecException.class).hasMessageContaining("exceeds limit");
  }

  private static byte[] countOnly(TypeTag tag, long count) {
    CanonicalWriter w = new CanonicalWriter();
    tag.writeTo(w);
    w.u32(count);
    return w.toByteArray();
  }
}
