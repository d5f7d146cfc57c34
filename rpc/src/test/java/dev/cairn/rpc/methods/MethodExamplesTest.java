package dev.cairn.rpc.methods;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.codec.LedgerCodec;
import dev.cairn.ledger.codec.TransactionCodec;
import dev.cairn.ledger.crypto.Address;
import dev.cairn.ledger.model.BlockHeader;
import dev.cairn.ledger.model.CommitCertificate;
import dev.cairn.ledger.model.CommitSeal;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.crypto.Signature;
import dev.cairn.ledger.model.AccountActivity;
import dev.cairn.ledger.model.HistoryPage;
import dev.cairn.ledger.model.MerkleProof;
import dev.cairn.ledger.model.MerkleRoot;
import dev.cairn.ledger.model.Receipt;
import dev.cairn.ledger.model.ReceiptCode;
import dev.cairn.ledger.model.RecordChange;
import dev.cairn.ledger.model.Validation;
import dev.cairn.ledger.state.StateProof;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The examples published in the OpenRPC document are true, not just well-shaped: read back from their JSON
 * the way a client would, the transaction decodes to its id, the header hashes to its hash, the certificate
 * holds a quorum of the example validators, the state proof verifies against the header's state root, the
 * inclusion proofs against its tx and receipts roots, and the history pages join up.
 */
class MethodExamplesTest {
  private static Bytes hex(JsonNode node) {
    return Bytes.fromHex(node.asText().substring(2));
  }

  private static CommitCertificate certificate(JsonNode certificate, BlockHeader header) {
    List<CommitSeal> seals = new ArrayList<>();
    for (JsonNode seal : certificate.get("seals")) {
      seals.add(new CommitSeal(new PublicKey(hex(seal.get("validator"))), new Signature(hex(seal.get("signature")))));
    }
    return new CommitCertificate(header.hash(), seals);
  }

  private static MerkleProof merkleProof(JsonNode proof) {
    List<Hash> siblings = new ArrayList<>();
    proof.get("siblings").forEach(h -> siblings.add(Hash.fromHex(h.asText().substring(2))));
    return new MerkleProof(proof.get("index").asInt(), proof.get("leafCount").asInt(), siblings);
  }

  @Test
  void theExampleTransactionDecodesToItsId() {
    JsonNode tx = JsonShapes.includedTransaction(MethodExamples.INCLUDED);
    Bytes raw = hex(tx.get("raw"));
    assertThat(TransactionCodec.id(raw).toHex()).isEqualTo(tx.get("id").asText().substring(2));
    assertThat(TransactionCodec.decode(raw).hasValidSignature()).isTrue();
    assertThat(Address.parse(tx.get("payload").get("to").asText())).isEqualTo(MethodExamples.BOB);
  }

  @Test
  void theExampleProofVerifiesAgainstTheExampleValidators() {
    JsonNode proof = MethodExamples.accountProof();
    BlockHeader header = LedgerCodec.decodeHeader(hex(proof.get("header").get("encoded")).toArray());
    assertThat(header.hash().toHex()).isEqualTo(proof.get("certificate").get("blockHash").asText().substring(2));
    assertThat(header.validatorSetHash()).isEqualTo(MethodExamples.VALIDATORS.hash());
    Validation certificate = certificate(proof.get("certificate"), header).verify(header.hash(), MethodExamples.VALIDATORS);
    assertThat(certificate).isInstanceOf(Validation.Valid.class);
    Validation state = StateProof.verify(header.stateRoot(), Hash.fromHex(proof.get("stateKey").asText().substring(2)),
        Optional.of(hex(proof.get("value"))), StateProof.decode(hex(proof.get("proof"))));
    assertThat(state).isInstanceOf(Validation.Valid.class);
  }

