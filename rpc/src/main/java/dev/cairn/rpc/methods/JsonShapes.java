package dev.cairn.rpc.methods;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.codec.LedgerCodec;
import dev.cairn.ledger.codec.TransactionCodec;
import dev.cairn.ledger.crypto.Address;
import dev.cairn.ledger.model.Account;
import dev.cairn.ledger.model.AccountActivity;
import dev.cairn.ledger.model.MerkleProof;
import dev.cairn.ledger.model.RecordChange;
import dev.cairn.ledger.model.Block;
import dev.cairn.ledger.model.BlockHeader;
import dev.cairn.ledger.model.CommitCertificate;
import dev.cairn.ledger.model.CommitSeal;
import dev.cairn.ledger.model.FinalizedBlock;
import dev.cairn.ledger.model.Payload;
import dev.cairn.ledger.model.Receipt;
import dev.cairn.ledger.model.Role;
import dev.cairn.ledger.model.Transaction;
import dev.cairn.ledger.model.ValidatorSet;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.model.IncludedTransaction;
import java.util.Locale;

/**
 * The JSON shape of every ledger object the RPC returns (documented in docs/json-rpc.md). Conventions:
 * hashes, keys, signatures and raw bytes as 0x-prefixed lowercase hex; addresses as Bech32m text; amounts and
 * balances (u64, may exceed 2^53) as decimal strings; heights, nonces, rounds, indices and timestamps as JSON
 * numbers; enum values as lowercase snake_case strings.
 */
public final class JsonShapes {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private JsonShapes() {}

  public static String hex(Bytes bytes) {
    return "0x" + bytes.toHex();
  }

  public static String hex(Hash hash) {
    return "0x" + hash.toHex();
  }

  public static String hex(byte[] bytes) {
    return hex(Bytes.wrap(bytes));
  }

  /** Unsigned decimal text of a u64 amount. */
  public static String amount(long value) {
    return Long.toUnsignedString(value);
  }

  static String name(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }

  public static ObjectNode header(BlockHeader h) {
    return NODES.objectNode()
        .put("height", h.height())
        .put("hash", hex(h.hash()))
        .put("parentHash", hex(h.parentHash()))
        .put("timestampMillis", h.timestampMillis())
        .put("proposer", hex(h.proposer().bytes()))
        .put("round", h.round())
        .put("txRoot", hex(h.txRoot()))
        .put("receiptsRoot", hex(h.receiptsRoot()))
        .put("stateRoot", hex(h.stateRoot()))
        .put("validatorSetHash", hex(h.validatorSetHash()))
        .put("encoded", hex(LedgerCodec.encode(h)));
  }

  public static ObjectNode certificate(CommitCertificate c) {
    ArrayNode seals = NODES.arrayNode();
    for (CommitSeal seal : c.seals()) {
      seals.add(NODES.objectNode()
          .put("validator", hex(seal.validator().bytes()))
          .put("signature", hex(seal.signature().bytes())));
    }
    ObjectNode node = NODES.objectNode().put("blockHash", hex(c.blockHash()));
    node.set("seals", seals);
    return node;
  }

  /** A block: its header fields, its transactions (full objects or ids) and its commit certificate. */
  public static ObjectNode block(FinalizedBlock finalized, boolean fullTransactions) {
    Block block = finalized.block();
    ObjectNode node = header(block.header());
    ArrayNode txs = NODES.arrayNode();
    for (int i = 0; i < block.transactions().size(); i++) {
      Transaction tx = block.transactions().get(i);
      txs.add(fullTransactions ? transaction(tx) : NODES.textNode(hex(tx.id())));
    }
    node.set("transactions", txs);
    node.set("certificate", certificate(finalized.certificate()));
    return node;
  }

  public static ObjectNode transaction(Transaction tx) {
    Bytes raw = TransactionCodec.encode(tx);
    ObjectNode node = NODES.objectNode()
        .put("id", hex(TransactionCodec.id(raw)))
        .put("chainId", tx.chainId())
        .put("sender", hex(tx.sender().bytes()))
        .put("from", tx.senderAddress().toText())
        .put("nonce", tx.nonce())
        .put("kind", name(tx.payload().kind()));
    node.set("payload", payload(tx.payload()));
    node.put("signature", hex(tx.signature().bytes())).put("raw", hex(raw));
    return node;
  }

  static ObjectNode payload(Payload payload) {
    return switch (payload) {
      case Payload.Transfer t -> NODES.objectNode().put("to", t.to().toText()).put("amount", amount(t.amount()));
      case Payload.RecordPut p -> NODES.objectNode().put("key", p.key()).put("value", hex(p.value()));
      case Payload.RoleGrant g -> NODES.objectNode().put("account", g.account().toText()).put("role", name(g.role()));
      case Payload.RoleRevoke r -> NODES.objectNode().put("account", r.account().toText()).put("role", name(r.role()));
      case Payload.ValidatorVote v ->
          NODES.objectNode().put("validator", hex(v.validator().bytes())).put("action", name(v.action()));
    };
  }

  /** A finalized transaction with its position. */
  public static ObjectNode includedTransaction(IncludedTransaction included) {
    ObjectNode node = transaction(included.transaction());
    node.put("status", "final");
    position(node, included);
    return node;
  }

