package dev.cairn.rpc.methods;

import static dev.cairn.rpc.jsonrpc.Schemas.allOf;
import static dev.cairn.rpc.jsonrpc.Schemas.array;
import static dev.cairn.rpc.jsonrpc.Schemas.enumOf;
import static dev.cairn.rpc.jsonrpc.Schemas.integer;
import static dev.cairn.rpc.jsonrpc.Schemas.nullable;
import static dev.cairn.rpc.jsonrpc.Schemas.object;
import static dev.cairn.rpc.jsonrpc.Schemas.oneOf;
import static dev.cairn.rpc.jsonrpc.Schemas.pattern;
import static dev.cairn.rpc.jsonrpc.Schemas.ref;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.codec.LedgerCodec;
import dev.cairn.ledger.crypto.Address;
import dev.cairn.ledger.model.Limits;
import dev.cairn.ledger.model.MerkleProof;
import dev.cairn.ledger.model.Payload;
import dev.cairn.ledger.model.Receipt;
import dev.cairn.ledger.model.ReceiptCode;
import dev.cairn.ledger.model.Role;
import dev.cairn.ledger.model.TxKind;
import dev.cairn.ledger.model.TxParty;
import dev.cairn.rpc.jsonrpc.Schemas;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON Schema of every shape {@link JsonShapes} writes and of the values params share, published under
 * {@code components/schemas} of the OpenRPC document. Enumerations are read from the ledger's own enums, so
 * a new receipt code or role appears here without anyone writing it down.
 */
public final class ShapeSchemas {
  private static final long U63_MAX = Long.MAX_VALUE;
  private static final String HEX = "[0-9a-fA-F]";

  private ShapeSchemas() {}

  /** Name to schema, in the order a reader meets them. */
  public static Map<String, ObjectNode> all() {
    Map<String, ObjectNode> all = new LinkedHashMap<>();
    all.put("Hash", pattern("^0x" + HEX + "{64}$", "32-byte SHA-256 hash as 0x + 64 hex digits (answers use lowercase)"));
    all.put("HexBytes", pattern("^0x(" + HEX + "{2})*$", "bytes as 0x-prefixed hex, an even number of digits"));
    all.put("PublicKey", pattern("^0x" + HEX + "{64}$", "32-byte Ed25519 public key as 0x-prefixed hex"));
    all.put("Signature", pattern("^0x" + HEX + "{128}$", "64-byte Ed25519 signature as 0x-prefixed hex"));
    all.put("Address", pattern("^" + Address.HRP + "1[02-9ac-hj-np-z]{38}$",
        "account address: Bech32m of 20 bytes with the human-readable part '" + Address.HRP + "'"));
    all.put("Amount", pattern("^(0|[1-9][0-9]{0,19})$",
        "u64 amount or balance as a decimal string (it may exceed 2^53, which JSON numbers cannot carry)"));
    all.put("Height", integer(0, U63_MAX, "block height"));
    all.put("BlockTag", oneOf(ref("Height"), enumOf(java.util.List.of("latest", "earliest"),
        "'latest': the head; 'earliest': height 0")));
    all.put("ChainId", Schemas.stringLength(1, Limits.CHAIN_ID_BYTES_MAX, "chain id (1.." + Limits.CHAIN_ID_BYTES_MAX + " UTF-8 bytes)"));
    all.put("RecordKey", Schemas.stringLength(1, Limits.RECORD_KEY_BYTES_MAX,
        "record key: 1.." + Limits.RECORD_KEY_BYTES_MAX + " UTF-8 bytes"));
    ObjectNode header = header();
    all.put("Header", header);
    all.put("Certificate", certificate());
    all.put("Block", object("a finalized block: its header's members, its transactions and its commit certificate")
        .membersOf(header)
        .required("transactions", array(oneOf(ref("Hash"), ref("Transaction")),
            "transaction ids, or whole transactions when fullTransactions is true"))
        .required("certificate", ref("Certificate"))
        .build());
    ObjectNode transaction = transaction();
    all.put("Transaction", transaction);
    all.put("TransferPayload", object("payload of a transfer")
        .required("to", ref("Address")).required("amount", ref("Amount")).build());
    all.put("RecordPutPayload", object("payload of a record_put")
        .required("key", ref("RecordKey")).required("value", ref("HexBytes")).build());
    all.put("RolePayload", object("payload of a role_grant or role_revoke")
        .required("account", ref("Address")).required("role", ref("Role")).build());
    all.put("ValidatorVotePayload", object("payload of a validator_vote")
        .required("validator", ref("PublicKey"))
        .required("action", enumOf(names(Payload.VoteAction.values()), "add or remove the validator")).build());
    all.put("Role", enumOf(names(Role.values()), "account role: member may transact, admin may grant and revoke roles"));
    all.put("TransactionWithStatus", object("a transaction, final (with its position) or pending (position null)")
        .membersOf(transaction)
        .required("status", enumOf(java.util.List.of("final", "pending"), "final or pending"))
        .required("blockHeight", nullable(ref("Height")))
        .required("blockHash", nullable(ref("Hash")))
        .required("index", nullable(txIndex()))
        .build());
    all.put("Receipt", receipt());
    all.put("Account", object("an account at the head; one never written reads as balance 0, nonce 0, no roles")
        .required("address", ref("Address"))
        .required("balance", ref("Amount"))
        .required("nonce", integer(0, U63_MAX, "committed nonce: the number of the account's final transactions"))
        .required("roles", array(ref("Role"), "roles held"))
        .required("pendingNonce", integer(0, U63_MAX,
            "the nonce the account's next transaction should carry, past its pending ones on this node"))
        .build());
    all.put("Record", object("a record: bytes under an owner and a key")
        .required("owner", ref("Address")).required("key", ref("RecordKey")).required("value", ref("HexBytes")).build());
    all.put("Validators", validators());
    all.put("Proof", proof());
    all.put("SubscriptionId", pattern("^0x[0-9a-f]{16}$", "subscription id"));
    all.put("HistoryCursor", pattern(HistoryCursor.pattern(), "a history page's nextCursor, passed back as it came: "
        + "the position of the page's last entry (height u64 below 2^63, index u32 below " + Limits.BLOCK_TXS_MAX
        + ", big-endian) as 0x + 24 hex digits"));
    ObjectNode accountEntry = accountHistoryEntry();
    all.put("AccountHistoryEntry", accountEntry);
    ObjectNode recordEntry = recordHistoryEntry();
    all.put("RecordHistoryEntry", recordEntry);
    all.put("AccountNotification", object("an account subscription's notification: a history entry and the watched address")
        .membersOf(accountEntry).required("address", ref("Address")).build());
    all.put("RecordNotification", object("a record subscription's notification: a history entry and the watched record")
        .membersOf(recordEntry).required("owner", ref("Address")).required("key", ref("RecordKey")).build());
    all.put("BlockReceipts", object("the receipts of one block, in transaction order")
        .required("height", ref("Height"))
        .required("hash", ref("Hash"))
        .required("receiptsRoot", ref("Hash"))
        .required("receipts", maxItems(array(ref("Receipt"), "one receipt per transaction, in block order"),
            Limits.BLOCK_TXS_MAX))
        .build());
    all.put("MerkleProof", merkleProof());
    all.put("TransactionProof", transactionProof(receipt()));
    return all;
  }

