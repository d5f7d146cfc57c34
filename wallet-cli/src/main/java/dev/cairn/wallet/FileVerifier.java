package dev.cairn.wallet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.crypto.Address;
import dev.cairn.ledger.encoding.CodecException;
import dev.cairn.ledger.model.BlockHeader;
import dev.cairn.ledger.model.Payload;
import dev.cairn.ledger.model.Transaction;
import dev.cairn.ledger.model.ValidatorSet;
import dev.cairn.rpc.client.RpcClient;
import dev.cairn.wallet.ProofVerifier.Step;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Whether a file was notarized by a signer, established by proofs against a trusted validator set and not by
 * the node's word: the state proof of the record {@code notary/sha256/<digest>} under the signer (present with
 * a value that describes the file, or proven absent), then the inclusion proof of the transaction that wrote
 * that value (found through the node's record history, then checked: it is a successful {@code record_put} of
 * that key and a value describing the file, signed by the signer, in a block a quorum of the trusted set
 * sealed). The node can refuse to answer; it cannot make a file verify that was not notarized, hide one that
 * was (absence is proven too), or move its time.
 */
final class FileVerifier {
  /** Re-notarizing rewrites the record; a history longer than this many pages is not the wallet's doing. */
  static final int HISTORY_PAGES_MAX = 100;

  private FileVerifier() {}

  /** The three questions the verifier asks a node. */
  interface Node {
    /** {@code cairn_getProof} of the record {@code key} under {@code owner}, at the head. */
    JsonNode recordProof(Address owner, String key);

    /** {@code cairn_getRecordHistory}: one page, newest first. */
    JsonNode recordHistory(Address owner, String key, Optional<String> cursor);

    /** {@code cairn_getTransactionProof}. */
    JsonNode transactionProof(Hash txId);

    static Node of(RpcClient client) {
      return new Node() {
        @Override
        public JsonNode recordProof(Address owner, String key) {
          return client.getProof(owner, Optional.of(key), OptionalLong.empty());
        }

        @Override
        public JsonNode recordHistory(Address owner, String key, Optional<String> cursor) {
          return client.getRecordHistory(owner, key, cursor, OptionalInt.empty());
        }

        @Override
        public JsonNode transactionProof(Hash txId) {
          return client.getTransactionProof("0x" + txId.toHex());
        }
      };
    }
  }

  /** The outcome; only {@link Verified} means the file was notarized by the signer. */
  sealed interface Verdict {
    /**
     * @param notarization what the proven transaction wrote
     * @param header the certified header of the block that holds that transaction: height and time
     * @param stateHeight the block at which the record was proven to still hold a value describing the file
     */
    record Verified(Notarization notarization, Hash txId, BlockHeader header, long stateHeight) implements Verdict {
      public Verified {
        Objects.requireNonNull(notarization, "notarization");
        Objects.requireNonNull(txId, "txId");
        Objects.requireNonNull(header, "header");
      }
    }

    /** The record is proven absent at {@code stateHeight}: never notarized by this signer (or not this file). */
    record NotNotarized(long stateHeight) implements Verdict {}

    /** The record exists (proven) but does not describe this file. */
    record Mismatch(long stateHeight, String detail) implements Verdict {
      public Mismatch {
        Objects.requireNonNull(detail, "detail");
      }
    }

    /** A link of the proof chain did not hold: do not trust the node's answer. */
    record ProofFailed(Step step, String detail) implements Verdict {
      public ProofFailed {
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(detail, "detail");
      }
    }
  }

  /** A record history entry the node claims wrote a value describing the file. */
  record Entry(Hash txId, long height, Hash blockHash, long timestampMillis, Notarization notarization) {}

