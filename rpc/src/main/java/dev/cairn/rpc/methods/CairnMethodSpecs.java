package dev.cairn.rpc.methods;

import static dev.cairn.rpc.jsonrpc.Schemas.allOf;
import static dev.cairn.rpc.jsonrpc.Schemas.array;
import static dev.cairn.rpc.jsonrpc.Schemas.bool;
import static dev.cairn.rpc.jsonrpc.Schemas.constant;
import static dev.cairn.rpc.jsonrpc.Schemas.enumOf;
import static dev.cairn.rpc.jsonrpc.Schemas.integer;
import static dev.cairn.rpc.jsonrpc.Schemas.nullable;
import static dev.cairn.rpc.jsonrpc.Schemas.object;
import static dev.cairn.rpc.jsonrpc.Schemas.oneOf;
import static dev.cairn.rpc.jsonrpc.Schemas.ref;
import static dev.cairn.rpc.jsonrpc.Schemas.string;
import static dev.cairn.rpc.methods.MethodExamples.ALICE;
import static dev.cairn.rpc.methods.MethodExamples.BLOCK;
import static dev.cairn.rpc.methods.MethodExamples.CHAIN_ID;
import static dev.cairn.rpc.methods.MethodExamples.HEIGHT;
import static dev.cairn.rpc.methods.MethodExamples.INCLUDED;
import static dev.cairn.rpc.methods.MethodExamples.PENDING;
import static dev.cairn.rpc.methods.MethodExamples.RECORD_KEY;
import static dev.cairn.rpc.methods.MethodExamples.TRANSFER;
import static dev.cairn.rpc.methods.MethodExamples.address;
import static dev.cairn.rpc.methods.MethodExamples.id;
import static dev.cairn.rpc.methods.MethodExamples.nullValue;
import static dev.cairn.rpc.methods.MethodExamples.number;
import static dev.cairn.rpc.methods.MethodExamples.text;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.ledger.crypto.Address;
import dev.cairn.ledger.model.Limits;
import dev.cairn.rpc.RpcConfig;
import dev.cairn.rpc.TransactionSubmitter.RejectionReason;
import dev.cairn.rpc.jsonrpc.ErrorCode;
import dev.cairn.rpc.jsonrpc.MethodSpec;
import java.util.Arrays;
import java.util.List;

/**
 * The description of every {@code cairn_*} method (see {@link MethodSpec}), one factory per method in the
 * order {@link CairnMethods#all()} registers them; {@link CairnMethods} and the WebSocket endpoint build their
 * {@code RpcMethod}s from these, the history and inclusion methods from {@link HistoryMethodSpecs}. docs/json-rpc.md has a section per method with the longer story.
 */
public final class CairnMethodSpecs {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String BLOCK_PARAM = "a height, \"latest\" (the default) or \"earliest\" (= 0)";

  private CairnMethodSpecs() {}

  public static MethodSpec chainId() {
    return MethodSpec.named("cairn_chainId", "The chain id this node serves.")
        .result("chainId", "the chain id", ref("ChainId"))
        .example("chain id", "", text(CHAIN_ID))
        .build();
  }

  public static MethodSpec blockNumber() {
    return MethodSpec.named("cairn_blockNumber", "The height of the latest finalized block.")
        .result("height", "head height", ref("Height"))
        .example("head", "", number(HEIGHT))
        .build();
  }

  public static MethodSpec sendTransaction() {
    return MethodSpec.named("cairn_sendTransaction", "Submits a signed transaction to the mempool.")
        .description("The transaction is pending once accepted and final once cairn_getReceipt returns its "
            + "receipt. The signatures of a batch's cairn_sendTransaction calls are verified together; each call "
            + "is answered as it would be alone. Byte layout: docs/formats.md.")
        .param("tx", "the canonical signed transaction as 0x-hex",
            allOf(ref("HexBytes"), NODES.objectNode().put("maxLength", 2 + 2 * Limits.TX_BYTES_MAX)
                .put("description", "at most " + Limits.TX_BYTES_MAX + " bytes")))
        .result("txId", "the transaction id", ref("Hash"))
        .errors(Arrays.stream(RejectionReason.values()).map(ErrorCode::of).toList())
        .example("transfer", "a transfer of 250 from alice to bob", id(TRANSFER), MethodExamples.rawTransaction(TRANSFER))
        .build();
  }

