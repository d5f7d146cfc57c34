package dev.cairn.rpc.methods;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.crypto.Address;
import dev.cairn.ledger.codec.LedgerCodec;
import dev.cairn.ledger.model.FinalizedBlock;
import dev.cairn.ledger.model.Limits;
import dev.cairn.ledger.model.Payload;
import dev.cairn.ledger.model.Transaction;
import dev.cairn.ledger.model.ValidatorSet;
import dev.cairn.ledger.state.StateKeys;
import dev.cairn.rpc.ChainView;
import dev.cairn.rpc.ProvenValue;
import dev.cairn.ledger.model.IncludedTransaction;
import dev.cairn.rpc.NodeStatus;
import dev.cairn.rpc.RpcConfig;
import dev.cairn.rpc.TransactionSubmitter;
import dev.cairn.rpc.TransactionSubmitter.Submission;
import dev.cairn.rpc.jsonrpc.ErrorCode;
import dev.cairn.rpc.jsonrpc.Params;
import dev.cairn.rpc.jsonrpc.Params.BlockTag;
import dev.cairn.rpc.jsonrpc.RpcFailure;
import dev.cairn.rpc.jsonrpc.RpcMethod;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The {@code cairn_*} methods served over both HTTP and WebSocket. Shapes: {@link JsonShapes}. */
public final class CairnMethods {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final ChainView chain;
  private final TransactionSubmitter submitter;
  private final NodeStatus status;
  private final RpcConfig config;

  public CairnMethods(ChainView chain, TransactionSubmitter submitter, NodeStatus status, RpcConfig config) {
    this.chain = chain;
    this.submitter = submitter;
    this.status = status;
    this.config = config;
  }

  /**
   * The methods served over HTTP and WebSocket alike, each with its description ({@link CairnMethodSpecs}).
   * The WebSocket endpoint adds cairn_subscribe and cairn_unsubscribe.
   */
  public List<RpcMethod> all() {
    List<RpcMethod> all = new ArrayList<>(core());
    all.addAll(new HistoryMethods(chain, status, config).all());
    return List.copyOf(all);
  }

  private List<RpcMethod> core() {
    return List.of(
        new RpcMethod(CairnMethodSpecs.chainId(), p -> NODES.textNode(chain.chainId())),
        new RpcMethod(CairnMethodSpecs.blockNumber(), p -> NODES.numberNode(chain.headHeight())),
        new RpcMethod(CairnMethodSpecs.sendTransaction(), this::sendTransaction, new TransactionsPrelude()),
        new RpcMethod(CairnMethodSpecs.getTransaction(), this::getTransaction),
        new RpcMethod(CairnMethodSpecs.getReceipt(), this::getReceipt),
        new RpcMethod(CairnMethodSpecs.getBlockByNumber(), this::getBlockByNumber),
        new RpcMethod(CairnMethodSpecs.getBlockByHash(), this::getBlockByHash),
        new RpcMethod(CairnMethodSpecs.getAccount(), this::getAccount),
        new RpcMethod(CairnMethodSpecs.getRecord(), this::getRecord),
        new RpcMethod(CairnMethodSpecs.validators(), this::validators),
        new RpcMethod(CairnMethodSpecs.getProof(), this::getProof),
        new RpcMethod(CairnMethodSpecs.getValidatorVotes(), p -> getValidatorVotes()),
        new RpcMethod(CairnMethodSpecs.nodeInfo(), p -> nodeInfo()),
        new RpcMethod(CairnMethodSpecs.syncing(), p -> syncing()),
        new RpcMethod(CairnMethodSpecs.pendingTransactions(config.pendingTransactionsReturnedMax()),
            this::pendingTransactions));
  }

