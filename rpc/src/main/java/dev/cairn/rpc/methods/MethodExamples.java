package dev.cairn.rpc.methods;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.codec.LedgerCodec;
import dev.cairn.ledger.codec.TransactionCodec;
import dev.cairn.ledger.crypto.Address;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.model.Account;
import dev.cairn.ledger.model.AccountActivity;
import dev.cairn.ledger.model.Block;
import dev.cairn.ledger.model.BlockHeader;
import dev.cairn.ledger.model.CommitCertificate;
import dev.cairn.ledger.model.CommitSeal;
import dev.cairn.ledger.model.FinalizedBlock;
import dev.cairn.ledger.model.HistoryPage;
import dev.cairn.ledger.model.IncludedTransaction;
import dev.cairn.ledger.model.MerkleRoot;
import dev.cairn.ledger.model.Payload;
import dev.cairn.ledger.model.Receipt;
import dev.cairn.ledger.model.ReceiptCode;
import dev.cairn.ledger.model.RecordChange;
import dev.cairn.ledger.model.Role;
import dev.cairn.ledger.model.Transaction;
import dev.cairn.ledger.model.TxParty;
import dev.cairn.ledger.model.TxPosition;
import dev.cairn.ledger.model.ValidatorSet;
import dev.cairn.ledger.state.MemoryNodeStore;
import dev.cairn.ledger.state.SparseMerkleTree;
import dev.cairn.ledger.state.StateChanges;
import dev.cairn.ledger.state.StateKeys;
import dev.cairn.ledger.state.StateProof;
import dev.cairn.ledger.state.TreeUpdate;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The values in the methods' examples, made by the ledger's own code from fixed seeds: a real signed
 * transfer, a real block holding it with real commit seals, a real state proof, history pages of real
 * blocks (who a transaction touches is {@link TxParty}'s rule) and real inclusion proofs. So an example's tx
 * bytes decode, its header hashes to its hash, its addresses carry valid checksums and its proofs verify, and
 * they stay true when a format changes.
 *
 * <p>The example chain: at height {@value #RECORD_HEIGHT} Alice sets her record {@value #RECORD_KEY} twice
 * ("draft", then "hello"); at height {@value #HEIGHT} she pays Bob 250, Bob pays 100 back and writes a note.
 */
final class MethodExamples {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  static final String CHAIN_ID = "cairn-local";
  static final long HEIGHT = 12;
  static final long RECORD_HEIGHT = 9;
  static final KeyPair ALICE = KeyPair.fromSeedText("example-alice");
  private static final KeyPair BOB_KEYS = KeyPair.fromSeedText("example-bob");
  static final Address BOB = BOB_KEYS.publicKey().address();
  static final String RECORD_KEY = "doc/1";
  static final Bytes RECORD_VALUE = Bytes.wrap("hello".getBytes(StandardCharsets.UTF_8));
  static final List<KeyPair> VALIDATOR_KEYS = List.of(KeyPair.fromSeedText("example-validator-1"),
      KeyPair.fromSeedText("example-validator-2"), KeyPair.fromSeedText("example-validator-3"),
      KeyPair.fromSeedText("example-validator-4"));
  static final ValidatorSet VALIDATORS = new ValidatorSet(VALIDATOR_KEYS.stream().map(KeyPair::publicKey).toList());
  static final Account ALICE_ACCOUNT = new Account(9_850, 5, Set.of(Role.MEMBER));

  static final Transaction DRAFT = Transaction.sign(CHAIN_ID, ALICE, 2,
      new Payload.RecordPut(RECORD_KEY, Bytes.wrap("draft".getBytes(StandardCharsets.UTF_8))));
  static final Transaction RECORD_SET = Transaction.sign(CHAIN_ID, ALICE, 3, new Payload.RecordPut(RECORD_KEY, RECORD_VALUE));
  static final Transaction TRANSFER = Transaction.sign(CHAIN_ID, ALICE, 4, new Payload.Transfer(BOB, 250));
  static final Transaction REFUND = Transaction.sign(CHAIN_ID, BOB_KEYS, 0,
      new Payload.Transfer(ALICE.publicKey().address(), 100));
  static final Transaction NOTE = Transaction.sign(CHAIN_ID, BOB_KEYS, 1,
      new Payload.RecordPut("note/1", Bytes.wrap("paid".getBytes(StandardCharsets.UTF_8))));
  static final Transaction PENDING = Transaction.sign(CHAIN_ID, ALICE, 5, new Payload.RecordPut(RECORD_KEY, RECORD_VALUE));

  private static final MemoryNodeStore STATE_NODES = new MemoryNodeStore();
  private static final Hash STATE_ROOT = stateRoot();
  static final FinalizedBlock RECORD_BLOCK =
      block(RECORD_HEIGHT, blockHash(RECORD_HEIGHT - 1, Hash.ZERO, List.of()), List.of(DRAFT, RECORD_SET));
  static final FinalizedBlock BLOCK =
      block(HEIGHT, blockHash(HEIGHT - 1, Hash.ZERO, List.of()), List.of(TRANSFER, REFUND, NOTE));
  /** The example blocks that hold transactions, oldest first: what the history examples page through. */
  private static final List<FinalizedBlock> CHAIN = List.of(RECORD_BLOCK, BLOCK);
  static final IncludedTransaction INCLUDED =
      new IncludedTransaction(TRANSFER, new Receipt(TRANSFER.id(), ReceiptCode.OK), HEIGHT, BLOCK.block().hash(), 0);

  private MethodExamples() {}

  static JsonNode text(String value) {
    return NODES.textNode(value);
  }

  static JsonNode number(long value) {
    return NODES.numberNode(value);
  }

  static JsonNode bool(boolean value) {
    return NODES.booleanNode(value);
  }

  static JsonNode nullValue() {
    return NODES.nullNode();
  }

  static JsonNode rawTransaction(Transaction tx) {
    return text(JsonShapes.hex(TransactionCodec.encode(tx)));
  }

  static JsonNode id(Transaction tx) {
    return text(JsonShapes.hex(tx.id()));
  }

  static JsonNode address(Address address) {
    return text(address.toText());
  }

  static ObjectNode account() {
    return JsonShapes.account(ALICE.publicKey().address(), ALICE_ACCOUNT).put("pendingNonce", 6);
  }

  static ObjectNode record() {
    return JsonShapes.record(ALICE.publicKey().address(), RECORD_KEY, RECORD_VALUE);
  }

  static ObjectNode validators() {
    return JsonShapes.validators(HEIGHT, VALIDATORS);
  }

  /**
   * cairn_getValidatorVotes at the example height, over a state of its own (so the other examples keep their
   * root): four validators, two of them voted to add a fifth key, which needs three.
   */
  static ObjectNode validatorVotes() {
    KeyPair candidate = KeyPair.fromSeedText("example-candidate");
    Payload.ValidatorVote change = new Payload.ValidatorVote(candidate.publicKey(), Payload.VoteAction.ADD);
    dev.cairn.ledger.model.VoteTally tally = new dev.cairn.ledger.model.VoteTally(
        List.of(VALIDATOR_KEYS.get(0).publicKey(), VALIDATOR_KEYS.get(2).publicKey()));
    TreeMap<Hash, Optional<Bytes>> writes = new TreeMap<>();
    writes.put(StateKeys.VALIDATOR_SET, Optional.of(Bytes.wrap(LedgerCodec.encode(VALIDATORS))));
    writes.put(StateKeys.vote(candidate.publicKey(), Payload.VoteAction.ADD), Optional.of(Bytes.wrap(LedgerCodec.encode(tally))));
    MemoryNodeStore nodes = new MemoryNodeStore();
    TreeUpdate update = new SparseMerkleTree(nodes, SparseMerkleTree.EMPTY_ROOT).apply(new StateChanges(writes));
    nodes.putAll(update);
    SparseMerkleTree tree = new SparseMerkleTree(nodes, update.root());
    FinalizedBlock block = block(HEIGHT, blockHash(HEIGHT - 1, Hash.ZERO, List.of()), List.of(), update.root());
    ObjectNode node = NODES.objectNode().put("height", HEIGHT);
    node.set("header", JsonShapes.header(block.block().header()));
    node.set("certificate", JsonShapes.certificate(block.certificate()));
    node.set("validators", validators());
    node.set("validatorSet", JsonShapes.provenValue(proven(tree, StateKeys.VALIDATOR_SET)));
    Hash voteKey = StateKeys.vote(candidate.publicKey(), Payload.VoteAction.ADD);
    node.putArray("votes").add(JsonShapes.pendingVote(change, proven(tree, voteKey), tally, VALIDATORS));
    node.put("more", false);
    return node;
  }

  private static dev.cairn.rpc.ProvenValue proven(SparseMerkleTree tree, Hash key) {
    return new dev.cairn.rpc.ProvenValue(key, tree.get(key), tree.prove(key));
  }

  /** A proof of Alice's account against the example block's state root, as cairn_getProof answers it. */
  static ObjectNode accountProof() {
    Address alice = ALICE.publicKey().address();
    Hash key = StateKeys.account(alice);
    SparseMerkleTree tree = new SparseMerkleTree(STATE_NODES, STATE_ROOT);
    StateProof proof = tree.prove(key);
    ObjectNode node = NODES.objectNode().put("address", alice.toText()).put("kind", "account")
        .put("stateKey", JsonShapes.hex(key));
    node.set("value", tree.get(key).<JsonNode>map(v -> text(JsonShapes.hex(v))).orElse(nullValue()));
    node.put("proof", JsonShapes.hex(proof.encode()));
    node.set("header", JsonShapes.header(BLOCK.block().header()));
    node.set("certificate", JsonShapes.certificate(BLOCK.certificate()));
    node.set("validators", validators());
    return node;
  }

  /** A page of {@code account}'s history on the example chain, newest first, as a store answers it. */
  static HistoryPage<AccountActivity> accountHistory(Address account, Optional<TxPosition> before, int limit) {
    return history(before, limit, (included, time) -> Optional.ofNullable(TxParty.of(included.transaction()).get(account))
        .map(parties -> new AccountActivity(included, time, parties)), AccountActivity::position);
  }

  /** The newest page of a record's history on the example chain. */
  static HistoryPage<RecordChange> recordHistory(Address owner, String key, int limit) {
    return history(Optional.empty(), limit, (included, time) ->
        included.transaction().payload() instanceof Payload.RecordPut put && put.key().equals(key)
            && included.transaction().senderAddress().equals(owner) && included.receipt().isSuccess()
            ? Optional.of(new RecordChange(included, time)) : Optional.<RecordChange>empty(), RecordChange::position);
  }

  /** Walks the example chain down from the newest transaction: the entries before {@code before}, one more to see if older ones exist. */
  private static <T> HistoryPage<T> history(Optional<TxPosition> before, int limit,
      BiFunction<IncludedTransaction, Long, Optional<T>> select, Function<T, TxPosition> position) {
    List<T> found = new ArrayList<>();
    for (int b = CHAIN.size() - 1; b >= 0 && found.size() <= limit; b--) {
      Block block = CHAIN.get(b).block();
      for (int i = block.transactions().size() - 1; i >= 0 && found.size() <= limit; i--) {
        if (before.isEmpty() || new TxPosition(block.height(), i).compareTo(before.get()) < 0) {
          select.apply(included(CHAIN.get(b), i), block.header().timestampMillis()).ifPresent(found::add);
        }
      }
    }
    boolean more = found.size() > limit;
    List<T> page = more ? found.subList(0, limit) : found;
    return new HistoryPage<>(page, more ? Optional.of(position.apply(page.get(page.size() - 1))) : Optional.empty());
  }

  /** cairn_getBlockReceipts of the example block. */
  static ObjectNode blockReceipts() {
    return HistoryMethods.blockReceipts(BLOCK, receipts(BLOCK));
  }

  /** cairn_getTransactionProof of the example transfer: the first of its block's three transactions. */
  static ObjectNode transactionProof() {
    return HistoryMethods.transactionProof(INCLUDED, BLOCK, receipts(BLOCK), VALIDATORS);
  }

  private static IncludedTransaction included(FinalizedBlock block, int index) {
    Transaction tx = block.block().transactions().get(index);
    return new IncludedTransaction(tx, receipts(block).get(index), block.block().height(), block.block().hash(), index);
  }

  /** Every example transaction succeeded. */
  private static List<Receipt> receipts(FinalizedBlock block) {
    return block.block().transactions().stream().map(tx -> new Receipt(tx.id(), ReceiptCode.OK)).toList();
  }

  private static Hash stateRoot() {
    TreeMap<Hash, Optional<Bytes>> writes = new TreeMap<>();
    writes.put(StateKeys.account(ALICE.publicKey().address()), Optional.of(Bytes.wrap(LedgerCodec.encode(ALICE_ACCOUNT))));
    writes.put(StateKeys.record(ALICE.publicKey().address(), RECORD_KEY), Optional.of(RECORD_VALUE));
    TreeUpdate update = new SparseMerkleTree(STATE_NODES, SparseMerkleTree.EMPTY_ROOT).apply(new StateChanges(writes));
    STATE_NODES.putAll(update);
    return update.root();
  }

  private static Hash blockHash(long height, Hash parent, List<Transaction> txs) {
    return block(height, parent, txs).block().hash();
  }

  private static FinalizedBlock block(long height, Hash parent, List<Transaction> txs) {
    return block(height, parent, txs, STATE_ROOT);
  }

  private static FinalizedBlock block(long height, Hash parent, List<Transaction> txs, Hash stateRoot) {
    List<Receipt> receipts = txs.stream().map(tx -> new Receipt(tx.id(), ReceiptCode.OK)).toList();
    BlockHeader header = new BlockHeader(height, parent, 1_700_000_000_000L + height * 1_000,
        VALIDATORS.proposer(height, 0), 0, Block.txRoot(txs), MerkleRoot.ofReceipts(receipts), stateRoot,
        VALIDATORS.hash());
    Block block = new Block(header, txs);
    List<CommitSeal> seals = VALIDATOR_KEYS.subList(0, VALIDATORS.quorum()).stream()
        .map(k -> CommitSeal.sign(k, block.hash())).toList();
    return new FinalizedBlock(block, new CommitCertificate(block.hash(), seals));
  }
}
