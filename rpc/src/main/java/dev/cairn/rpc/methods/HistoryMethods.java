package dev.cairn.rpc.methods;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.codec.LedgerCodec;
import dev.cairn.ledger.codec.TransactionCodec;
import dev.cairn.ledger.crypto.Address;
import dev.cairn.ledger.model.AccountActivity;
import dev.cairn.ledger.model.FinalizedBlock;
import dev.cairn.ledger.model.HistoryPage;
import dev.cairn.ledger.model.IncludedTransaction;
import dev.cairn.ledger.model.MerkleProof;
import dev.cairn.ledger.model.Receipt;
import dev.cairn.ledger.model.RecordChange;
import dev.cairn.ledger.model.Transaction;
import dev.cairn.ledger.model.TxPosition;
import dev.cairn.ledger.model.ValidatorSet;
import dev.cairn.rpc.ChainView;
import dev.cairn.rpc.NodeStatus;
import dev.cairn.rpc.RpcConfig;
import dev.cairn.rpc.jsonrpc.ErrorCode;
import dev.cairn.rpc.jsonrpc.Params;
import dev.cairn.rpc.jsonrpc.RpcFailure;
import dev.cairn.rpc.jsonrpc.RpcMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * History and inclusion: {@code cairn_getAccountHistory}, {@code cairn_getRecordHistory}, {@code
 * cairn_getBlockReceipts} and {@code cairn_getTransactionProof} (docs/json-rpc.md). A proof answer carries
 * everything a client needs to check it trusting only a validator set: the transaction's and the receipt's
 * canonical bytes, their Merkle paths, the header's canonical bytes and its commit certificate.
 */
public final class HistoryMethods {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final ChainView chain;
  private final NodeStatus status;
  private final RpcConfig config;

  public HistoryMethods(ChainView chain, NodeStatus status, RpcConfig config) {
    this.chain = chain;
    this.status = status;
    this.config = config;
  }

  /** Each method with its description ({@link HistoryMethodSpecs}); page bounds from the config. */
  public List<RpcMethod> all() {
    int entriesMax = config.historyEntriesReturnedMax();
    return List.of(
        new RpcMethod(HistoryMethodSpecs.getAccountHistory(entriesMax), this::getAccountHistory),
        new RpcMethod(HistoryMethodSpecs.getRecordHistory(entriesMax), this::getRecordHistory),
        new RpcMethod(HistoryMethodSpecs.getBlockReceipts(), this::getBlockReceipts),
        new RpcMethod(HistoryMethodSpecs.getTransactionProof(), this::getTransactionProof));
  }

  private JsonNode getAccountHistory(Params p) {
    Address address = p.address(0);
    Optional<TxPosition> cursor = HistoryCursor.read(p, 1);
    return accountPage(address, chain.accountHistory(address, cursor, limit(p, 2)));
  }

  private JsonNode getRecordHistory(Params p) {
    Address owner = p.address(0);
    String key = CairnMethods.recordKey(p, 1);
    Optional<TxPosition> cursor = HistoryCursor.read(p, 2);
    return recordPage(owner, key, chain.recordHistory(owner, key, cursor, limit(p, 3)));
  }

  /** The answer to cairn_getAccountHistory (and the shape of its examples). */
  static ObjectNode accountPage(Address address, HistoryPage<AccountActivity> page) {
    ObjectNode node = NODES.objectNode().put("address", address.toText());
    return page(node, page, JsonShapes::activity, AccountActivity::position);
  }

  /** The answer to cairn_getRecordHistory (and the shape of its examples). */
  static ObjectNode recordPage(Address owner, String key, HistoryPage<RecordChange> page) {
    ObjectNode node = NODES.objectNode().put("owner", owner.toText()).put("key", key);
    return page(node, page, JsonShapes::recordChange, RecordChange::position);
  }

  private static <T> ObjectNode page(ObjectNode node, HistoryPage<T> page, Function<T, ObjectNode> shape,
      Function<T, TxPosition> position) {
    ArrayNode entries = NODES.arrayNode();
    for (T entry : page.entries()) {
      entries.add(shape.apply(entry));
    }
    node.set("entries", entries);
    node.set("nextCursor", page.next().<JsonNode>map(next -> NODES.textNode(HistoryCursor.encode(next)))
        .orElse(NODES.nullNode()));
    return node;
  }