  /**
   * A batch's transactions go to the node together first, so it can verify their signatures as a batch (and
   * decode each once); what it kept for the batch is released after it.
   */
  private final class TransactionsPrelude implements RpcMethod.BatchPrelude {
    @Override
    public void prepare(List<Params> calls) {
      List<Bytes> raw = new ArrayList<>(calls.size());
      for (Params p : calls) {
        try {
          raw.add(p.hexBytes(0, Limits.TX_BYTES_MAX));
        } catch (RpcFailure badParam) {
          // sendTransaction reports it for this call.
        }
      }
      if (raw.size() > 1) {
        submitter.prepare(raw);
      }
    }

    @Override
    public void finish() {
      submitter.release();
    }
  }

  private JsonNode sendTransaction(Params p) {
    Bytes raw = p.hexBytes(0, Limits.TX_BYTES_MAX);
    return switch (submitter.submit(raw)) {
      case Submission.Accepted a -> NODES.textNode(JsonShapes.hex(a.txId()));
      case Submission.Rejected r -> throw new RpcFailure(ErrorCode.of(r.reason()), r.detail(),
          NODES.objectNode().put("reason", r.reason().name().toLowerCase(java.util.Locale.ROOT)));
    };
  }

  private JsonNode getTransaction(Params p) {
    Hash id = p.hash(0);
    Optional<IncludedTransaction> included = chain.transaction(id);
    if (included.isPresent()) {
      return JsonShapes.includedTransaction(included.get());
    }
    Optional<Transaction> pending = status.pendingTransaction(id);
    if (pending.isPresent()) {
      return JsonShapes.pendingTransaction(pending.get());
    }
    return finalizedMeanwhile(id).<JsonNode>map(JsonShapes::includedTransaction)
        .orElseThrow(() -> new RpcFailure(ErrorCode.UNKNOWN_TX, JsonShapes.hex(id)));
  }

  /**
   * A second look at the store after a transaction was found neither final nor pending: the block holding it
   * may have been committed between the two reads. The node stores a block before it prunes the block's
   * transactions from the mempool ({@link NodeStatus#pendingTransaction}), so a transaction that left the
   * mempool is in the store by now; without this look a wallet polling for finality would see "unknown".
   */
  private Optional<IncludedTransaction> finalizedMeanwhile(Hash id) {
    return chain.transaction(id);
  }

  /** A final tx's receipt; null while the tx is pending (so a wallet can poll); an error if it is unknown. */
  private JsonNode getReceipt(Params p) {
    Hash id = p.hash(0);
    Optional<IncludedTransaction> included = chain.transaction(id);
    if (included.isPresent()) {
      return JsonShapes.receipt(included.get());
    }
    if (status.pendingTransaction(id).isPresent()) {
      return NODES.nullNode();
    }
    return finalizedMeanwhile(id).<JsonNode>map(JsonShapes::receipt)
        .orElseThrow(() -> new RpcFailure(ErrorCode.UNKNOWN_TX, JsonShapes.hex(id)));
  }

  private JsonNode getBlockByNumber(Params p) {
    long height = height(p.blockTag(0));
    return JsonShapes.block(blockAt(height), p.bool(1, false));
  }

  private JsonNode getBlockByHash(Params p) {
    Hash hash = p.hash(0);
    FinalizedBlock block = chain.blockByHash(hash)
        .orElseThrow(() -> new RpcFailure(ErrorCode.UNKNOWN_BLOCK, JsonShapes.hex(hash)));
    return JsonShapes.block(block, p.bool(1, false));
  }

  private JsonNode getAccount(Params p) {
    Address address = p.address(0);
    // Pending first, then the chain: the node prunes a block's transactions from the pending set only after
    // storing the block, so whatever leaves the pending set between the two reads is in the later state nonce.
    long pendingNext = status.nextNonce(address, 0);
    dev.cairn.ledger.model.Account account = chain.account(address);
    return JsonShapes.account(address, account).put("pendingNonce", Math.max(pendingNext, account.nonce()));
  }

  private JsonNode getRecord(Params p) {
    Address owner = p.address(0);
    String key = recordKey(p, 1);
    return chain.record(owner, key).<JsonNode>map(v -> JsonShapes.record(owner, key, v)).orElse(NODES.nullNode());
  }

