package dev.cairn.ledger.vectors;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.encoding.CodecException;
import dev.cairn.ledger.codec.LedgerCodec;
import dev.cairn.ledger.codec.TransactionCodec;
import dev.cairn.ledger.crypto.Address;
import dev.cairn.ledger.crypto.DomainTag;
import dev.cairn.ledger.crypto.Hashing;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.crypto.Signature;
import dev.cairn.ledger.crypto.Signatures;
import dev.cairn.ledger.model.Account;
import dev.cairn.ledger.model.Payload;
import dev.cairn.ledger.model.Role;
import dev.cairn.ledger.model.Transaction;
import dev.cairn.ledger.state.StateKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Builds docs/vectors/cairn-vectors.json from the real codec, crypto, tree and certificate code: keys from
 * fixed seeds, so every run gives the same bytes (Ed25519 signatures are deterministic). Every negative case
 * is checked here against the code (it must be refused, and the reason is written down), so the file only
 * ever states what the code does. {@link FormatVectorsTest} compares the file with a fresh build.
 *
 * <p>Sections on blocks, certificates and proofs are in {@link ChainVectors}.
 */
final class FormatVectors {
  static final Path FILE = Path.of("../../docs/vectors/cairn-vectors.json");
  static final String REGENERATE =
      "mvn -B -o -q -pl ledger/core test -Dtest=FormatVectorsTest -Dcairn.vectors.write=true";
  static final String CHAIN_ID = "cairn-vectors";
  private static final HexFormat HEX = HexFormat.of();

  /** The tag strings as the spec writes them; the test proves each one is what {@link DomainTag} hashes with. */
  static final Map<DomainTag, String> TAGS = new EnumMap<>(DomainTag.class);

  static {
    TAGS.put(DomainTag.TX_SIGNING, "cairn/tx-signing/v1");
    TAGS.put(DomainTag.TX_ID, "cairn/tx-id/v1");
    TAGS.put(DomainTag.BLOCK_HEADER, "cairn/block-header/v1");
    TAGS.put(DomainTag.COMMIT_SEAL, "cairn/commit-seal/v1");
    TAGS.put(DomainTag.ADDRESS, "cairn/address/v1");
    TAGS.put(DomainTag.TX_ROOT, "cairn/tx-root/v1");
    TAGS.put(DomainTag.RECEIPTS_ROOT, "cairn/receipts-root/v1");
    TAGS.put(DomainTag.VALIDATOR_SET, "cairn/validator-set/v1");
    TAGS.put(DomainTag.STATE_LEAF, "cairn/state-leaf/v1");
    TAGS.put(DomainTag.STATE_NODE, "cairn/state-node/v1");
    TAGS.put(DomainTag.STATE_KEY, "cairn/state-key/v1");
    TAGS.put(DomainTag.CONSENSUS_MESSAGE, "cairn/consensus-message/v1");
    TAGS.put(DomainTag.GENESIS, "cairn/genesis/v1");
  }

  private FormatVectors() {}

  static KeyPair key(String name) {
    return KeyPair.fromSeedText("cairn-vectors/" + name);
  }

  static String hex(byte[] bytes) {
    return HEX.formatHex(bytes);
  }

  static String hex(Bytes bytes) {
    return bytes.toHex();
  }

  static String hex(Hash hash) {
    return hash.toHex();
  }

  static Bytes unhex(String hex) {
    return Bytes.wrap(HEX.parseHex(hex));
  }