  @Test
  void theExampleTransactionProofVerifiesAgainstTheExampleValidators() {
    JsonNode proof = MethodExamples.transactionProof();
    Bytes raw = hex(proof.get("transaction"));
    Hash txId = TransactionCodec.id(raw);
    assertThat(txId.toHex()).isEqualTo(proof.get("txId").asText().substring(2));
    Receipt receipt = LedgerCodec.decodeReceipt(hex(proof.get("receipt")).toArray());
    assertThat(receipt.txId()).isEqualTo(txId);
    BlockHeader header = LedgerCodec.decodeHeader(hex(proof.get("header").get("encoded")).toArray());
    assertThat(header.hash().toHex()).isEqualTo(proof.get("certificate").get("blockHash").asText().substring(2));
    assertThat(certificate(proof.get("certificate"), header).verify(header.hash(), MethodExamples.VALIDATORS))
        .isInstanceOf(Validation.Valid.class);
    assertThat(merkleProof(proof.get("txProof")).verifyTransaction(header.txRoot(), txId)).isInstanceOf(Validation.Valid.class);
    assertThat(merkleProof(proof.get("receiptProof")).verifyReceipt(header.receiptsRoot(), receipt))
        .isInstanceOf(Validation.Valid.class);
    assertThat(proof.get("txProof").get("leafCount").asInt()).isEqualTo(3);
    assertThat(proof.get("txProof").get("siblings")).as("leaf 0 of 3: a sibling at each of two levels").hasSize(2);
    assertThat(merkleProof(proof.get("txProof")).verifyTransaction(header.txRoot(), MethodExamples.REFUND.id()))
        .as("the path of one transaction does not prove another").isInstanceOf(Validation.Invalid.class);
  }

  @Test
  void theBlockReceiptsExampleHashesToItsHeadersReceiptsRoot() {
    JsonNode answer = MethodExamples.blockReceipts();
    List<Receipt> receipts = new ArrayList<>();
    for (JsonNode r : answer.get("receipts")) {
      receipts.add(new Receipt(Hash.fromHex(r.get("txId").asText().substring(2)), ReceiptCode.fromCode(r.get("code").asInt())));
    }
    assertThat(JsonShapes.hex(MerkleRoot.ofReceipts(receipts))).isEqualTo(answer.get("receiptsRoot").asText());
    assertThat(answer.get("receiptsRoot").asText()).isEqualTo(JsonShapes.hex(MethodExamples.BLOCK.block().header().receiptsRoot()));
  }

  /** The example pages join up: the first page's cursor is its last entry, and the next page starts below it. */
  @Test
  void theHistoryExamplesPageThroughTheExampleChain() {
    Address alice = MethodExamples.ALICE.publicKey().address();
    HistoryPage<AccountActivity> newest = MethodExamples.accountHistory(alice, Optional.empty(), 2);
    HistoryPage<AccountActivity> next = MethodExamples.accountHistory(alice, newest.next(), 2);
    HistoryPage<AccountActivity> whole = MethodExamples.accountHistory(alice, Optional.empty(), 100);
    assertThat(newest.next()).contains(newest.entries().get(1).position());
    assertThat(next.next()).isEmpty();
    List<AccountActivity> joined = new ArrayList<>(newest.entries());
    joined.addAll(next.entries());
    assertThat(joined).isEqualTo(whole.entries());
    assertThat(whole.entries().stream().map(e -> e.included().transaction()).toList()).containsExactly(
        MethodExamples.REFUND, MethodExamples.TRANSFER, MethodExamples.RECORD_SET, MethodExamples.DRAFT);
    ObjectNode page = HistoryMethods.accountPage(alice, newest);
    assertThat(page.get("nextCursor").asText()).isEqualTo("0x" + String.format("%016x%08x", MethodExamples.HEIGHT, 0));
    HistoryPage<RecordChange> record = MethodExamples.recordHistory(alice, MethodExamples.RECORD_KEY, 100);
    assertThat(record.entries().get(0).value()).as("the newest value is the record's").isEqualTo(MethodExamples.RECORD_VALUE);
    assertThat(record.entries()).hasSize(2);
  }
}