  public static MethodSpec getTransaction() {
    return MethodSpec.named("cairn_getTransaction", "A finalized or pending transaction by id.")
        .param("txId", "transaction id", ref("Hash"))
        .result("transaction", "the transaction, with status final (and its position) or pending",
            ref("TransactionWithStatus"))
        .errors(ErrorCode.UNKNOWN_TX)
        .example("final", "", JsonShapes.includedTransaction(INCLUDED), id(TRANSFER))
        .example("pending", "", JsonShapes.pendingTransaction(PENDING), id(PENDING))
        .build();
  }

  public static MethodSpec getReceipt() {
    return MethodSpec.named("cairn_getReceipt", "The receipt of a final transaction; null while it is pending.")
        .param("txId", "transaction id", ref("Hash"))
        .result("receipt", "the receipt, or null while the transaction is pending", nullable(ref("Receipt")))
        .errors(ErrorCode.UNKNOWN_TX)
        .example("final", "", JsonShapes.receipt(INCLUDED), id(TRANSFER))
        .example("pending", "", nullValue(), id(PENDING))
        .build();
  }

  public static MethodSpec getBlockByNumber() {
    return MethodSpec.named("cairn_getBlockByNumber", "A finalized block by height.")
        .optionalParam("block", BLOCK_PARAM, ref("BlockTag"))
        .optionalParam("fullTransactions", "whole transactions instead of ids (default false)", bool("full transactions"))
        .result("block", "the block", ref("Block"))
        .errors(ErrorCode.UNKNOWN_BLOCK, ErrorCode.BLOCK_PRUNED)
        .example("by height", "", JsonShapes.block(BLOCK, false), number(HEIGHT))
        .example("latest, full", "", JsonShapes.block(BLOCK, true), text("latest"), MethodExamples.bool(true))
        .build();
  }

  public static MethodSpec getBlockByHash() {
    return MethodSpec.named("cairn_getBlockByHash", "A finalized block by hash.")
        .param("blockHash", "block hash", ref("Hash"))
        .optionalParam("fullTransactions", "whole transactions instead of ids (default false)", bool("full transactions"))
        .result("block", "the block", ref("Block"))
        .errors(ErrorCode.UNKNOWN_BLOCK, ErrorCode.BLOCK_PRUNED)
        .example("by hash", "", JsonShapes.block(BLOCK, false), text(JsonShapes.hex(BLOCK.block().hash())))
        .build();
  }

  public static MethodSpec getAccount() {
    return MethodSpec.named("cairn_getAccount", "An account at the head, with the nonce its next transaction needs.")
        .param("address", "account address", ref("Address"))
        .result("account", "the account", ref("Account"))
        .example("member", "", MethodExamples.account(), address(ALICE.publicKey().address()))
        .build();
  }

  public static MethodSpec getRecord() {
    return MethodSpec.named("cairn_getRecord", "A record at the head; null if none is set.")
        .param("owner", "owner address", ref("Address"))
        .param("key", "record key", ref("RecordKey"))
        .result("record", "the record, or null", nullable(ref("Record")))
        .example("set", "", MethodExamples.record(), address(ALICE.publicKey().address()), text(RECORD_KEY))
        .example("unset", "", nullValue(), address(ALICE.publicKey().address()), text("doc/2"))
        .build();
  }

  public static MethodSpec validators() {
    return MethodSpec.named("cairn_validators", "The validator set that finalizes a block.")
        .optionalParam("block", BLOCK_PARAM, ref("BlockTag"))
        .result("validators", "the validator set", ref("Validators"))
        .errors(ErrorCode.UNKNOWN_BLOCK)
        .example("at a height", "", MethodExamples.validators(), number(HEIGHT))
        .build();
  }

  public static MethodSpec getProof() {
    return MethodSpec.named("cairn_getProof", "A state proof of an account or a record, with what to check it against.")
        .description("Verify by trusting only a validator set V: decode header.encoded, its hash must equal "
            + "certificate.blockHash and header.validatorSetHash V's hash; the certificate must hold a quorum of V's "
            + "seals; the proof must verify against header.stateRoot. The 'validators' member is the node's claim, "
            + "never V. A proof at height 0 never verifies (genesis has no seals). Layouts: docs/formats.md.")
        .param("address", "account address", ref("Address"))
        .optionalParam("recordKey", "record key; omit or null to prove the account itself", nullable(ref("RecordKey")))
        .optionalParam("block", BLOCK_PARAM, ref("BlockTag"))
        .result("proof", "the proof", ref("Proof"))
        .errors(ErrorCode.UNKNOWN_BLOCK, ErrorCode.STATE_UNAVAILABLE)
        .example("account", "", MethodExamples.accountProof(), address(ALICE.publicKey().address()), nullValue(),
            number(HEIGHT))
        .build();
  }

