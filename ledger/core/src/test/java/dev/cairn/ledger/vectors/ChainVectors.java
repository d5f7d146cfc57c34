package dev.cairn.ledger.vectors;

import static dev.cairn.ledger.vectors.FormatVectors.append;
import static dev.cairn.ledger.vectors.FormatVectors.hex;
import static dev.cairn.ledger.vectors.FormatVectors.key;
import static dev.cairn.ledger.vectors.FormatVectors.obj;
import static dev.cairn.ledger.vectors.FormatVectors.refusal;
import static dev.cairn.ledger.vectors.FormatVectors.with;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.codec.LedgerCodec;
import dev.cairn.ledger.crypto.Address;
import dev.cairn.ledger.crypto.DomainTag;
import dev.cairn.ledger.crypto.Hashing;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.crypto.Signature;
import dev.cairn.ledger.model.Account;
import dev.cairn.ledger.model.Block;
import dev.cairn.ledger.model.BlockHeader;
import dev.cairn.ledger.model.CommitCertificate;
import dev.cairn.ledger.model.CommitSeal;
import dev.cairn.ledger.model.MerkleRoot;
import dev.cairn.ledger.model.Receipt;
import dev.cairn.ledger.model.ReceiptCode;
import dev.cairn.ledger.model.Role;
import dev.cairn.ledger.model.Transaction;
import dev.cairn.ledger.model.Validation;
import dev.cairn.ledger.model.ValidatorSet;
import dev.cairn.ledger.state.MemoryNodeStore;
import dev.cairn.ledger.state.SparseMerkleTree;
import dev.cairn.ledger.state.StateChanges;
import dev.cairn.ledger.state.StateKeys;
import dev.cairn.ledger.state.StateProof;
import dev.cairn.ledger.state.TreeUpdate;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The block-level vectors: validator set, receipts, Merkle roots, one block header at height 5 whose state
 * root is the root of a small state tree, commit seals and certificates over it (valid and not), state proofs
 * against that root (valid and not), and light-client cases that chain them together.
 */
final class ChainVectors {
  static final long HEIGHT = 5;
  static final long TIMESTAMP_MILLIS = 1_767_225_600_000L;
  private static final int FILLER_ACCOUNTS = 40;

  private ChainVectors() {}

  static void addTo(Map<String, Object> root) {
    List<KeyPair> validatorKeys = List.of(key("validator-0"), key("validator-1"), key("validator-2"), key("validator-3"));
    ValidatorSet validators = new ValidatorSet(validatorKeys.stream().map(KeyPair::publicKey).toList());
    root.put("validatorSet", validatorSet(validators));
    root.put("quorum", quorumTable());
    List<Transaction> txs = FormatVectors.sampleTransactions();
    List<Receipt> receipts = receipts(txs);
    root.put("receipts", receiptVectors(receipts));
    root.put("merkleRoots", merkleRoots());
    State state = state();
    BlockHeader header = new BlockHeader(HEIGHT, Hashing.hash(DomainTag.BLOCK_HEADER, "cairn-vectors parent".getBytes(StandardCharsets.US_ASCII)),
        TIMESTAMP_MILLIS, validators.proposer(HEIGHT, 0), 0, MerkleRoot.ofTransactions(txs), MerkleRoot.ofReceipts(receipts),
        state.tree.root(), validators.hash());
    byte[] headerBytes = LedgerCodec.encode(header);
    root.put("blockHeader", obj("height", header.height(), "parentHash", hex(header.parentHash()),
        "timestampMillis", header.timestampMillis(), "proposer", hex(header.proposer().bytes()), "round", header.round(),
        "txIds", txs.stream().map(t -> (Object) hex(t.id())).toList(),
        "txRoot", hex(header.txRoot()), "receiptsRoot", hex(header.receiptsRoot()), "stateRoot", hex(header.stateRoot()),
        "validatorSetHash", hex(header.validatorSetHash()), "encoded", hex(headerBytes), "hash", hex(header.hash()),
        "blockEncoded", hex(LedgerCodec.encode(new Block(header, txs)))));
    Hash blockHash = header.hash();
    List<Object> seals = new ArrayList<>();
    for (KeyPair v : validatorKeys) {
      CommitSeal seal = CommitSeal.sign(v, blockHash);
      seals.add(obj("validator", hex(v.publicKey().bytes()), "blockHash", hex(blockHash),
          "sealDigest", hex(Hashing.hash(DomainTag.COMMIT_SEAL, blockHash.unsafeArray())),
          "signature", hex(seal.signature().bytes())));
    }
    root.put("commitSeals", seals);
    root.put("certificates", certificates(validatorKeys, validators, blockHash));
    root.put("invalidCertificateEncodings", invalidCertificateEncodings(validatorKeys, blockHash));
    root.put("stateTree", obj("root", hex(state.tree.root()), "entries", state.entries));
    root.put("stateProofs", stateProofs(state));
    root.put("invalidProofEncodings", invalidProofEncodings(state));
    root.put("lightClient", lightClient(validatorKeys, validators, header, state));
  }