  private static ObjectNode accountHistoryEntry() {
    return object("one finalized transaction that touches the account, failed ones included")
        .required("txId", ref("Hash"))
        .required("blockHeight", ref("Height"))
        .required("blockHash", ref("Hash"))
        .required("index", txIndex())
        .required("timestampMillis", integer(0, U63_MAX, "the block's time, milliseconds since the Unix epoch"))
        .required("parties", uniqueItems(array(enumOf(names(TxParty.values()),
            "sender; recipient of a transfer; role_target of a role grant or revoke; validator_target of a validator "
                + "vote (by the voted key's address)"), "how the account takes part (a transfer to oneself: both)"),
            1, TxParty.values().length))
        .required("transaction", ref("Transaction"))
        .required("status", enumOf(java.util.List.of("success", "failed"), "success when code is 0"))
        .required("code", receiptCode())
        .required("codeName", enumOf(names(ReceiptCode.values()), "receipt code name"))
        .build();
  }

  private static ObjectNode recordHistoryEntry() {
    return object("one value the record took: a successful record_put, where and when it was finalized")
        .required("value", allOf(ref("HexBytes"), lengthMax(Limits.RECORD_VALUE_BYTES_MAX, "the value written")))
        .required("txId", ref("Hash"))
        .required("blockHeight", ref("Height"))
        .required("blockHash", ref("Hash"))
        .required("index", txIndex())
        .required("timestampMillis", integer(0, U63_MAX, "the block's time, milliseconds since the Unix epoch"))
        .build();
  }

  private static ObjectNode merkleProof() {
    return object("an inclusion proof in a block's transaction or receipt tree (formats.md, transaction and receipt roots)")
        .required("index", txIndex())
        .required("leafCount", integer(1, Limits.BLOCK_TXS_MAX, "leaves of the tree: the block's transactions"))
        .required("siblings", maxItems(array(ref("Hash"), "the siblings met on the way up, lowest first; a promoted "
            + "node has none at its level"), MerkleProof.SIBLINGS_MAX))
        .build();
  }

  /** A receipt's members, then the bytes and paths that prove the transaction and the receipt in the block. */
  private static ObjectNode transactionProof(ObjectNode receipt) {
    int receiptBytes = LedgerCodec.encode(new Receipt(Hash.ZERO, ReceiptCode.OK)).length;
    return object("a final transaction's and its receipt's inclusion in their block, with the block's header, "
        + "commit certificate and validator set")
        .membersOf(receipt)
        .required("transaction", allOf(ref("HexBytes"), lengthMax(Limits.TX_BYTES_MAX,
            "the canonical signed transaction; its tagged hash is txId")))
        .required("receipt", pattern("^0x" + HEX + "{" + 2 * receiptBytes + "}$",
            "the canonical receipt (" + receiptBytes + " bytes)"))
        .required("txProof", ref("MerkleProof"))
        .required("receiptProof", ref("MerkleProof"))
        .required("header", ref("Header"))
        .required("certificate", ref("Certificate"))
        .required("validators", ref("Validators"))
        .build();
  }