  static Verdict verify(Node node, Address signer, FileDigest file, ValidatorSet trusted) {
    String key = Notarization.recordKey(file.sha256());
    ProofVerifier.Verdict state = ProofVerifier.verify(node.recordProof(signer, key), signer, Optional.of(key),
        OptionalLong.empty(), trusted);
    if (state instanceof ProofVerifier.Verdict.Rejected rejected) {
      return new Verdict.ProofFailed(rejected.step(), "record proof: " + rejected.detail());
    }
    ProofVerifier.Verdict.Verified proven = (ProofVerifier.Verdict.Verified) state;
    if (proven.value().isEmpty()) {
      return new Verdict.NotNotarized(proven.height());
    }
    String mismatch = mismatch(proven.value().get(), file);
    if (mismatch != null) {
      return new Verdict.Mismatch(proven.height(), mismatch);
    }
    Optional<Entry> entry;
    try {
      entry = oldestEntry(node, signer, file);
    } catch (IllegalArgumentException e) {
      return new Verdict.ProofFailed(Step.MALFORMED_ANSWER, "record history: " + e.getMessage());
    }
    if (entry.isEmpty()) {
      return new Verdict.ProofFailed(Step.HISTORY, "the record holds this file's notarization, but the node's "
          + "history of " + key + " names no transaction that wrote it");
    }
    Hash txId = entry.get().txId();
    TxProofVerifier.Verdict included = TxProofVerifier.verify(node.transactionProof(txId), txId, trusted);
    if (included instanceof TxProofVerifier.Verdict.Rejected rejected) {
      return new Verdict.ProofFailed(rejected.step(), "transaction proof of 0x" + txId.toHex() + ": " + rejected.detail());
    }
    TxProofVerifier.Verdict.Verified tx = (TxProofVerifier.Verdict.Verified) included;
    return notarizedBy(tx, signer, key, file, proven.height());
  }

  /** Null when {@code value} is a notarization of {@code file}, else why not. */
  static String mismatch(Bytes value, FileDigest file) {
    Notarization recorded;
    try {
      recorded = NotarizationCodec.decode(value);
    } catch (CodecException e) {
      return "the record holds " + value.size() + " bytes that are not a notarization (" + e.getMessage() + ")";
    }
    if (!recorded.digest().equals(file.sha256())) {
      return "the record names sha256 " + recorded.digest().toHex() + ", not this file's";
    }
    if (recorded.sizeBytes() != file.sizeBytes()) {
      return "the record names a file of " + recorded.sizeBytes() + " bytes; this one has " + file.sizeBytes();
    }
    return null;
  }

  /** The proven transaction must be the signer's successful put of this key with a value describing the file. */
  private static Verdict notarizedBy(TxProofVerifier.Verdict.Verified tx, Address signer, String key, FileDigest file,
      long stateHeight) {
    Transaction transaction = tx.transaction();
    if (!(transaction.payload() instanceof Payload.RecordPut put) || !put.key().equals(key)) {
      return new Verdict.ProofFailed(Step.WRONG_SUBJECT, "the proven transaction is not a put of " + key);
    }
    if (!transaction.senderAddress().equals(signer)) {
      return new Verdict.ProofFailed(Step.WRONG_SUBJECT, "the proven transaction was signed by "
          + transaction.senderAddress() + ", not " + signer);
    }
    String mismatch = mismatch(put.value(), file);
    if (mismatch != null) {
      return new Verdict.ProofFailed(Step.WRONG_SUBJECT, "the proven transaction's value: " + mismatch);
    }
    if (!tx.receipt().isSuccess()) {
      return new Verdict.ProofFailed(Step.WRONG_SUBJECT, "the proven transaction failed ("
          + tx.receipt().code().name().toLowerCase(java.util.Locale.ROOT) + "): it wrote nothing");
    }
    return new Verdict.Verified(NotarizationCodec.decode(put.value()), transaction.id(), tx.header(), stateHeight);
  }

  /**
   * The oldest entry of the record's history (as the node tells it; nothing here is proven) whose value
   * describes {@code file}: the first time the signer notarized it. Reads at most {@link #HISTORY_PAGES_MAX}
   * pages. Throws {@link IllegalArgumentException} on an answer that is not a history page.
   */
  static Optional<Entry> oldestEntry(Node node, Address signer, FileDigest file) {
    String key = Notarization.recordKey(file.sha256());
    Optional<String> cursor = Optional.empty();
    Entry oldest = null;
    for (int page = 0; page < HISTORY_PAGES_MAX; page++) {
      JsonNode answer = node.recordHistory(signer, key, cursor);
      JsonNode entries = answer == null ? null : answer.get("entries");
      if (entries == null || !entries.isArray()) {
        throw new IllegalArgumentException("no \"entries\" array");
      }
      for (JsonNode entry : entries) {
        Bytes value = ProofVerifier.hex(entry, "value");
        if (mismatch(value, file) == null) {
          oldest = new Entry(Hash.fromHex(ProofVerifier.text(entry, "txId")), entry.path("blockHeight").asLong(-1),
              Hash.fromHex(ProofVerifier.text(entry, "blockHash")), entry.path("timestampMillis").asLong(-1),
              NotarizationCodec.decode(value));
        }
      }
      JsonNode next = answer.path("nextCursor");
      if (!next.isTextual()) {
        break;
      }
      cursor = Optional.of(next.asText());
    }
    return Optional.ofNullable(oldest);
  }
}
