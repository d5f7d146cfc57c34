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
import dev.cairn.ledger.model.Block;
import dev.cairn.ledger.model.BlockHeader;
import dev.cairn.ledger.model.CommitCertificate;
import dev.cairn.ledger.model.CommitSeal;
import dev.cairn.ledger.model.FinalizedBlock;
import dev.cairn.ledger.model.IncludedTransaction;
import dev.cairn.ledger.model.MerkleRoot;
import dev.cairn.ledger.model.Payload;
import dev.cairn.ledger.model.Receipt;
import dev.cairn.ledger.model.ReceiptCode;
import dev.cairn.ledger.model.Role;
import dev.cairn.ledger.model.Transaction;
import dev.cairn.ledger.model.ValidatorSet;
import dev.cairn.ledger.state.MemoryNodeStore;
import dev.cairn.ledger.state.SparseMerkleTree;
import dev.cairn.ledger.state.StateChanges;
import dev.cairn.ledger.state.StateKeys;
import dev.cairn.ledger.state.StateProof;
import dev.cairn.ledger.state.TreeUpdate;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The values in the methods' examples, made by the ledger's own code from fixed seeds: a real signed
 * transfer, a real block holding it with real commit seals, a real state proof. So an example's tx bytes
 * decode, its header hashes to its hash, its addresses carry valid checksums and its proof verifies, and
 * they stay true when a format changes.
 */
final class MethodExamples {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  static final String CHAIN_ID = "cairn-local";
  static final long HEIGHT = 12;
  static final KeyPair ALICE = KeyPair.fromSeedText("example-alice");
  static final Address BOB = KeyPair.fromSeedText("example-bob").publicKey().address();
  static final String RECORD_KEY = "doc/1";
  static final Bytes RECORD_VALUE = Bytes.wrap("hello".getBytes(StandardCharsets.UTF_8));
  static final List<KeyPair> VALIDATOR_KEYS = List.of(KeyPair.fromSeedText("example-validator-1"),
      KeyPair.fromSeedText("example-validator-2"), KeyPair.fromSeedText("example-validator-3"),
      KeyPair.fromSeedText("example-validator-4"));
  static final ValidatorSet VALIDATORS = new ValidatorSet(VALIDATOR_KEYS.stream().map(KeyPair::publicKey).toList());
  static final Account ALICE_ACCOUNT = new Account(9_750, 5, Set.of(Role.MEMBER));

  static final Transaction TRANSFER = Transaction.sign(CHAIN_ID, ALICE, 4, new Payload.Transfer(BOB, 250));
  static final Transaction PENDING = Transaction.sign(CHAIN_ID, ALICE, 5, new Payload.RecordPut(RECORD_KEY, RECORD_VALUE));

  private static final MemoryNodeStore STATE_NODES = new MemoryNodeStore();
  private static final Hash STATE_ROOT = stateRoot();
  static final FinalizedBlock BLOCK = block(HEIGHT, blockHash(HEIGHT - 1, Hash.ZERO, List.of()), List.of(TRANSFER));
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
    List<Receipt> receipts = txs.stream().map(tx -> new Receipt(tx.id(), ReceiptCode.OK)).toList();
    BlockHeader header = new BlockHeader(height, parent, 1_700_000_000_000L + height * 1_000,
        VALIDATORS.proposer(height, 0), 0, Block.txRoot(txs), MerkleRoot.ofReceipts(receipts), STATE_ROOT,
        VALIDATORS.hash());
    Block block = new Block(header, txs);
    List<CommitSeal> seals = VALIDATOR_KEYS.subList(0, VALIDATORS.quorum()).stream()
        .map(k -> CommitSeal.sign(k, block.hash())).toList();
    return new FinalizedBlock(block, new CommitCertificate(block.hash(), seals));
  }
}