  private static Map<String, Object> validatorSet(ValidatorSet set) {
    byte[] encoded = LedgerCodec.encode(set);
    return obj("validators", set.validators().stream().map(k -> (Object) hex(k.bytes())).toList(),
        "encoded", hex(encoded), "hash", hex(set.hash()), "quorum", set.quorum(), "maxFaulty", set.maxFaulty(),
        "proposerAtHeight5Round0", hex(set.proposer(HEIGHT, 0).bytes()),
        "proposerAtHeight5Round2", hex(set.proposer(HEIGHT, 2).bytes()),
        "unsortedEncodingReason", refusal("unsorted validator set", () -> {
          byte[] swapped = encoded.clone();
          System.arraycopy(encoded, 6 + 32, swapped, 6, 32);
          System.arraycopy(encoded, 6, swapped, 6 + 32, 32);
          return LedgerCodec.decodeValidatorSet(swapped);
        }));
  }

  private static List<Object> quorumTable() {
    List<Object> out = new ArrayList<>();
    for (int n : new int[] {1, 2, 3, 4, 5, 6, 7, 10, 100}) {
      out.add(obj("validators", n, "quorum", ValidatorSet.quorum(n), "maxFaulty", (n - 1) / 3));
    }
    return out;
  }

  private static List<Receipt> receipts(List<Transaction> txs) {
    // Mostly OK; two failures so that codes other than 0 are covered.
    List<Receipt> out = new ArrayList<>();
    for (int i = 0; i < txs.size(); i++) {
      ReceiptCode code = i == 5 ? ReceiptCode.VALIDATOR_SET_FULL
          : i == txs.size() - 1 ? ReceiptCode.INSUFFICIENT_BALANCE : ReceiptCode.OK;
      out.add(new Receipt(txs.get(i).id(), code));
    }
    return out;
  }

  private static Map<String, Object> receiptVectors(List<Receipt> receipts) {
    List<Object> items = new ArrayList<>();
    for (Receipt r : receipts) {
      byte[] encoded = LedgerCodec.encode(r);
      items.add(obj("txId", hex(r.txId()), "code", r.code().code(), "codeName", r.code().name().toLowerCase(),
          "encoded", hex(encoded), "leaf", hex(Hashing.hash(DomainTag.RECEIPTS_ROOT, encoded))));
    }
    List<Object> codes = new ArrayList<>();
    for (ReceiptCode c : ReceiptCode.values()) {
      codes.add(obj("code", c.code(), "name", c.name().toLowerCase(), "description", c.description()));
    }
    return obj("items", items, "root", hex(MerkleRoot.ofReceipts(receipts)),
        "listEncoding", hex(LedgerCodec.encodeReceipts(receipts)), "codes", codes);
  }