  /** The page size: 1..historyEntriesReturnedMax, that maximum when absent. */
  private int limit(Params p, int index) {
    int max = config.historyEntriesReturnedMax();
    long limit = p.nonNegativeLong(index, max);
    if (limit < 1 || limit > max) {
      throw RpcFailure.invalidParam(p.name(index), "must be 1.." + max);
    }
    return (int) limit;
  }

  private JsonNode getBlockReceipts(Params p) {
    FinalizedBlock block = CairnMethods.block(chain, p, 0);
    long height = block.block().height();
    List<Receipt> receipts = chain.receipts(height)
        .orElseThrow(() -> new RpcFailure(ErrorCode.UNKNOWN_BLOCK, "no receipts for height " + height));
    return blockReceipts(block, receipts);
  }

  /** The answer to cairn_getBlockReceipts: {@code receipts} are the block's, one per transaction. */
  static ObjectNode blockReceipts(FinalizedBlock block, List<Receipt> receipts) {
    long height = block.block().height();
    ArrayNode list = NODES.arrayNode();
    for (int i = 0; i < receipts.size(); i++) {
      list.add(JsonShapes.receipt(new IncludedTransaction(block.block().transactions().get(i), receipts.get(i),
          height, block.block().hash(), i)));
    }
    ObjectNode node = NODES.objectNode()
        .put("height", height)
        .put("hash", JsonShapes.hex(block.block().hash()))
        .put("receiptsRoot", JsonShapes.hex(block.block().header().receiptsRoot()));
    node.set("receipts", list);
    return node;
  }

  /**
   * The inclusion of a final transaction and of its receipt in their block, with that block's header and
   * certificate. The proofs are built from the stored block (every transaction id, every receipt): a few
   * milliseconds for a block of thousands.
   */
  private JsonNode getTransactionProof(Params p) {
    Hash txId = p.hash(0);
    IncludedTransaction included = chain.transaction(txId).orElseThrow(() -> status.pendingTransaction(txId).isPresent()
        ? new RpcFailure(ErrorCode.UNKNOWN_TX, JsonShapes.hex(txId) + " is pending: a proof exists once it is final")
        : new RpcFailure(ErrorCode.UNKNOWN_TX, JsonShapes.hex(txId)));
    long height = included.blockHeight();
    FinalizedBlock block = chain.blockByHeight(height)
        .orElseThrow(() -> new RpcFailure(ErrorCode.STATE_UNAVAILABLE, "block " + height + " is not kept"));
    List<Receipt> receipts = chain.receipts(height)
        .orElseThrow(() -> new RpcFailure(ErrorCode.STATE_UNAVAILABLE, "receipts of block " + height + " are not kept"));
    ValidatorSet validators = chain.validators(height)
        .orElseThrow(() -> new RpcFailure(ErrorCode.STATE_UNAVAILABLE, "no validator set for height " + height));
    return transactionProof(included, block, receipts, validators);
  }

  /** The answer to cairn_getTransactionProof for {@code included}, in {@code block} with these receipts. */
  static ObjectNode transactionProof(IncludedTransaction included, FinalizedBlock block, List<Receipt> receipts,
      ValidatorSet validators) {
    long height = included.blockHeight();
    List<Transaction> txs = block.block().transactions();
    List<Hash> ids = new ArrayList<>(txs.size());
    for (Transaction tx : txs) {
      ids.add(tx.id());
    }
    int index = included.index();
    ObjectNode node = JsonShapes.receipt(included);
    node.put("transaction", JsonShapes.hex(TransactionCodec.encode(included.transaction())));
    node.put("receipt", JsonShapes.hex(LedgerCodec.encode(included.receipt())));
    node.set("txProof", JsonShapes.merkleProof(MerkleProof.ofTransaction(ids, index)));
    node.set("receiptProof", JsonShapes.merkleProof(MerkleProof.ofReceipt(receipts, index)));
    node.set("header", JsonShapes.header(block.block().header()));
    node.set("certificate", JsonShapes.certificate(block.certificate()));
    node.set("validators", JsonShapes.validators(height, validators));
    return node;
  }
}
