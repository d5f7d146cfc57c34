package dev.cairn.rpc.methods;

import static dev.cairn.rpc.jsonrpc.Schemas.array;
import static dev.cairn.rpc.jsonrpc.Schemas.integer;
import static dev.cairn.rpc.jsonrpc.Schemas.nullable;
import static dev.cairn.rpc.jsonrpc.Schemas.object;
import static dev.cairn.rpc.jsonrpc.Schemas.oneOf;
import static dev.cairn.rpc.jsonrpc.Schemas.ref;
import static dev.cairn.rpc.methods.MethodExamples.ALICE;
import static dev.cairn.rpc.methods.MethodExamples.BLOCK;
import static dev.cairn.rpc.methods.MethodExamples.BOB;
import static dev.cairn.rpc.methods.MethodExamples.HEIGHT;
import static dev.cairn.rpc.methods.MethodExamples.RECORD_KEY;
import static dev.cairn.rpc.methods.MethodExamples.TRANSFER;
import static dev.cairn.rpc.methods.MethodExamples.address;
import static dev.cairn.rpc.methods.MethodExamples.id;
import static dev.cairn.rpc.methods.MethodExamples.nullValue;
import static dev.cairn.rpc.methods.MethodExamples.number;
import static dev.cairn.rpc.methods.MethodExamples.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.ledger.crypto.Address;
import dev.cairn.ledger.model.AccountActivity;
import dev.cairn.ledger.model.HistoryPage;
import dev.cairn.rpc.jsonrpc.ErrorCode;
import dev.cairn.rpc.jsonrpc.MethodSpec;
import java.util.Optional;

/**
 * The descriptions of the history and inclusion methods ({@link HistoryMethods}), in the order it registers
 * them. A page's size bound is the server's {@code historyEntriesReturnedMax}, so a document states the
 * limit of the server that answers it.
 */
public final class HistoryMethodSpecs {
  private static final String CURSOR = "the nextCursor of the previous page; omit or null for the newest page";

  private HistoryMethodSpecs() {}

  public static MethodSpec getAccountHistory(int entriesMax) {
    Address alice = ALICE.publicKey().address();
    ObjectNode result = object("one page of the account's history, newest first")
        .required("address", ref("Address"))
        .required("entries", entries(ref("AccountHistoryEntry"), entriesMax))
        .required("nextCursor", nextCursor())
        .build();
    HistoryPage<AccountActivity> newest = MethodExamples.accountHistory(alice, Optional.empty(), 2);
    JsonNode cursor = text(HistoryCursor.encode(newest.next().orElseThrow()));
    return MethodSpec.named("cairn_getAccountHistory",
            "A page of the finalized transactions an account sent or that name it, newest first.")
        .description("Failed transactions are listed too (they consume a nonce). 'parties' says how the account "
            + "takes part. Page with nextCursor: entries strictly older than the last one returned come next; "
            + "history only grows at the top, so paging while blocks are added neither skips nor repeats.")
        .param("address", "account address", ref("Address"))
        .optionalParam("cursor", CURSOR, nullable(ref("HistoryCursor")))
        .optionalParam("limit", limitText(entriesMax), integer(1, entriesMax, "entries per page"))
        .result("page", "the entries and the cursor of the next (older) page", result)
        .example("newest two", "older entries follow: nextCursor is set", HistoryMethods.accountPage(alice, newest),
            address(alice), nullValue(), number(2))
        .example("next page", "the entries before the cursor; the oldest, so nextCursor is null",
            HistoryMethods.accountPage(alice, MethodExamples.accountHistory(alice, newest.next(), 2)),
            address(alice), cursor, number(2))
        .example("recipient", "bob's history: the transfer he received and the two transactions he sent",
            HistoryMethods.accountPage(BOB, MethodExamples.accountHistory(BOB, Optional.empty(), entriesMax)),
            address(BOB))
        .build();
  }

  public static MethodSpec getRecordHistory(int entriesMax) {
    Address alice = ALICE.publicKey().address();
    ObjectNode result = object("one page of the values the record took, newest first")
        .required("owner", ref("Address"))
        .required("key", ref("RecordKey"))
        .required("entries", entries(ref("RecordHistoryEntry"), entriesMax))
        .required("nextCursor", nextCursor())
        .build();
    return MethodSpec.named("cairn_getRecordHistory",
            "A page of the values a record took, one per successful record_put, newest first.")
        .description("The first entry of the newest page is the current value (cairn_getRecord). A failed put "
            + "changed nothing and is not listed. To prove an entry, give its txId to cairn_getTransactionProof.")
        .param("owner", "owner address", ref("Address"))
        .param("key", "record key", ref("RecordKey"))
        .optionalParam("cursor", CURSOR, nullable(ref("HistoryCursor")))
        .optionalParam("limit", limitText(entriesMax), integer(1, entriesMax, "entries per page"))
        .result("page", "the entries and the cursor of the next (older) page", result)
        .example("two values", "the newest is the current value",
            HistoryMethods.recordPage(alice, RECORD_KEY, MethodExamples.recordHistory(alice, RECORD_KEY, entriesMax)),
            address(alice), text(RECORD_KEY))
        .build();
  }

  public static MethodSpec getBlockReceipts() {
    return MethodSpec.named("cairn_getBlockReceipts", "The receipts of every transaction of a finalized block.")
        .optionalParam("block", "a height, \"latest\" (the default), \"earliest\" (= 0) or a block hash",
            oneOf(ref("BlockTag"), ref("Hash")))
        .result("receipts", "the block's receipts, in transaction order, with its receipts root", ref("BlockReceipts"))
        .errors(ErrorCode.UNKNOWN_BLOCK, ErrorCode.BLOCK_PRUNED)
        .example("by height", "", MethodExamples.blockReceipts(), number(HEIGHT))
        .example("by hash", "", MethodExamples.blockReceipts(), text(JsonShapes.hex(BLOCK.block().hash())))
        .build();
  }

  public static MethodSpec getTransactionProof() {
    return MethodSpec.named("cairn_getTransactionProof",
            "Proofs that a final transaction and its receipt are in their block, with what to check them against.")
        .description("Verify by trusting only a validator set V: the transaction bytes hash to txId and the receipt "
            + "names it; header.encoded hashes to certificate.blockHash, its validatorSetHash is V's hash and the "
            + "certificate holds a quorum of V's seals; txProof leads from txId to header.txRoot and receiptProof "
            + "from the receipt to header.receiptsRoot. index and leafCount are the node's claim; the 'validators' "
            + "member is never V. A pending transaction has no proof yet (-32020 says so). Layouts: docs/formats.md.")
        .param("txId", "transaction id", ref("Hash"))
        .result("proof", "the receipt's members, the canonical bytes, both paths, header, certificate, validators",
            ref("TransactionProof"))
        .errors(ErrorCode.UNKNOWN_TX, ErrorCode.STATE_UNAVAILABLE, ErrorCode.BLOCK_PRUNED)
        .example("transfer", "the first of three transactions: two siblings on its path",
            MethodExamples.transactionProof(), id(TRANSFER))
        .build();
  }

  private static ObjectNode entries(ObjectNode entry, int entriesMax) {
    return array(entry, "at most 'limit' entries, newest first").put("maxItems", entriesMax);
  }

  private static ObjectNode nextCursor() {
    return nullable(ref("HistoryCursor"));
  }

  private static String limitText(int entriesMax) {
    return "most entries to return: 1.." + entriesMax + " (historyEntriesReturnedMax, also the default)";
  }
}