  public static ObjectNode pendingTransaction(Transaction tx) {
    ObjectNode node = transaction(tx);
    node.put("status", "pending");
    node.set("blockHeight", NullNode.instance);
    node.set("blockHash", NullNode.instance);
    node.set("index", NullNode.instance);
    return node;
  }

  public static ObjectNode receipt(IncludedTransaction included) {
    Receipt r = included.receipt();
    ObjectNode node = NODES.objectNode()
        .put("txId", hex(r.txId()))
        .put("status", r.isSuccess() ? "success" : "failed")
        .put("code", r.code().code())
        .put("codeName", name(r.code()))
        .put("description", r.code().description());
    position(node, included);
    return node;
  }

  private static void position(ObjectNode node, IncludedTransaction included) {
    node.put("blockHeight", included.blockHeight())
        .put("blockHash", hex(included.blockHash()))
        .put("index", included.index());
  }

  /**
   * One entry of an account's history: where, when, how the account takes part, the transaction and its
   * outcome.
   */
  public static ObjectNode activity(AccountActivity activity) {
    IncludedTransaction included = activity.included();
    ObjectNode node = NODES.objectNode().put("txId", hex(included.receipt().txId()));
    position(node, included);
    node.put("timestampMillis", activity.blockTimestampMillis());
    ArrayNode parties = NODES.arrayNode();
    activity.parties().forEach(party -> parties.add(name(party)));
    node.set("parties", parties);
    node.set("transaction", transaction(included.transaction()));
    Receipt r = included.receipt();
    node.put("status", r.isSuccess() ? "success" : "failed").put("code", r.code().code()).put("codeName", name(r.code()));
    return node;
  }

  /** One value of a record's history: the value, and the transaction and block that wrote it. */
  public static ObjectNode recordChange(RecordChange change) {
    IncludedTransaction included = change.included();
    ObjectNode node = NODES.objectNode().put("value", hex(change.value())).put("txId", hex(included.receipt().txId()));
    position(node, included);
    node.put("timestampMillis", change.blockTimestampMillis());
    return node;
  }

  /** An inclusion proof in a block's transaction or receipt tree (formats.md, "Transaction and receipt roots"). */
  public static ObjectNode merkleProof(MerkleProof proof) {
    ArrayNode siblings = NODES.arrayNode();
    proof.siblings().forEach(sibling -> siblings.add(hex(sibling)));
    ObjectNode node = NODES.objectNode().put("index", proof.index()).put("leafCount", proof.leafCount());
    node.set("siblings", siblings);
    return node;
  }

  public static ObjectNode account(Address address, Account account) {
    ArrayNode roles = NODES.arrayNode();
    for (Role role : Role.values()) {
      if (account.has(role)) {
        roles.add(name(role));
      }
    }
    ObjectNode node = NODES.objectNode()
        .put("address", address.toText())
        .put("balance", amount(account.balance()))
        .put("nonce", account.nonce());
    node.set("roles", roles);
    return node;
  }

  public static ObjectNode record(Address owner, String key, Bytes value) {
    return NODES.objectNode().put("owner", owner.toText()).put("key", key).put("value", hex(value));
  }

  public static ObjectNode validators(long height, ValidatorSet set) {
    ArrayNode list = NODES.arrayNode();
    for (PublicKey key : set.validators()) {
      list.add(NODES.objectNode().put("publicKey", hex(key.bytes())).put("address", key.address().toText()));
    }
    ObjectNode node = NODES.objectNode()
        .put("height", height)
        .put("hash", hex(set.hash()))
        .put("quorum", set.quorum())
        .put("maxFaulty", set.maxFaulty());
    node.set("validators", list);
    return node;
  }

  /** A state key, its value (null: proven absent) and the proof's canonical bytes. */
  public static ObjectNode provenValue(dev.cairn.rpc.ProvenValue proven) {
    ObjectNode node = NODES.objectNode().put("stateKey", hex(proven.stateKey()));
    node.set("value", proven.value().<com.fasterxml.jackson.databind.JsonNode>map(v -> NODES.textNode(hex(v)))
        .orElse(NullNode.getInstance()));
    node.put("proof", hex(proven.proof().encode()));
    return node;
  }

  /**
   * One pending validator-set change: its proven tally, and what the tally means under {@code counting}, the
   * set in state that counts the next vote (only voters still in it count; it passes at more than 2/3).
   */
  public static ObjectNode pendingVote(Payload.ValidatorVote change, dev.cairn.rpc.ProvenValue proven,
      dev.cairn.ledger.model.VoteTally tally, ValidatorSet counting) {
    ObjectNode node = NODES.objectNode().put("candidate", hex(change.validator().bytes()))
        .put("action", name(change.action()));
    node.setAll(provenValue(proven));
    ArrayNode voters = node.putArray("voters");
    tally.voters().forEach(k -> voters.add(hex(k.bytes())));
    node.put("votesCounted", tally.countIn(counting)).put("validators", counting.size())
        .put("votesNeeded", 2 * counting.size() / 3 + 1);
    return node;
  }
}