  private JsonNode validators(Params p) {
    long height = height(p.blockTag(0));
    ValidatorSet set = chain.validators(height)
        .orElseThrow(() -> new RpcFailure(ErrorCode.UNKNOWN_BLOCK, "no validator set for height " + height));
    return JsonShapes.validators(height, set);
  }

  /**
   * A proof of an account (no recordKey) or of a record against the state root of one block, with that
   * block's header, commit certificate and validator set: a wallet checks the certificate against a validator
   * set it trusts, the header hash against the certificate, and the proof against the header's state root.
   */
  private JsonNode getProof(Params p) {
    Address address = p.address(0);
    Optional<String> recordKey = p.optional(1) == null ? Optional.empty() : Optional.of(recordKey(p, 1));
    long height = height(p.blockTag(2));
    ChainView.CertifiedHeader block = chain.certifiedHeader(height)
        .orElseThrow(() -> new RpcFailure(ErrorCode.UNKNOWN_BLOCK, "no block at height " + height));
    Hash stateKey = recordKey.map(k -> StateKeys.record(address, k)).orElseGet(() -> StateKeys.account(address));
    ProvenValue proof = chain.proof(height, stateKey)
        .orElseThrow(() -> new RpcFailure(ErrorCode.STATE_UNAVAILABLE, "no state kept for height " + height));
    ValidatorSet validators = chain.validators(height)
        .orElseThrow(() -> new RpcFailure(ErrorCode.STATE_UNAVAILABLE, "no validator set for height " + height));
    ObjectNode node = NODES.objectNode()
        .put("address", address.toText())
        .put("kind", recordKey.isPresent() ? "record" : "account");
    recordKey.ifPresent(k -> node.put("recordKey", k));
    node.put("stateKey", JsonShapes.hex(proof.stateKey()));
    node.set("value", proof.value().<JsonNode>map(v -> NODES.textNode(JsonShapes.hex(v))).orElse(NODES.nullNode()));
    node.put("proof", JsonShapes.hex(proof.proof().encode()));
    node.set("header", JsonShapes.header(block.header()));
    node.set("certificate", JsonShapes.certificate(block.certificate()));
    node.set("validators", JsonShapes.validators(height, validators));
    return node;
  }

  /**
   * The pending validator-set changes at the head, each tally with its state proof, and the proven validator
   * set that counts their votes, against one certified header: the explorer checks them as it checks accounts.
   */
  private JsonNode getValidatorVotes() {
    long height = chain.headHeight();
    ChainView.CertifiedHeader block = chain.certifiedHeader(height)
        .orElseThrow(() -> new RpcFailure(ErrorCode.UNKNOWN_BLOCK, "no block at height " + height));
    ValidatorSet validators = chain.validators(height)
        .orElseThrow(() -> new RpcFailure(ErrorCode.STATE_UNAVAILABLE, "no validator set for height " + height));
    ProvenValue setProof = provenAt(height, StateKeys.VALIDATOR_SET);
    ValidatorSet counting = setProof.value().map(v -> LedgerCodec.decodeValidatorSet(v.unsafeArray()))
        .orElseThrow(() -> new IllegalStateException("no validator set in state at height " + height));
    ArrayNode votes = NODES.arrayNode();
    boolean more = false;
    for (Payload.ValidatorVote change : chain.pendingVoteChanges()) {
      ProvenValue tally = provenAt(height, StateKeys.vote(change.validator(), change.action()));
      if (tally.value().isEmpty()) {
        continue; // applied or never there at this height: the index moved on
      }
      if (votes.size() == VOTES_RETURNED_MAX) {
        more = true;
        break;
      }
      votes.add(JsonShapes.pendingVote(change, tally, LedgerCodec.decodeVoteTally(tally.value().get().unsafeArray()), counting));
    }
    ObjectNode node = NODES.objectNode().put("height", height);
    node.set("header", JsonShapes.header(block.header()));
    node.set("certificate", JsonShapes.certificate(block.certificate()));
    node.set("validators", JsonShapes.validators(height, validators));
    node.set("validatorSet", JsonShapes.provenValue(setProof));
    node.set("votes", votes);
    node.put("more", more);
    return node;
  }

