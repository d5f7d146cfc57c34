package dev.cairn.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.codec.LedgerCodec;
import dev.cairn.ledger.codec.TransactionCodec;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.execution.ExecutedBlock;
import dev.cairn.ledger.model.BlockHeader;
import dev.cairn.ledger.model.CommitSeal;
import dev.cairn.ledger.model.MerkleProof;
import dev.cairn.ledger.model.Payload;
import dev.cairn.ledger.model.Receipt;
import dev.cairn.ledger.model.ReceiptCode;
import dev.cairn.ledger.model.Transaction;
import dev.cairn.ledger.model.ValidatorSet;
import dev.cairn.ledger.testing.Fixtures;
import dev.cairn.ledger.testing.TestChain;
import dev.cairn.wallet.ProofVerifier.Step;
import dev.cairn.wallet.TxProofVerifier.Verdict;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code wallet verify-proof --tx} against honest and tampered {@code cairn_getTransactionProof} answers for
 * a block of five transactions built by the real state transition: each link a lying node could break (the
 * transaction, the receipt's outcome, a Merkle path, the root, the header, the seals, the trusted set) fails
 * at its own step.
 */
class TxProofCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final KeyPair alice = Fixtures.key("alice");
  private final KeyPair bob = Fixtures.key("bob");
  private final TestChain chain = TestChain.standard();
  private final ExecutedBlock block;
  @TempDir Path dir;

  TxProofCommandTest() {
    List<Transaction> txs = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      txs.add(chain.transfer(alice, bob.address(), 1 + i));
    }
    txs.add(chain.sign(alice, new Payload.RecordPut("doc", Bytes.wrap("hash of a file".getBytes(StandardCharsets.UTF_8)))));
    block = chain.advance(txs);
  }

  /** What an honest node answers for transaction {@code index} of the block, sealed by {@code sealers}. */
  private ObjectNode answer(int index, List<KeyPair> sealers) {
    BlockHeader header = block.block().header();
    List<Transaction> txs = block.block().transactions();
    List<Hash> ids = txs.stream().map(Transaction::id).toList();
    Transaction tx = txs.get(index);
    Receipt receipt = block.receipts().get(index);
    ObjectNode node = JSON.createObjectNode().put("txId", "0x" + tx.id().toHex()).put("blockHeight", header.height())
        .put("blockHash", "0x" + header.hash().toHex()).put("index", index)
        .put("transaction", "0x" + TransactionCodec.encode(tx).toHex())
        .put("receipt", "0x" + Bytes.wrap(LedgerCodec.encode(receipt)).toHex());
    node.set("txProof", proof(MerkleProof.ofTransaction(ids, index)));
    node.set("receiptProof", proof(MerkleProof.ofReceipt(block.receipts(), index)));
    node.set("header", JSON.createObjectNode().put("height", header.height()).put("hash", "0x" + header.hash().toHex())
        .put("encoded", "0x" + Bytes.wrap(LedgerCodec.encode(header)).toHex()));
    ArrayNode seals = JSON.createArrayNode();
    for (KeyPair key : sealers) {
      CommitSeal seal = CommitSeal.sign(key, header.hash());
      seals.add(JSON.createObjectNode().put("validator", "0x" + seal.validator().toHex())
          .put("signature", "0x" + seal.signature().bytes().toHex()));
    }
    ObjectNode certificate = JSON.createObjectNode().put("blockHash", "0x" + header.hash().toHex());
    certificate.set("seals", seals);
    node.set("certificate", certificate);
    return node;
  }

  private static ObjectNode proof(MerkleProof proof) {
    ObjectNode node = JSON.createObjectNode().put("index", proof.index()).put("leafCount", proof.leafCount());
    ArrayNode siblings = node.putArray("siblings");
    proof.siblings().forEach(s -> siblings.add("0x" + s.toHex()));
    return node;
  }

  private Hash id(int index) {
    return block.block().transactions().get(index).id();
  }

  private Verdict verify(JsonNode answer, int index) {
    return TxProofVerifier.verify(answer, id(index), chain.validators());
  }

  private static Step rejectedAt(Verdict verdict) {
    assertThat(verdict).isInstanceOf(Verdict.Rejected.class);
    return ((Verdict.Rejected) verdict).step();
  }

  @Test
  void everyTransactionOfTheBlockVerifiesWithItsReceipt() {
    for (int i = 0; i < 5; i++) {
      Verdict verdict = verify(answer(i, chain.validatorKeys().subList(0, 3)), i);
      assertThat(verdict).as("transaction %d", i).isInstanceOf(Verdict.Verified.class);
      Verdict.Verified verified = (Verdict.Verified) verdict;
      assertThat(verified.header()).isEqualTo(block.block().header());
      assertThat(verified.transaction()).isEqualTo(block.block().transactions().get(i));
      assertThat(verified.receipt().code()).isEqualTo(ReceiptCode.OK);
      assertThat(verified.index()).isEqualTo(i);
    }
  }

  @Test
  void aTamperedTransactionOrReceiptIsCaught() {
    ObjectNode otherTx = answer(1, chain.validatorKeys());
    otherTx.put("transaction", answer(2, chain.validatorKeys()).path("transaction").asText());
    assertThat(rejectedAt(verify(otherTx, 1))).isEqualTo(Step.WRONG_SUBJECT);

    // The node swaps in another transaction and its whole proof: it is not the one asked about.
    assertThat(rejectedAt(verify(answer(2, chain.validatorKeys()), 1))).isEqualTo(Step.WRONG_SUBJECT);

    ObjectNode failedClaim = answer(1, chain.validatorKeys());
    failedClaim.put("receipt", "0x" + Bytes.wrap(LedgerCodec.encode(new Receipt(id(1), ReceiptCode.INSUFFICIENT_BALANCE))).toHex());
    assertThat(rejectedAt(verify(failedClaim, 1))).as("a changed outcome").isEqualTo(Step.RECEIPT_PROOF);

    ObjectNode garbage = answer(1, chain.validatorKeys());
    garbage.put("transaction", "0x0101");
    assertThat(rejectedAt(verify(garbage, 1))).isEqualTo(Step.MALFORMED_ANSWER);
    assertThat(rejectedAt(verify(JSON.createObjectNode(), 1))).isEqualTo(Step.MALFORMED_ANSWER);
  }

  @Test
  void aWrongPathOrRootIsCaught() {
    ObjectNode wrongSibling = answer(3, chain.validatorKeys());
    ((ArrayNode) wrongSibling.path("txProof").path("siblings")).set(0, "0x" + Hash.ZERO.toHex());
    assertThat(rejectedAt(verify(wrongSibling, 3))).isEqualTo(Step.TX_PROOF);

    // A proof built for a block the transaction is not in leads to another root.
    ObjectNode otherTree = answer(3, chain.validatorKeys());
    List<Hash> ids = new ArrayList<>(block.block().transactions().stream().map(Transaction::id).toList());
    ids.set(0, Hash.ZERO);
    otherTree.set("txProof", proof(MerkleProof.ofTransaction(ids, 3)));
    assertThat(rejectedAt(verify(otherTree, 3))).isEqualTo(Step.TX_PROOF);

    ObjectNode shifted = answer(3, chain.validatorKeys());
    shifted.set("receiptProof", proof(MerkleProof.ofReceipt(block.receipts(), 2)));
    assertThat(rejectedAt(verify(shifted, 3))).isEqualTo(Step.RECEIPT_PROOF);

    ObjectNode tooDeep = answer(3, chain.validatorKeys());
    ArrayNode siblings = (ArrayNode) tooDeep.path("txProof").path("siblings");
    for (int i = 0; i < 40; i++) {
      siblings.add("0x" + Hash.ZERO.toHex());
    }
    assertThat(rejectedAt(verify(tooDeep, 3))).isEqualTo(Step.MALFORMED_ANSWER);
  }

  @Test
  void insufficientOrForeignSealsAndAnotherHeaderAreCaught() {
    assertThat(rejectedAt(verify(answer(0, chain.validatorKeys().subList(0, 2)), 0))).isEqualTo(Step.CERTIFICATE);
    List<KeyPair> impostors = Fixtures.keys("impostor", 4);
    assertThat(rejectedAt(verify(answer(0, impostors), 0))).isEqualTo(Step.CERTIFICATE);
    ValidatorSet otherChain = new ValidatorSet(impostors.stream().map(KeyPair::publicKey).toList());
    assertThat(rejectedAt(TxProofVerifier.verify(answer(0, chain.validatorKeys()), id(0), otherChain)))
        .isEqualTo(Step.VALIDATOR_SET);
    ObjectNode headerEdited = answer(0, chain.validatorKeys());
    ((ObjectNode) headerEdited.get("header")).put("height", 7);
    assertThat(rejectedAt(verify(headerEdited, 0))).isEqualTo(Step.HEADER_MISMATCH);
    ObjectNode blockHashEdited = answer(0, chain.validatorKeys());
    blockHashEdited.put("blockHash", "0x" + Hash.ZERO.toHex());
    assertThat(rejectedAt(verify(blockHashEdited, 0))).isEqualTo(Step.HEADER_MISMATCH);
  }

  @Test
  void commandExitsZeroOnlyWhenTheProofHolds() throws Exception {
    Path trusted = dir.resolve("validators.txt");
    Files.writeString(trusted, String.join("\n", chain.validatorKeys().stream().map(k -> k.publicKey().toHex()).toList()));
    String[] honest = runAgainst(answer(4, chain.validatorKeys()), "0x" + id(4).toHex(), trusted);
    assertThat(honest[0]).as(honest[2]).isEqualTo("0");
    assertThat(honest[1]).startsWith("VERIFIED transaction 0x" + id(4).toHex())
        .contains("block      1 " + block.block().hash().toHex()).contains("record_put").contains("success (ok)");

    String[] lie = runAgainst(answer(4, chain.validatorKeys().subList(0, 1)), "0x" + id(4).toHex(), trusted);
    assertThat(lie[0]).isEqualTo("1");
    assertThat(lie[1]).startsWith("NOT VERIFIED").contains("certificate");

    String[] badId = runAgainst(answer(4, chain.validatorKeys()), "0x12", trusted);
    assertThat(badId[0]).isEqualTo("1");
    assertThat(badId[2]).contains("--tx: expected a transaction id");
  }

  /** Runs the real command against a one-answer JSON-RPC server; returns {exit code, stdout, stderr}. */
  private String[] runAgainst(JsonNode result, String txId, Path trusted) throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    byte[] body = JSON.createObjectNode().put("jsonrpc", "2.0").put("id", 1).set("result", result).toString()
        .getBytes(StandardCharsets.UTF_8);
    server.createContext("/", exchange -> {
      exchange.getRequestBody().readAllBytes();
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    try {
      CommandLine cli = WalletCli.commandLine();
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      cli.setOut(new PrintWriter(out));
      cli.setErr(new PrintWriter(err));
      int code = cli.execute("--rpc", "http://127.0.0.1:" + server.getAddress().getPort(), "verify-proof",
          "--tx", txId, "--validators", trusted.toString());
      return new String[] {Integer.toString(code), out.toString(), err.toString()};
    } finally {
      server.stop(0);
    }
  }
}