  private static ObjectNode receiptCode() {
    int codeMax = Arrays.stream(ReceiptCode.values()).mapToInt(ReceiptCode::code).max().orElseThrow();
    return integer(0, codeMax, "receipt code (see codeName)");
  }

  /** Narrows HexBytes to at most {@code bytes} bytes. */
  private static ObjectNode lengthMax(int bytes, String description) {
    return JsonNodeFactory.instance.objectNode().put("maxLength", 2 + 2 * bytes)
        .put("description", description + " (at most " + bytes + " bytes)");
  }

  private static ObjectNode maxItems(ObjectNode array, int max) {
    return array.put("maxItems", max);
  }

  private static ObjectNode uniqueItems(ObjectNode array, int min, int max) {
    return array.put("minItems", min).put("maxItems", max).put("uniqueItems", true);
  }

  private static ObjectNode header() {
    return object("block header; 'encoded' is its canonical encoding, whose tagged hash is 'hash'")
        .required("height", ref("Height"))
        .required("hash", ref("Hash"))
        .required("parentHash", ref("Hash"))
        .required("timestampMillis", integer(0, U63_MAX, "proposal time, milliseconds since the Unix epoch"))
        .required("proposer", ref("PublicKey"))
        .required("round", integer(0, Integer.MAX_VALUE, "consensus round the block was decided in"))
        .required("txRoot", ref("Hash"))
        .required("receiptsRoot", ref("Hash"))
        .required("stateRoot", ref("Hash"))
        .required("validatorSetHash", ref("Hash"))
        .required("encoded", ref("HexBytes"))
        .build();
  }

  private static ObjectNode certificate() {
    ObjectNode seal = object("one validator's commit seal over the block hash")
        .required("validator", ref("PublicKey")).required("signature", ref("Signature")).build();
    return object("commit certificate: valid when a quorum of the block's validators sealed the block hash")
        .required("blockHash", ref("Hash"))
        .required("seals", array(seal, "commit seals"))
        .build();
  }

  private static ObjectNode transaction() {
    return object("a signed transaction; 'raw' is its canonical encoding, whose tagged hash is 'id'")
        .required("id", ref("Hash"))
        .required("chainId", ref("ChainId"))
        .required("sender", ref("PublicKey"))
        .required("from", ref("Address"))
        .required("nonce", integer(0, U63_MAX, "sender's nonce"))
        .required("kind", enumOf(names(TxKind.values()), "payload kind"))
        .required("payload", oneOf(ref("TransferPayload"), ref("RecordPutPayload"), ref("RolePayload"),
            ref("ValidatorVotePayload")))
        .required("signature", ref("Signature"))
        .required("raw", ref("HexBytes"))
        .build();
  }

  private static ObjectNode receipt() {
    return object("the outcome of a final transaction; a failed one is included and consumes its nonce")
        .required("txId", ref("Hash"))
        .required("status", enumOf(java.util.List.of("success", "failed"), "success when code is 0"))
        .required("code", receiptCode())
        .required("codeName", enumOf(names(ReceiptCode.values()), "receipt code name"))
        .required("description", Schemas.string("one-line meaning of the code"))
        .required("blockHeight", ref("Height"))
        .required("blockHash", ref("Hash"))
        .required("index", txIndex())
        .build();
  }

  private static ObjectNode validators() {
    ObjectNode validator = object("a validator").required("publicKey", ref("PublicKey")).required("address", ref("Address")).build();
    return object("the validator set that finalizes the block at 'height'")
        .required("height", ref("Height"))
        .required("hash", ref("Hash"))
        .required("quorum", integer(1, Limits.VALIDATORS_MAX, "seals needed: ceil(2n/3)"))
        .required("maxFaulty", integer(0, Limits.VALIDATORS_MAX, "faulty validators tolerated: floor((n-1)/3)"))
        .required("validators", array(validator, "the validators, in set order"))
        .build();
  }

  private static ObjectNode proof() {
    return object("a state proof with the block header, commit certificate and validator set it is checked against")
        .required("address", ref("Address"))
        .required("kind", enumOf(java.util.List.of("account", "record"), "what is proven"))
        .optional("recordKey", ref("RecordKey"))
        .required("stateKey", ref("Hash"))
        .required("value", nullable(ref("HexBytes")))
        .required("proof", ref("HexBytes"))
        .required("header", ref("Header"))
        .required("certificate", ref("Certificate"))
        .required("validators", ref("Validators"))
        .build();
  }

  private static ObjectNode txIndex() {
    return integer(0, Limits.BLOCK_TXS_MAX - 1, "position of the transaction in its block");
  }

  private static java.util.List<String> names(Enum<?>[] values) {
    return Arrays.stream(values).map(JsonShapes::name).toList();
  }
}