  private static List<Object> merkleRoots() {
    List<Object> out = new ArrayList<>();
    for (DomainTag tag : List.of(DomainTag.TX_ROOT, DomainTag.RECEIPTS_ROOT)) {
      for (int n : new int[] {0, 1, 2, 3, 5}) {
        List<Hash> leaves = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          leaves.add(Hashing.hash(DomainTag.TX_ID, new byte[] {(byte) i}));
        }
        out.add(obj("tag", FormatVectors.TAGS.get(tag), "leaves", leaves.stream().map(h -> (Object) hex(h)).toList(),
            "root", hex(MerkleRoot.of(tag, leaves))));
      }
    }
    return out;
  }

  /** A small state: two named accounts, filler accounts, two records of alice, the validator set. */
  record State(SparseMerkleTree tree, SortedMap<Hash, Bytes> values, List<Object> entries) {}

  static Address filler(int i) {
    return key("filler-" + i).address();
  }

  private static State state() {
    SortedMap<Hash, Optional<Bytes>> writes = new TreeMap<>();
    List<Object> entries = new ArrayList<>();
    Address alice = key("alice").address();
    Address bob = key("bob").address();
    putAccount(writes, entries, alice, new Account(1_000_000, 5, EnumSet.of(Role.MEMBER, Role.ADMIN)));
    putAccount(writes, entries, bob, new Account(250, 0, EnumSet.of(Role.MEMBER)));
    for (int i = 0; i < FILLER_ACCOUNTS; i++) {
      putAccount(writes, entries, filler(i), new Account(i + 1, 0, EnumSet.of(Role.MEMBER)));
    }
    putRecord(writes, entries, alice, "doc/1", "hello".getBytes(StandardCharsets.UTF_8));
    putRecord(writes, entries, alice, "doc/2", new byte[0]);
    ValidatorSet validators = new ValidatorSet(List.of(key("validator-0").publicKey(), key("validator-1").publicKey(),
        key("validator-2").publicKey(), key("validator-3").publicKey()));
    byte[] set = LedgerCodec.encode(validators);
    writes.put(StateKeys.VALIDATOR_SET, Optional.of(Bytes.wrap(set)));
    entries.add(obj("kind", "validatorSet", "key", hex(StateKeys.VALIDATOR_SET), "value", hex(set)));
    MemoryNodeStore store = new MemoryNodeStore();
    TreeUpdate update = new SparseMerkleTree(store, SparseMerkleTree.EMPTY_ROOT).apply(new StateChanges(writes));
    store.putAll(update);
    SortedMap<Hash, Bytes> values = new TreeMap<>();
    writes.forEach((k, v) -> values.put(k, v.orElseThrow()));
    return new State(new SparseMerkleTree(store, update.root()), values, entries);
  }

  private static void putAccount(SortedMap<Hash, Optional<Bytes>> writes, List<Object> entries, Address a, Account account) {
    byte[] value = LedgerCodec.encode(account);
    writes.put(StateKeys.account(a), Optional.of(Bytes.wrap(value)));
    entries.add(obj("kind", "account", "address", hex(a.bytes()), "key", hex(StateKeys.account(a)), "value", hex(value)));
  }

  private static void putRecord(SortedMap<Hash, Optional<Bytes>> writes, List<Object> entries, Address owner, String recordKey, byte[] value) {
    writes.put(StateKeys.record(owner, recordKey), Optional.of(Bytes.wrap(value)));
    entries.add(obj("kind", "record", "address", hex(owner.bytes()), "recordKey", recordKey,
        "key", hex(StateKeys.record(owner, recordKey)), "value", hex(value)));
  }

  private static List<Object> certificates(List<KeyPair> keys, ValidatorSet validators, Hash blockHash) {
    List<Object> out = new ArrayList<>();
    Hash otherBlock = Hashing.hash(DomainTag.BLOCK_HEADER, "another block".getBytes(StandardCharsets.US_ASCII));
    List<CommitSeal> all = keys.stream().map(k -> CommitSeal.sign(k, blockHash)).toList();
    CommitSeal forged = new CommitSeal(keys.get(2).publicKey(), keys.get(2).sign(blockHash.unsafeArray()));
    CommitSeal outsider = CommitSeal.sign(key("alice"), blockHash);
    CommitSeal flipped = new CommitSeal(all.get(1).validator(),
        new Signature(Bytes.wrap(with(all.get(1).signature().bytes().toArray(), 0, (byte) (all.get(1).signature().bytes().get(0) ^ 1)))));
    addCertificate(out, "quorum_of_4", new CommitCertificate(blockHash, all.subList(0, 3)), blockHash, validators);
    addCertificate(out, "all_4", new CommitCertificate(blockHash, all), blockHash, validators);
    addCertificate(out, "below_quorum", new CommitCertificate(blockHash, all.subList(0, 2)), blockHash, validators);
    addCertificate(out, "no_seals_like_genesis", new CommitCertificate(blockHash, List.of()), blockHash, validators);
    addCertificate(out, "other_block", new CommitCertificate(otherBlock, all), blockHash, validators);
    addCertificate(out, "seal_from_non_validator", new CommitCertificate(blockHash, List.of(all.get(0), all.get(1), outsider)), blockHash, validators);
    addCertificate(out, "seal_bad_signature", new CommitCertificate(blockHash, List.of(all.get(0), flipped, all.get(2))), blockHash, validators);
    addCertificate(out, "seal_over_untagged_block_hash", new CommitCertificate(blockHash, List.of(all.get(0), all.get(1), forged)), blockHash, validators);
    return out;
  }

  private static void addCertificate(List<Object> out, String name, CommitCertificate c, Hash expected, ValidatorSet validators) {
    Validation v = c.verify(expected, validators);
    byte[] encoded = LedgerCodec.encode(c);
    if (!LedgerCodec.decodeCertificate(encoded).equals(c)) {
      throw new IllegalStateException("certificate does not round-trip");
    }
    out.add(obj("name", name, "expectedBlockHash", hex(expected), "blockHash", hex(c.blockHash()),
        "seals", c.seals().stream().map(s -> (Object) obj("validator", hex(s.validator().bytes()), "signature", hex(s.signature().bytes()))).toList(),
        "encoded", hex(encoded), "valid", v.isValid(), "reason", reason(v)));
  }

  private static String reason(Validation v) {
    return v instanceof Validation.Invalid i ? i.reason() : null;
  }

  private static List<Object> invalidCertificateEncodings(List<KeyPair> keys, Hash blockHash) {
    CommitCertificate two = new CommitCertificate(blockHash, keys.subList(0, 2).stream().map(k -> CommitSeal.sign(k, blockHash)).toList());
    byte[] good = LedgerCodec.encode(two);
    int first = 2 + 32 + 4;
    int sealBytes = 32 + 64;
    byte[] swapped = good.clone();
    System.arraycopy(good, first + sealBytes, swapped, first, sealBytes);
    System.arraycopy(good, first, swapped, first + sealBytes, sealBytes);
    byte[] duplicated = good.clone();
    System.arraycopy(good, first, duplicated, first + sealBytes, sealBytes);
    List<Object> out = new ArrayList<>();
    for (Object[] c : new Object[][] {{"seals_not_sorted", swapped}, {"seal_duplicated", duplicated},
        {"trailing_byte", append(good, (byte) 0)}, {"count_exceeds_seals", with(good, first - 1, (byte) 3)}}) {
      byte[] bytes = (byte[]) c[1];
      out.add(obj("name", c[0], "encoded", hex(bytes), "reason", refusal((String) c[0], () -> LedgerCodec.decodeCertificate(bytes))));
    }
    return out;
  }

  private static List<Object> stateProofs(State state) {
    List<Object> out = new ArrayList<>();
    Hash root = state.tree.root();
    Address alice = key("alice").address();
    Hash aliceKey = StateKeys.account(alice);
    Bytes aliceValue = state.values.get(aliceKey);
    Hash recordKey = StateKeys.record(alice, "doc/1");
    Hash emptyRecordKey = StateKeys.record(alice, "doc/2");
    addProof(out, "account_present", root, aliceKey, Optional.of(aliceValue), state);
    addProof(out, "record_present", root, recordKey, Optional.of(state.values.get(recordKey)), state);
    addProof(out, "record_present_empty_value", root, emptyRecordKey, Optional.of(Bytes.EMPTY), state);
    addProof(out, "validator_set_present", root, StateKeys.VALIDATOR_SET, Optional.of(state.values.get(StateKeys.VALIDATOR_SET)), state);
    Hash absentEmpty = null;
    Hash absentLeaf = null;
    for (int i = 0; absentEmpty == null || absentLeaf == null; i++) {
      Hash k = StateKeys.account(key("absent-" + i).address());
      StateProof p = state.tree.prove(k);
      if (p.end() instanceof StateProof.EmptySlot && absentEmpty == null) {
        absentEmpty = k;
      } else if (p.end() instanceof StateProof.LeafSlot && absentLeaf == null) {
        absentLeaf = k;
      }
    }
    addProof(out, "account_absent_empty_slot", root, absentEmpty, Optional.empty(), state);
    addProof(out, "account_absent_other_leaf", root, absentLeaf, Optional.empty(), state);
    addProof(out, "record_absent", root, StateKeys.record(alice, "doc/3"), Optional.empty(), state);
    // Negative cases: the proof is honest, the claim is not.
    Bytes richer = Bytes.wrap(LedgerCodec.encode(new Account(1_000_001, 5, EnumSet.of(Role.MEMBER, Role.ADMIN))));
    addClaim(out, "tampered_value", root, aliceKey, Optional.of(richer), state.tree.prove(aliceKey));
    addClaim(out, "wrong_root", Hashing.hash(DomainTag.STATE_NODE, new byte[64]), aliceKey, Optional.of(aliceValue), state.tree.prove(aliceKey));
    addClaim(out, "present_claimed_absent", root, aliceKey, Optional.empty(), state.tree.prove(aliceKey));
    addClaim(out, "absent_claimed_present", root, absentEmpty, Optional.of(aliceValue), state.tree.prove(absentEmpty));
    addClaim(out, "other_key_leaf_used_for_absence", root, StateKeys.account(key("bob").address()), Optional.empty(), state.tree.prove(aliceKey));
    StateProof honest = state.tree.prove(aliceKey);
    List<Hash> siblings = new ArrayList<>(honest.siblings());
    int tamperAt = 0;
    while (siblings.get(tamperAt).equals(Hash.ZERO)) {
      tamperAt++;
    }
    siblings.set(tamperAt, Hashing.hash(DomainTag.STATE_NODE, siblings.get(tamperAt).unsafeArray()));
    addClaim(out, "tampered_sibling", root, aliceKey, Optional.of(aliceValue), new StateProof(siblings, honest.end()));
    return out;
  }

  private static void addProof(List<Object> out, String name, Hash root, Hash key, Optional<Bytes> value, State state) {
    StateProof proof = state.tree.prove(key);
    if (!StateProof.verify(root, key, value, proof).isValid()) {
      throw new IllegalStateException("proof " + name + " should verify");
    }
    addClaim(out, name, root, key, value, proof);
  }

  private static void addClaim(List<Object> out, String name, Hash root, Hash key, Optional<Bytes> value, StateProof proof) {
    Validation v = StateProof.verify(root, key, value, proof);
    Bytes encoded = proof.encode();
    if (!StateProof.decode(encoded).equals(proof)) {
      throw new IllegalStateException("proof does not round-trip");
    }
    String end = proof.end() instanceof StateProof.LeafSlot ? "leaf" : "empty";
    out.add(obj("name", name, "root", hex(root), "key", hex(key), "value", value.map(FormatVectors::hex).orElse(null),
        "depth", proof.depth(), "siblings", proof.siblings().stream().map(h -> (Object) hex(h)).toList(), "end", end,
        "proof", hex(encoded), "valid", v.isValid(), "reason", reason(v)));
  }

  private static List<Object> invalidProofEncodings(State state) {
    Hash aliceKey = StateKeys.account(key("alice").address());
    StateProof proof = state.tree.prove(aliceKey);
    byte[] good = proof.encode().toArray();
    int depth = proof.depth();
    int bitmapBytes = (depth + 7) / 8;
    List<Object> out = new ArrayList<>();
    List<Object[]> cases = new ArrayList<>();
    cases.add(new Object[] {"trailing_byte", append(good, (byte) 0)});
    cases.add(new Object[] {"unknown_version", with(good, 0, (byte) 2)});
    cases.add(new Object[] {"unknown_end_kind", with(good, good.length - 65, (byte) 2)});
    cases.add(new Object[] {"depth_over_256", new byte[] {1, 0x01, 0x01}});
    if ((depth & 7) != 0) {
      cases.add(new Object[] {"bitmap_padding_bit_set", with(good, 3 + bitmapBytes - 1, (byte) (good[3 + bitmapBytes - 1] | 1))});
    }
    // An empty sibling written out as 32 zero bytes instead of a clear bit: a second encoding of one proof.
    byte[] explicitEmpty = new byte[3 + 1 + 32 + 1];
    explicitEmpty[0] = 1;
    explicitEmpty[2] = 1;
    explicitEmpty[3] = (byte) 0x80;
    cases.add(new Object[] {"empty_sibling_written_out", explicitEmpty});
    for (Object[] c : cases) {
      byte[] bytes = (byte[]) c[1];
      out.add(obj("name", c[0], "proof", hex(bytes), "reason", refusal((String) c[0], () -> StateProof.decode(Bytes.wrap(bytes)))));
    }
    return out;
  }

  /** End-to-end: trust a validator set, check header, certificate and proof as a light client does. */
  private static List<Object> lightClient(List<KeyPair> keys, ValidatorSet validators, BlockHeader header, State state) {
    Hash blockHash = header.hash();
    List<CommitSeal> seals = keys.stream().map(k -> CommitSeal.sign(k, blockHash)).toList();
    Address alice = key("alice").address();
    List<Object> out = new ArrayList<>();
    byte[] headerBytes = LedgerCodec.encode(header);
    addLight(out, "account", validators, headerBytes, new CommitCertificate(blockHash, seals.subList(1, 4)), alice, null, state);
    addLight(out, "record", validators, headerBytes, new CommitCertificate(blockHash, seals.subList(0, 3)), alice, "doc/1", state);
    addLight(out, "insufficient_seals", validators, headerBytes, new CommitCertificate(blockHash, seals.subList(0, 2)), alice, null, state);
    ValidatorSet other = new ValidatorSet(List.of(key("validator-0").publicKey(), key("validator-1").publicKey(), key("validator-2").publicKey()));
    addLight(out, "other_validator_set", other, headerBytes, new CommitCertificate(blockHash, seals.subList(0, 3)), alice, null, state);
    BlockHeader genesis = new BlockHeader(0, Hash.ZERO, TIMESTAMP_MILLIS, new PublicKey(Bytes.wrap(new byte[32])), 0,
        MerkleRoot.ofTransactions(List.of()), MerkleRoot.ofReceipts(List.of()), state.tree.root(), validators.hash());
    addLight(out, "height_0_has_no_seals", validators, LedgerCodec.encode(genesis),
        new CommitCertificate(genesis.hash(), List.of()), alice, null, state);
    byte[] tamperedHeader = headerBytes.clone();
    tamperedHeader[tamperedHeader.length - 1 - 32] ^= 1; // last byte of stateRoot
    addLight(out, "header_changed_after_sealing", validators, tamperedHeader, new CommitCertificate(blockHash, seals), alice, null, state);
    return out;
  }

  private static void addLight(List<Object> out, String name, ValidatorSet trusted, byte[] headerBytes,
      CommitCertificate certificate, Address address, String recordKey, State state) {
    Hash key = recordKey == null ? StateKeys.account(address) : StateKeys.record(address, recordKey);
    Optional<Bytes> value = Optional.ofNullable(state.values.get(key));
    StateProof proof = state.tree.prove(key);
    BlockHeader header = LedgerCodec.decodeHeader(headerBytes);
    String verdict;
    if (!header.validatorSetHash().equals(trusted.hash())) {
      verdict = "validator_set_mismatch";
    } else {
      Validation sealed = certificate.verify(header.hash(), trusted);
      Validation proven = StateProof.verify(header.stateRoot(), key, value, proof);
      verdict = !sealed.isValid() ? reason(sealed) : !proven.isValid() ? reason(proven) : null;
    }
    out.add(obj("name", name, "trustedValidators", trusted.validators().stream().map(k -> (Object) hex(k.bytes())).toList(),
        "header", hex(headerBytes), "certificate", hex(LedgerCodec.encode(certificate)),
        "address", hex(address.bytes()), "addressText", address.toText(), "recordKey", recordKey,
        "value", value.map(FormatVectors::hex).orElse(null), "proof", hex(proof.encode()),
        "valid", verdict == null, "reason", verdict));
  }
}