  /** Most pending changes one answer carries; each is a proof of a few hundred bytes to a few KiB. */
  public static final int VOTES_RETURNED_MAX = 256;

  private ProvenValue provenAt(long height, Hash stateKey) {
    return chain.proof(height, stateKey)
        .orElseThrow(() -> new RpcFailure(ErrorCode.STATE_UNAVAILABLE, "no state kept for height " + height));
  }

  private JsonNode nodeInfo() {
    NodeStatus.Info info = status.info();
    ObjectNode node = NODES.objectNode()
        .put("version", info.version())
        .put("peerId", info.peerId())
        .put("chainId", chain.chainId())
        .put("headHeight", chain.headHeight())
        .put("validator", info.validatorKey().isPresent());
    node.set("validatorKey", info.validatorKey()
        .<JsonNode>map(k -> NODES.textNode(JsonShapes.hex(k.bytes()))).orElse(NODES.nullNode()));
    node.put("peerCount", info.peerCount()).put("pendingTransactions", status.pendingCount());
    return node;
  }

  private JsonNode syncing() {
    return switch (status.syncState()) {
      case NodeStatus.SyncState.Synced s -> BooleanNode.FALSE;
      case NodeStatus.SyncState.Syncing s -> NODES.objectNode()
          .put("startingHeight", s.startingHeight())
          .put("currentHeight", s.currentHeight())
          .put("highestHeight", s.highestHeight());
    };
  }

  private JsonNode pendingTransactions(Params p) {
    long limit = p.nonNegativeLong(0, config.pendingTransactionsReturnedMax());
    if (limit > config.pendingTransactionsReturnedMax()) {
      throw RpcFailure.invalidParam(p.name(0), "at most " + config.pendingTransactionsReturnedMax());
    }
    ArrayNode txs = NODES.arrayNode();
    for (Transaction tx : status.pendingTransactions((int) limit)) {
      txs.add(JsonShapes.pendingTransaction(tx));
    }
    ObjectNode node = NODES.objectNode().put("count", status.pendingCount());
    node.set("transactions", txs);
    return node;
  }

  private long height(BlockTag tag) {
    return switch (tag) {
      case BlockTag.Latest l -> chain.headHeight();
      case BlockTag.Height h -> h.height();
    };
  }

  private FinalizedBlock blockAt(long height) {
    return chain.blockByHeight(height)
        .orElseThrow(() -> new RpcFailure(ErrorCode.UNKNOWN_BLOCK, "no block at height " + height));
  }

  /** A block by height, {@code "latest"}, {@code "earliest"}, or by its hash (0x and 64 hex digits). */
  static FinalizedBlock block(ChainView chain, Params p, int index) {
    JsonNode value = p.optional(index);
    if (value != null && value.isTextual() && value.textValue().startsWith("0x")) {
      Hash hash = p.hash(index);
      return chain.blockByHash(hash).orElseThrow(() -> new RpcFailure(ErrorCode.UNKNOWN_BLOCK, JsonShapes.hex(hash)));
    }
    long height = switch (p.blockTag(index)) {
      case BlockTag.Latest l -> chain.headHeight();
      case BlockTag.Height h -> h.height();
    };
    return chain.blockByHeight(height)
        .orElseThrow(() -> new RpcFailure(ErrorCode.UNKNOWN_BLOCK, "no block at height " + height));
  }

  /** A record key param: 1..256 UTF-8 bytes. */
  public static String recordKey(Params p, int index) {
    String key = p.string(index);
    int bytes = key.getBytes(StandardCharsets.UTF_8).length;
    if (bytes == 0 || bytes > Limits.RECORD_KEY_BYTES_MAX) {
      throw RpcFailure.invalidParam(p.name(index), "must have 1.." + Limits.RECORD_KEY_BYTES_MAX + " UTF-8 bytes");
    }
    return key;
  }
}
