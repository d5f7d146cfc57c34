package dev.cairn.wallet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.codec.LedgerCodec;
import dev.cairn.ledger.codec.TransactionCodec;
import dev.cairn.ledger.encoding.CodecException;
import dev.cairn.ledger.model.BlockHeader;
import dev.cairn.ledger.model.MerkleProof;
import dev.cairn.ledger.model.Receipt;
import dev.cairn.ledger.model.Transaction;
import dev.cairn.ledger.model.Validation;
import dev.cairn.ledger.model.ValidatorSet;
import dev.cairn.wallet.ProofVerifier.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Checks a {@code cairn_getTransactionProof} answer trusting nothing but a validator set: the transaction's
 * canonical bytes must hash to the id asked for, the receipt's bytes must name that id, the header (decoded
 * from its canonical bytes) must be sealed by a quorum of the trusted set, and the two Merkle paths must lead
 * from the transaction id to the header's tx root and from the receipt to its receipts root. What then holds:
 * that transaction is final in that block, with that outcome. The position in the block is the node's claim
 * (docs/formats.md, "Transaction and receipt roots").
 */
public final class TxProofVerifier {
  private TxProofVerifier() {}

  /** What the proof established, or the first failed step. */
  public sealed interface Verdict {
    record Verified(BlockHeader header, Transaction transaction, Receipt receipt, int index, int leafCount)
        implements Verdict {
      public Verified {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(transaction, "transaction");
        Objects.requireNonNull(receipt, "receipt");
      }
    }

    record Rejected(Step step, String detail) implements Verdict {
      public Rejected {
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(detail, "detail");
      }
    }
  }

  /**
   * @param answer the {@code result} of {@code cairn_getTransactionProof}
   * @param txId the transaction asked about
   * @param trusted the validator set the caller trusts for the block's height
   */
  public static Verdict verify(JsonNode answer, Hash txId, ValidatorSet trusted) {
    try {
      return verifyParsed(answer, txId, trusted);
    } catch (CodecException | IllegalArgumentException | IllegalStateException e) {
      return new Verdict.Rejected(Step.MALFORMED_ANSWER, String.valueOf(e.getMessage()));
    }
  }

  private static Verdict verifyParsed(JsonNode answer, Hash txId, ValidatorSet trusted) {
    if (answer == null || !answer.isObject()) {
      return new Verdict.Rejected(Step.MALFORMED_ANSWER, "the answer is not a JSON object");
    }
    Transaction tx = TransactionCodec.decode(ProofVerifier.hex(answer, "transaction"));
    if (!tx.id().equals(txId)) {
      return new Verdict.Rejected(Step.WRONG_SUBJECT, "the node proved transaction " + tx.id().toHex() + ", not "
          + txId.toHex());
    }
    Receipt receipt = LedgerCodec.decodeReceipt(ProofVerifier.hex(answer, "receipt").toArray());
    if (!receipt.txId().equals(txId)) {
      return new Verdict.Rejected(Step.WRONG_SUBJECT, "the receipt is for transaction " + receipt.txId().toHex());
    }
    BlockHeader header = LedgerCodec.decodeHeader(ProofVerifier.hex(answer.path("header"), "encoded").toArray());
    ProofVerifier.Verdict.Rejected certified = ProofVerifier.certified(answer, header, trusted);
    if (certified != null) {
      return new Verdict.Rejected(certified.step(), certified.detail());
    }
    if (answer.has("blockHash") && !Hash.fromHex(ProofVerifier.text(answer, "blockHash")).equals(header.hash())) {
      return new Verdict.Rejected(Step.HEADER_MISMATCH, "blockHash differs from the hash of header.encoded");
    }
    MerkleProof txProof = merkleProof(answer.path("txProof"));
    Validation included = txProof.verifyTransaction(header.txRoot(), txId);
    if (included instanceof Validation.Invalid invalid) {
      return new Verdict.Rejected(Step.TX_PROOF, invalid.toString());
    }
    MerkleProof receiptProof = merkleProof(answer.path("receiptProof"));
    if (receiptProof.index() != txProof.index() || receiptProof.leafCount() != txProof.leafCount()) {
      return new Verdict.Rejected(Step.RECEIPT_PROOF, "the receipt proof is for position " + receiptProof.index() + " of "
          + receiptProof.leafCount() + ", the transaction's for " + txProof.index() + " of " + txProof.leafCount());
    }
    Validation outcome = receiptProof.verifyReceipt(header.receiptsRoot(), receipt);
    if (outcome instanceof Validation.Invalid invalid) {
      return new Verdict.Rejected(Step.RECEIPT_PROOF, invalid.toString());
    }
    return new Verdict.Verified(header, tx, receipt, txProof.index(), txProof.leafCount());
  }

  /** {@code {"index", "leafCount", "siblings": [...]}}, the sibling list bounded before it is read. */
  static MerkleProof merkleProof(JsonNode json) {
    JsonNode siblings = json.path("siblings");
    if (!siblings.isArray() || siblings.size() > MerkleProof.SIBLINGS_MAX) {
      throw new IllegalArgumentException("a Merkle proof's siblings must be an array of at most " + MerkleProof.SIBLINGS_MAX);
    }
    if (!json.path("index").canConvertToInt() || !json.path("leafCount").canConvertToInt()) {
      throw new IllegalArgumentException("a Merkle proof needs an integer index and leafCount");
    }
    List<Hash> hashes = new ArrayList<>(siblings.size());
    for (JsonNode sibling : siblings) {
      if (!sibling.isTextual()) {
        throw new IllegalArgumentException("a Merkle proof's siblings are hex hashes");
      }
      hashes.add(Hash.fromHex(sibling.asText()));
    }
    return new MerkleProof(json.path("index").intValue(), json.path("leafCount").intValue(), hashes);
  }
}
