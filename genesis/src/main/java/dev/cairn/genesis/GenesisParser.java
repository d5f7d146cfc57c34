package dev.cairn.genesis;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.crypto.Address;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.model.Role;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code genesis.json} strictly: unknown fields, duplicate fields, trailing content, wrong types and
 * values out of range are all refused with a message naming the field, e.g.
 * {@code genesis.json: validators[2].publicKey: not 64 hex characters}. Nothing is defaulted silently except
 * the optional {@code observers} list and an account's {@code roles} (both empty when absent).
 */
public final class GenesisParser {
  /** A genesis file larger than this is refused before parsing (100,000 accounts fit in about 12 MiB). */
  public static final int GENESIS_BYTES_MAX = 16 * 1024 * 1024;

  private static final JsonMapper JSON = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();
  private static final Set<String> ROOT_FIELDS =
      Set.of("chainId", "genesisTime", "consensus", "validators", "accounts", "observers");
  private static final Set<String> CONSENSUS_FIELDS = Set.of(
      "blockPeriodMillis", "roundTimeoutMillis", "roundTimeoutMillisMax", "blockTxsMax", "blockBytesMax", "emptyBlocks");
  private static final Set<String> PEER_FIELDS = Set.of("publicKey");
  private static final Set<String> ACCOUNT_FIELDS = Set.of("address", "publicKey", "balance", "roles");

  private GenesisParser() {}