  public static MethodSpec getValidatorVotes() {
    ObjectNode proven = object("a state key, its value (null: absent) and its proof")
        .required("stateKey", ref("Hash"))
        .required("value", nullable(ref("HexBytes")))
        .required("proof", ref("HexBytes"))
        .build();
    ObjectNode vote = object("a pending validator-set change: its tally, proven, and what the tally means")
        .required("candidate", ref("PublicKey"))
        .required("action", enumOf(List.of("add", "remove"), "add or remove the candidate"))
        .membersOf(proven)
        .required("voters", array(ref("PublicKey"), "the validators that voted for it (the decoded value)"))
        .required("votesCounted", integer(0, Limits.VALIDATORS_MAX, "voters in validatorSet (only they count)"))
        .required("validators", integer(1, Limits.VALIDATORS_MAX, "keys in validatorSet"))
        .required("votesNeeded", integer(1, Limits.VALIDATORS_MAX, "votes that make it pass: more than 2/3 of them"))
        .build();
    ObjectNode result = object("the pending validator-set changes at the head, proven against one certified block")
        .required("height", ref("Height"))
        .required("header", ref("Header"))
        .required("certificate", ref("Certificate"))
        .required("validators", ref("Validators"))
        .required("validatorSet", allOf(proven, NODES.objectNode().put("description",
            "the validator set in state after this block (StateKeys.VALIDATOR_SET): the set that counts the next vote")))
        .required("votes", array(vote, "at most " + CairnMethods.VOTES_RETURNED_MAX + " pending changes"))
        .required("more", bool("true when more changes are pending than 'votes' holds"))
        .build();
    return MethodSpec.named("cairn_getValidatorVotes",
            "The pending validator-set votes at the head, each tally with its state proof.")
        .description("A change passes once more than 2/3 of the validator set voted for it, and applies from the "
            + "next height. Verify as with cairn_getProof (trusting only a validator set V): the certificate, then "
            + "validatorSet and each vote's value against header.stateRoot under the state key computed from "
            + "(candidate, action) (docs/formats.md). State cannot be listed, so which changes are named comes from "
            + "the node's index of the votes it saw: a proof shows a tally is real, not that none is missing.")
        .result("votes", "the pending changes, with proofs", result)
        .errors(ErrorCode.STATE_UNAVAILABLE)
        .example("one addition", "two of four validators voted to add a key; three are needed", MethodExamples.validatorVotes())
        .build();
  }

  public static MethodSpec nodeInfo() {
    ObjectNode info = object("this node")
        .required("version", string("node software version"))
        .required("peerId", string("libp2p peer id"))
        .required("chainId", ref("ChainId"))
        .required("headHeight", ref("Height"))
        .required("validator", bool("whether this node is a validator"))
        .required("validatorKey", nullable(ref("PublicKey")))
        .required("peerCount", integer(0, Integer.MAX_VALUE, "connected peers"))
        .required("pendingTransactions", integer(0, Integer.MAX_VALUE, "transactions in the mempool"))
        .build();
    ObjectNode example = NODES.objectNode().put("version", "0.1.0").put("peerId", "12D3KooWExample")
        .put("chainId", CHAIN_ID).put("headHeight", HEIGHT).put("validator", true)
        .put("validatorKey", JsonShapes.hex(MethodExamples.VALIDATOR_KEYS.get(0).publicKey().bytes()))
        .put("peerCount", 3).put("pendingTransactions", 1);
    return MethodSpec.named("cairn_nodeInfo", "Version, identity and state of this node.")
        .result("info", "node info", info)
        .example("validator", "", example)
        .build();
  }

  public static MethodSpec syncing() {
    ObjectNode progress = object("sync progress")
        .required("startingHeight", ref("Height"))
        .required("currentHeight", ref("Height"))
        .required("highestHeight", ref("Height"))
        .build();
    return MethodSpec.named("cairn_syncing", "Whether this node is catching up: false, or its progress.")
        .result("syncing", "false when in sync", oneOf(constant(false, "in sync"), progress))
        .example("in sync", "", MethodExamples.bool(false))
        .example("catching up", "", NODES.objectNode().put("startingHeight", 0).put("currentHeight", 500)
            .put("highestHeight", 1200))
        .build();
  }