  static Map<String, Object> obj(Object... pairs) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put((String) pairs[i], pairs[i + 1]);
    }
    return map;
  }

  /** Runs {@code attempt}, which must throw; returns the message, the code's own reason for refusing. */
  static String refusal(String what, Supplier<?> attempt) {
    try {
      Object accepted = attempt.get();
      throw new IllegalStateException("vector '" + what + "' should be refused but was accepted: " + accepted);
    } catch (CodecException | IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  static String build() {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("format", "cairn-vectors/1");
    root.put("about", "Generated from the Java implementation; see docs/formats.md. Hex is lowercase without 0x. "
        + "u64 values (balances, amounts) are decimal strings. Regenerate: " + REGENERATE);
    root.put("taggedHash", taggedHashes());
    root.put("keys", keys());
    root.put("invalidAddresses", invalidAddresses());
    root.put("transactions", transactions());
    root.put("invalidTransactions", invalidTransactions());
    root.put("accounts", accounts());
    root.put("invalidAccounts", invalidAccounts());
    root.put("stateKeys", stateKeys());
    ChainVectors.addTo(root);
    return JsonText.write(root);
  }

  private static List<Object> taggedHashes() {
    List<Object> out = new ArrayList<>();
    for (DomainTag tag : DomainTag.values()) {
      String text = TAGS.get(tag);
      byte[] ascii = text.getBytes(StandardCharsets.US_ASCII);
      byte[] prefix = new byte[ascii.length + 1];
      prefix[0] = (byte) ascii.length;
      System.arraycopy(ascii, 0, prefix, 1, ascii.length);
      for (String message : List.of("", "abc")) {
        byte[] m = message.getBytes(StandardCharsets.US_ASCII);
        out.add(obj("tag", text, "prefix", hex(prefix), "message", hex(m),
            "hash", hex(Hashing.hash(tag, m))));
      }
    }
    return out;
  }

  static final List<String> KEY_NAMES = List.of("alice", "bob", "validator-0", "validator-1", "validator-2", "validator-3");

  private static List<Object> keys() {
    List<Object> out = new ArrayList<>();
    for (String name : KEY_NAMES) {
      KeyPair k = key(name);
      byte[] message = ("cairn-vectors sign test " + name).getBytes(StandardCharsets.US_ASCII);
      Signature sig = k.sign(message);
      out.add(obj("name", name, "seedText", "cairn-vectors/" + name,
          "seed", hex(k.seed()), "publicKey", hex(k.publicKey().bytes()),
          "addressDigest", hex(Hashing.hash(DomainTag.ADDRESS, k.publicKey().bytes())),
          "address", hex(k.address().bytes()), "addressText", k.address().toText(),
          "message", hex(message), "signature", hex(sig.bytes())));
    }
    return out;
  }

  private static List<Object> invalidAddresses() {
    String good = key("alice").address().toText();
    char last = good.charAt(good.length() - 1);
    String badChecksum = good.substring(0, good.length() - 1) + (last == 'q' ? 'p' : 'q');
    String mixed = good.substring(0, 6) + good.substring(6, 8).toUpperCase() + good.substring(8);
    String badChar = good.substring(0, 10) + "b" + good.substring(11);
    String otherHrp = "cairm" + good.substring(5);
    List<Object> out = new ArrayList<>();
    for (String[] c : new String[][] {
        {"checksum", badChecksum}, {"mixed_case", mixed}, {"invalid_character", badChar}, {"wrong_hrp", otherHrp},
        {"no_separator", good.replace('1', 'q')}, {"truncated", good.substring(0, good.length() - 4)}}) {
      String text = c[1];
      out.add(obj("name", c[0], "text", text, "reason", refusal(c[0], () -> Address.parse(text))));
    }
    return out;
  }

  /** The transactions of the vectors, also the transactions of ChainVectors' block. */
  static List<Transaction> sampleTransactions() {
    KeyPair alice = key("alice");
    KeyPair bob = key("bob");
    KeyPair v0 = key("validator-0");
    return List.of(
        Transaction.sign(CHAIN_ID, alice, 0, new Payload.Transfer(bob.address(), 250)),
        Transaction.sign(CHAIN_ID, alice, 1, new Payload.RecordPut("doc/1", Bytes.wrap("hello".getBytes(StandardCharsets.UTF_8)))),
        Transaction.sign(CHAIN_ID, alice, 2, new Payload.RecordPut("caf\u00e9/\u00fcber", Bytes.EMPTY)),
        Transaction.sign(CHAIN_ID, alice, 3, new Payload.RoleGrant(bob.address(), Role.MEMBER)),
        Transaction.sign(CHAIN_ID, alice, 4, new Payload.RoleRevoke(bob.address(), Role.ADMIN)),
        Transaction.sign(CHAIN_ID, v0, 0, new Payload.ValidatorVote(key("validator-4").publicKey(), Payload.VoteAction.ADD)),
        Transaction.sign(CHAIN_ID, v0, 1, new Payload.ValidatorVote(key("validator-3").publicKey(), Payload.VoteAction.REMOVE)),
        Transaction.sign(CHAIN_ID, bob, 0, new Payload.Transfer(alice.address(), Long.MAX_VALUE)));
  }

  private static List<Object> transactions() {
    List<Object> out = new ArrayList<>();
    String[] names = {"transfer", "record_put", "record_put_empty_value_utf8_key", "role_grant", "role_revoke",
        "validator_vote_add", "validator_vote_remove", "transfer_max_amount"};
    List<Transaction> txs = sampleTransactions();
    for (int i = 0; i < txs.size(); i++) {
      Transaction tx = txs.get(i);
      Bytes encoded = TransactionCodec.encode(tx);
      byte[] preimage = encoded.slice(0, encoded.size() - Signature.SIZE).toArray();
      preimage[0] = 0x02; // the signing preimage: the same body after type byte 0x02
      if (!Hashing.hash(DomainTag.TX_SIGNING, preimage).equals(tx.signingHash())) {
        throw new IllegalStateException("signing preimage of " + names[i] + " is not the body under type 0x02");
      }
      if (!tx.hasValidSignature() || !TransactionCodec.decode(encoded).equals(tx)) {
        throw new IllegalStateException("vector " + names[i] + " does not round-trip");
      }
      out.add(obj("name", names[i], "chainId", tx.chainId(), "signer", signerName(tx),
          "publicKey", hex(tx.sender().bytes()), "nonce", tx.nonce(), "kind", kindName(tx.payload()),
          "payload", payload(tx.payload()), "signingPreimage", hex(preimage), "signingHash", hex(tx.signingHash()),
          "signature", hex(tx.signature().bytes()), "encoded", hex(encoded), "id", hex(tx.id())));
    }
    return out;
  }

  private static String signerName(Transaction tx) {
    for (String name : KEY_NAMES) {
      if (key(name).publicKey().equals(tx.sender())) {
        return name;
      }
    }
    throw new IllegalStateException("unknown signer");
  }

  static String kindName(Payload p) {
    return p.kind().name().toLowerCase(java.util.Locale.ROOT);
  }

  private static Map<String, Object> payload(Payload p) {
    return switch (p) {
      case Payload.Transfer t -> obj("to", hex(t.to().bytes()), "toText", t.to().toText(), "amount", Long.toString(t.amount()));
      case Payload.RecordPut r -> obj("key", r.key(), "keyUtf8", hex(r.key().getBytes(StandardCharsets.UTF_8)), "value", hex(r.value()));
      case Payload.RoleGrant g -> obj("account", hex(g.account().bytes()), "role", g.role().name().toLowerCase(), "roleCode", g.role().bit());
      case Payload.RoleRevoke g -> obj("account", hex(g.account().bytes()), "role", g.role().name().toLowerCase(), "roleCode", g.role().bit());
      case Payload.ValidatorVote v -> obj("validator", hex(v.validator().bytes()), "action", v.action().name().toLowerCase(), "actionCode", v.action().ordinal());
    };
  }

  private static List<Object> invalidTransactions() {
    List<Object> out = new ArrayList<>();
    Transaction transfer = sampleTransactions().get(0);
    byte[] good = TransactionCodec.encode(transfer).toArray();
    int chainIdLength = CHAIN_ID.length();
    int kindAt = 2 + 4 + chainIdLength + 32 + 8;
    int amountAt = kindAt + 1 + 20;
    addDecodeFailure(out, "trailing_byte", append(good, (byte) 0));
    addDecodeFailure(out, "truncated", java.util.Arrays.copyOf(good, good.length - 1));
    addDecodeFailure(out, "signing_type_byte", with(good, 0, (byte) 0x02));
    addDecodeFailure(out, "unknown_version", with(good, 1, (byte) 0x02));
    addDecodeFailure(out, "unknown_kind", with(good, kindAt, (byte) 0x06));
    addDecodeFailure(out, "amount_top_bit_set", with(good, amountAt, (byte) 0x80));
    byte[] zeroAmount = good.clone();
    java.util.Arrays.fill(zeroAmount, amountAt, amountAt + 8, (byte) 0);
    addDecodeFailure(out, "zero_amount", zeroAmount);
    addDecodeFailure(out, "chain_id_not_utf8", with(good, 6, (byte) 0xff));
    addDecodeFailure(out, "chain_id_length_too_large", with(good, 5, (byte) 65));
    Transaction grant = sampleTransactions().get(3);
    byte[] grantBytes = TransactionCodec.encode(grant).toArray();
    addDecodeFailure(out, "unknown_role", with(grantBytes, grantBytes.length - Signature.SIZE - 1, (byte) 3));
    // Decodes, but the signature does not verify: a verifier must check it.
    byte[] flipped = with(good, good.length - 1, (byte) (good[good.length - 1] ^ 1));
    out.add(signatureFailure("signature_bit_flipped", flipped));
    out.add(signatureFailure("nonce_changed_after_signing", with(good, kindAt - 1, (byte) (good[kindAt - 1] + 1))));
    // Signed over the body under type byte 0x01 (the transaction's) instead of 0x02 (the signing preimage's).
    byte[] wrongPreimage = java.util.Arrays.copyOf(good, good.length - Signature.SIZE);
    byte[] wrongSig = key("alice").sign(Hashing.hash(DomainTag.TX_SIGNING, wrongPreimage).unsafeArray()).bytes().toArray();
    byte[] signedWrong = good.clone();
    System.arraycopy(wrongSig, 0, signedWrong, good.length - Signature.SIZE, Signature.SIZE);
    out.add(signatureFailure("signed_under_type_0x01", signedWrong));
    return out;
  }

  private static void addDecodeFailure(List<Object> out, String name, byte[] bytes) {
    out.add(obj("name", name, "encoded", hex(bytes), "decodes", false,
        "reason", refusal(name, () -> TransactionCodec.decode(bytes))));
  }

  private static Map<String, Object> signatureFailure(String name, byte[] bytes) {
    Transaction tx = TransactionCodec.decode(bytes);
    if (tx.hasValidSignature() || Signatures.verify(tx.sender(), tx.signingHash().unsafeArray(), tx.signature())) {
      throw new IllegalStateException("vector " + name + " should carry a bad signature");
    }
    return obj("name", name, "encoded", hex(bytes), "decodes", true, "signatureValid", false,
        "reason", "bad_signature");
  }

  static byte[] with(byte[] bytes, int index, byte value) {
    byte[] copy = bytes.clone();
    copy[index] = value;
    return copy;
  }

  static byte[] append(byte[] bytes, byte value) {
    byte[] copy = java.util.Arrays.copyOf(bytes, bytes.length + 1);
    copy[bytes.length] = value;
    return copy;
  }

  private static List<Object> accounts() {
    List<Object> out = new ArrayList<>();
    List<Account> accounts = List.of(Account.EMPTY, new Account(250, 0, EnumSet.of(Role.MEMBER)),
        new Account(Long.MAX_VALUE, 7, EnumSet.of(Role.MEMBER, Role.ADMIN)), new Account(0, 1, EnumSet.of(Role.ADMIN)));
    for (Account a : accounts) {
      byte[] encoded = LedgerCodec.encode(a);
      if (!LedgerCodec.decodeAccount(encoded).equals(a)) {
        throw new IllegalStateException("account does not round-trip");
      }
      out.add(obj("balance", Long.toString(a.balance()), "nonce", a.nonce(), "roles", roles(a.roles()),
          "roleMask", Role.mask(a.roles()), "encoded", hex(encoded)));
    }
    return out;
  }

  static List<Object> roles(Set<Role> roles) {
    List<Object> out = new ArrayList<>();
    for (Role r : Role.values()) {
      if (roles.contains(r)) {
        out.add(r.name().toLowerCase());
      }
    }
    return out;
  }

  private static List<Object> invalidAccounts() {
    byte[] good = LedgerCodec.encode(new Account(250, 0, EnumSet.of(Role.MEMBER)));
    List<Object> out = new ArrayList<>();
    for (Object[] c : new Object[][] {
        {"unknown_role_bit", with(good, good.length - 1, (byte) 0x05)},
        {"balance_top_bit_set", with(good, 2, (byte) 0x80)},
        {"trailing_byte", append(good, (byte) 0)},
        {"wrong_type_tag", with(good, 0, (byte) 0x07)}}) {
      byte[] bytes = (byte[]) c[1];
      out.add(obj("name", c[0], "encoded", hex(bytes), "reason", refusal((String) c[0], () -> LedgerCodec.decodeAccount(bytes))));
    }
    return out;
  }

  private static List<Object> stateKeys() {
    Address alice = key("alice").address();
    List<Object> out = new ArrayList<>();
    out.add(obj("kind", "account", "address", hex(alice.bytes()), "key", hex(StateKeys.account(alice))));
    Address bob = key("bob").address();
    out.add(obj("kind", "account", "address", hex(bob.bytes()), "key", hex(StateKeys.account(bob))));
    for (String recordKey : List.of("doc/1", "caf\u00e9/\u00fcber", "k".repeat(256))) {
      out.add(obj("kind", "record", "address", hex(alice.bytes()), "recordKey", recordKey,
          "recordKeyUtf8", hex(recordKey.getBytes(StandardCharsets.UTF_8)), "key", hex(StateKeys.record(alice, recordKey))));
    }
    out.add(obj("kind", "validatorSet", "key", hex(StateKeys.VALIDATOR_SET)));
    out.add(obj("kind", "vote", "candidate", hex(key("validator-4").publicKey().bytes()), "action", "add", "actionCode", 0,
        "key", hex(StateKeys.vote(key("validator-4").publicKey(), Payload.VoteAction.ADD))));
    out.add(obj("kind", "chainParameters", "key",
        hex(Hashing.hash(DomainTag.GENESIS, "chain-parameters".getBytes(StandardCharsets.US_ASCII)))));
    return out;
  }
}