  /** Reads and parses a file; only an unreadable file throws (an {@link UncheckedIOException}). */
  public static GenesisResult read(Path file) {
    String source = file.getFileName() == null ? file.toString() : file.getFileName().toString();
    try {
      long size = Files.size(file);
      if (size > GENESIS_BYTES_MAX) {
        return new GenesisResult.Invalid(source,
            new FieldProblem("(root)", "file has " + size + " bytes, more than " + GENESIS_BYTES_MAX));
      }
      return parse(source, Files.readAllBytes(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read genesis file " + file + ": " + e.getMessage(), e);
    }
  }

  /** Parses {@code json}; {@code source} is the name error messages start with. */
  public static GenesisResult parse(String source, byte[] json) {
    if (json.length > GENESIS_BYTES_MAX) {
      return new GenesisResult.Invalid(source,
          new FieldProblem("(root)", "document has " + json.length + " bytes, more than " + GENESIS_BYTES_MAX));
    }
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      return new GenesisResult.Invalid(source, syntaxProblem(e));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      return new GenesisResult.Valid(document(root));
    } catch (Rejection r) {
      return new GenesisResult.Invalid(source, r.problem);
    }
  }

  private static GenesisConfig document(JsonNode root) {
    if (root == null || root.isMissingNode()) {
      throw reject("(root)", "empty document");
    }
    requireObject(root, "(root)", ROOT_FIELDS, "");
    String chainId = text(required(root, "chainId", ""), "chainId");
    if (!GenesisConfig.CHAIN_ID.matcher(chainId).matches()) {
      throw reject("chainId", "must be 1 to 64 characters of a-z, 0-9 and '-'");
    }
    long genesisTimeMillis = genesisTime(required(root, "genesisTime", ""));
    ConsensusParameters consensus = consensus(required(root, "consensus", ""));
    List<PublicKey> validators = peers(required(root, "validators", ""), "validators");
    List<GenesisAccount> accounts = accounts(required(root, "accounts", ""));
    List<PublicKey> observers = root.has("observers") ? peers(root.get("observers"), "observers") : List.of();
    Optional<FieldProblem> problem = GenesisConfig.check(chainId, genesisTimeMillis, validators, accounts, observers);
    if (problem.isPresent()) {
      throw new Rejection(problem.get());
    }
    return new GenesisConfig(chainId, genesisTimeMillis, consensus, validators, accounts, observers);
  }

  private static long genesisTime(JsonNode node) {
    String text = text(node, "genesisTime");
    try {
      return GenesisTime.parseMillis(text);
    } catch (IllegalArgumentException e) {
      throw reject("genesisTime", e.getMessage());
    }
  }

  private static ConsensusParameters consensus(JsonNode node) {
    requireObject(node, "consensus", CONSENSUS_FIELDS, "consensus.");
    long blockPeriod = whole(required(node, "blockPeriodMillis", "consensus."), "consensus.blockPeriodMillis");
    long timeout = whole(required(node, "roundTimeoutMillis", "consensus."), "consensus.roundTimeoutMillis");
    long timeoutMax = whole(required(node, "roundTimeoutMillisMax", "consensus."), "consensus.roundTimeoutMillisMax");
    long txsMax = whole(required(node, "blockTxsMax", "consensus."), "consensus.blockTxsMax");
    long bytesMax = whole(required(node, "blockBytesMax", "consensus."), "consensus.blockBytesMax");
    JsonNode empty = required(node, "emptyBlocks", "consensus.");
    if (!empty.isBoolean()) {
      throw reject("consensus.emptyBlocks", "expected true or false");
    }
    Optional<FieldProblem> problem = ConsensusParameters.check(blockPeriod, timeout, timeoutMax, txsMax, bytesMax);
    if (problem.isPresent()) {
      throw new Rejection(problem.get().under("consensus"));
    }
    return new ConsensusParameters(blockPeriod, timeout, timeoutMax, (int) txsMax, (int) bytesMax, empty.booleanValue());
  }

  private static List<PublicKey> peers(JsonNode node, String field) {
    if (!node.isArray()) {
      throw reject(field, "expected an array of {\"publicKey\": \"<64 hex>\"} objects");
    }
    int max = field.equals("validators") ? GenesisConfig.VALIDATORS_MAX : GenesisConfig.OBSERVERS_MAX;
    if (node.size() > max) {
      throw reject(field, "at most " + max + " entries, got " + node.size());
    }
    List<PublicKey> keys = new ArrayList<>(node.size());
    for (int i = 0; i < node.size(); i++) {
      String entry = field + "[" + i + "]";
      requireObject(node.get(i), entry, PEER_FIELDS, entry + ".");
      keys.add(publicKey(required(node.get(i), "publicKey", entry + "."), entry + ".publicKey"));
    }
    return keys;
  }

  private static List<GenesisAccount> accounts(JsonNode node) {
    if (!node.isArray()) {
      throw reject("accounts", "expected an array of account objects");
    }
    if (node.size() > GenesisConfig.ACCOUNTS_MAX) {
      throw reject("accounts", "at most " + GenesisConfig.ACCOUNTS_MAX + " entries, got " + node.size());
    }
    List<GenesisAccount> accounts = new ArrayList<>(node.size());
    for (int i = 0; i < node.size(); i++) {
      accounts.add(account(node.get(i), "accounts[" + i + "]"));
    }
    return accounts;
  }

  private static GenesisAccount account(JsonNode node, String field) {
    requireObject(node, field, ACCOUNT_FIELDS, field + ".");
    Address address;
    if (node.has("address") == node.has("publicKey")) {
      throw reject(field, "give exactly one of address and publicKey");
    } else if (node.has("address")) {
      String text = text(node.get("address"), field + ".address");
      try {
        address = Address.parse(text);
      } catch (IllegalArgumentException e) {
        throw reject(field + ".address", "not a Cairn address (" + e.getMessage() + ")");
      }
    } else {
      address = publicKey(node.get("publicKey"), field + ".publicKey").address();
    }
    long balance = whole(required(node, "balance", field + "."), field + ".balance");
    if (balance < 0) {
      throw reject(field + ".balance", "must not be negative, got " + balance);
    }
    Set<Role> roles = node.has("roles") ? roles(node.get("roles"), field + ".roles") : Set.of();
    if (balance == 0 && roles.isEmpty()) {
      throw reject(field, "has no balance and no roles: nothing to create");
    }
    return new GenesisAccount(address, balance, roles);
  }

  private static Set<Role> roles(JsonNode node, String field) {
    if (!node.isArray()) {
      throw reject(field, "expected an array of \"member\" and \"admin\"");
    }
    EnumSet<Role> roles = EnumSet.noneOf(Role.class);
    for (int i = 0; i < node.size(); i++) {
      String entry = field + "[" + i + "]";
      String name = text(node.get(i), entry);
      Role role = switch (name) {
        case "member" -> Role.MEMBER;
        case "admin" -> Role.ADMIN;
        default -> throw reject(entry, "unknown role '" + name + "' (expected member or admin)");
      };
      if (!roles.add(role)) {
        throw reject(entry, "role '" + name + "' listed twice");
      }
    }
    return roles;
  }

  // ---- field primitives ----

  private static PublicKey publicKey(JsonNode node, String field) {
    String text = text(node, field);
    if (text.length() != 2 * PublicKey.SIZE || !text.chars().allMatch(HexFormat::isHexDigit)) {
      throw reject(field, "not 64 hex characters");
    }
    return new PublicKey(Bytes.fromHex(text));
  }

  private static void requireObject(JsonNode node, String field, Set<String> allowed, String prefix) {
    if (!node.isObject()) {
      throw reject(field, "expected a JSON object");
    }
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!allowed.contains(name)) {
        throw reject(prefix + name, "unknown field");
      }
    }
  }

  private static JsonNode required(JsonNode object, String name, String prefix) {
    JsonNode value = object.get(name);
    if (value == null || value.isNull()) {
      throw reject(prefix + name, "missing");
    }
    return value;
  }

  private static String text(JsonNode node, String field) {
    if (!node.isTextual()) {
      throw reject(field, "expected a string");
    }
    return node.textValue();
  }

  private static long whole(JsonNode node, String field) {
    if (!node.isIntegralNumber()) {
      throw reject(field, "expected a whole number");
    }
    if (!node.canConvertToLong()) {
      throw reject(field, "out of range: " + node.asText());
    }
    return node.longValue();
  }

  private static FieldProblem syntaxProblem(JsonProcessingException e) {
    String field = "(root)";
    if (e.getProcessor() instanceof JsonParser parser && parser.getParsingContext() != null) {
      field = dotted(parser.getParsingContext().pathAsPointer());
    }
    String where = e.getLocation() == null
        ? ""
        : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    String message = e.getOriginalMessage() == null ? "malformed JSON" : e.getOriginalMessage().lines().findFirst().orElse("");
    return new FieldProblem(field, "invalid JSON: " + message + where);
  }

  /** {@code /validators/2/publicKey} becomes {@code validators[2].publicKey}. */
  static String dotted(JsonPointer pointer) {
    StringBuilder out = new StringBuilder();
    for (JsonPointer p = pointer; p != null && !p.matches(); p = p.tail()) {
      if (p.mayMatchElement()) {
        // A numeric segment is an array index in this schema: no object has numeric field names.
        out.append('[').append(p.getMatchingIndex()).append(']');
      } else {
        out.append(out.isEmpty() ? "" : ".").append(p.getMatchingProperty());
      }
    }
    return out.isEmpty() ? "(root)" : out.toString();
  }

  private static Rejection reject(String field, String problem) {
    return new Rejection(new FieldProblem(field, problem));
  }

  /** Unwinds the recursive descent to {@link #parse}; never escapes this class. */
  private static final class Rejection extends RuntimeException {
    final FieldProblem problem;

    Rejection(FieldProblem problem) {
      super(problem.toString(), null, false, false);
      this.problem = problem;
    }
  }
}