  public static MethodSpec pendingTransactions(int returnedMax) {
    ObjectNode result = object("pending transactions, in proposal order")
        .required("count", integer(0, Integer.MAX_VALUE, "all pending transactions"))
        .required("transactions", array(ref("TransactionWithStatus"), "at most 'limit' of them, status pending"))
        .build();
    ObjectNode example = NODES.objectNode().put("count", 1);
    example.putArray("transactions").add(JsonShapes.pendingTransaction(PENDING));
    return MethodSpec.named("cairn_pendingTransactions", "The transactions waiting in this node's mempool.")
        .optionalParam("limit", "most transactions to return (default and maximum pendingTransactionsReturnedMax)",
            integer(0, returnedMax, "limit"))
        .result("pending", "count and transactions", result)
        .example("first ten", "", example, number(10))
        .build();
  }

  public static MethodSpec subscribe(int subscriptionsMax) {
    ObjectNode notification = object("a cairn_subscription notification")
        .required("jsonrpc", enumOf(List.of("2.0"), "2.0"))
        .required("method", enumOf(List.of("cairn_subscription"), "cairn_subscription"))
        .required("params", object("the subscription and its event")
            .required("subscription", ref("SubscriptionId"))
            .required("result", oneOf(
                allOf(ref("Header"), NODES.objectNode().put("description", "newHeads: the finalized block's header")),
                allOf(ref("Receipt"), NODES.objectNode().put("description", "txFinalized: the transaction's receipt")),
                allOf(ref("AccountNotification"), NODES.objectNode().put("description",
                    "account: a history entry (cairn_getAccountHistory) and the watched address")),
                allOf(ref("RecordNotification"), NODES.objectNode().put("description",
                    "record: a history entry (cairn_getRecordHistory), the owner and the key"))))
            .build())
        .build();
    Address alice = ALICE.publicKey().address();
    return MethodSpec.named("cairn_subscribe",
            "Subscribes this WebSocket connection to finalized blocks, one transaction, an account or a record.")
        .description("Params by kind: [\"newHeads\"], [\"txFinalized\", txId], [\"account\", address], "
            + "[\"record\", owner, key]; by name the second param is txId whatever the kind. "
            + "newHeads: one notification per finalized block, with its header, in height order. "
            + "txFinalized: exactly one notification, with the transaction's receipt, once it is final (right after "
            + "the answer if it already is); the subscription then ends. account: one notification per finalized "
            + "transaction that touches the account, in chain order (a transaction touching two watched accounts "
            + "notifies the sender's first). record: one per successful put of the record, in chain order. "
            + "account and record start with the first block finalized after the answer (the history methods "
            + "give what came before). No notification precedes the answer. At most " + subscriptionsMax
            + " subscriptions per connection. Notifications are cairn_subscription messages (x-cairn-notification).")
        .param("kind", "what to subscribe to",
            enumOf(List.of("newHeads", "txFinalized", "account", "record"), "subscription kind"))
        .optionalParam("txId", "txFinalized: the transaction id; account: the account's address; record: the "
            + "owner's address. newHeads takes none", oneOf(ref("Hash"), ref("Address")))
        .optionalParam("key", "record: the record key; no other kind takes one", ref("RecordKey"))
        .result("subscription", "the subscription id", ref("SubscriptionId"))
        .errors(ErrorCode.SUBSCRIPTIONS_LIMIT)
        .example("newHeads", "", text("0x9c3e51b2a4d07f18"), text("newHeads"))
        .example("txFinalized", "", text("0x5ab1c0de77e2f301"), text("txFinalized"), id(TRANSFER))
        .example("account", "", text("0x07d2e4a9b13c65f0"), text("account"), address(alice))
        .example("record", "", text("0xe1a0439c5b7d2f86"), text("record"), address(alice), text(RECORD_KEY))
        .extension("x-cairn-notification", notification)
        .build();
  }

  public static MethodSpec unsubscribe() {
    return MethodSpec.named("cairn_unsubscribe", "Ends a subscription of this WebSocket connection.")
        .param("subscription", "subscription id", string("subscription id, as cairn_subscribe answered it"))
        .result("wasLive", "true if the subscription was live", bool("was live"))
        .example("live", "", MethodExamples.bool(true), text("0x9c3e51b2a4d07f18"))
        .build();
  }

  /** Where a WebSocket-only method is served, for its answer over HTTP. */
  public static String webSocketOnlyDetail() {
    return "connect to " + RpcConfig.WS_PATH;
  }
}
