package dev.cairn.genesis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GenesisParserTest {
  private static final JsonMapper JSON = new JsonMapper();

  @Test
  void theDocumentedFormParsesToTheExpectedConfig() {
    GenesisResult result = parse(GenesisFixtures.json());
    assertThat(result).isInstanceOf(GenesisResult.Valid.class);
    assertThat(result.orThrow()).isEqualTo(GenesisFixtures.config());
  }

  @Test
  void observersAreOptional() {
    GenesisConfig config = parse(without("/observers")).orThrow();
    assertThat(config.observers()).isEmpty();
  }

  @Test
  void rolesAreOptionalForAnAccountWithABalance() {
    GenesisConfig config = parse(GenesisFixtures.json()).orThrow();
    assertThat(config.accounts().get(2).roles()).isEmpty();
    assertThat(config.accounts().get(2).balance()).isEqualTo(42);
  }

  @Test
  void aPublicKeyAccountIsStoredUnderItsAddress() {
    GenesisConfig config = parse(GenesisFixtures.json()).orThrow();
    assertThat(config.accounts().get(1).address()).isEqualTo(GenesisFixtures.key("alice").address());
  }

  @Test
  void genesisTimeAcceptsAnOffsetAndMilliseconds() {
    GenesisConfig config = parse(with("/genesisTime", "2026-09-21T16:13:20.250+02:00")).orThrow();
    assertThat(config.genesisTimeMillis()).isEqualTo(GenesisFixtures.TIME + 250);
    assertThat(parse(with("/genesisTime", "2026-09-21t14:13:20z")).orThrow().genesisTimeMillis())
        .isEqualTo(GenesisFixtures.TIME);
  }

  static Stream<Arguments> badFields() {
    String longId = "a".repeat(65);
    BigInteger tooBig = BigInteger.ONE.shiftLeft(63);
    return Stream.of(
        bad(with("/chainId", "Cairn_Test"), "chainId: must be 1 to 64 characters of a-z, 0-9 and '-'"),
        bad(with("/chainId", ""), "chainId: must be 1 to 64 characters"),
        bad(with("/chainId", longId), "chainId: must be 1 to 64 characters"),
        bad(with("/chainId", 7), "chainId: expected a string"),
        bad(without("/chainId"), "chainId: missing"),
        bad(with("/genesisTime", "yesterday"), "genesisTime: expected RFC 3339 time"),
        bad(with("/genesisTime", 1_790_000_000_000L), "genesisTime: expected a string"),
        bad(with("/genesisTime", "1969-12-31T23:59:59Z"), "genesisTime: must not be before 1970"),
        bad(with("/genesisTime", "2026-09-21T14:13:20.0001Z"), "genesisTime: more precise than milliseconds"),
        bad(without("/genesisTime"), "genesisTime: missing"),
        bad(with("/genesisTime", "2026-09-21T14:13Z"), "genesisTime: expected RFC 3339 time"),
        bad(with("/genesisTime", "2026-09-21T14:13:20"), "genesisTime: expected RFC 3339 time"),
        bad(with("/genesisTime", "2026-02-30T00:00:00Z"), "genesisTime: expected RFC 3339 time"),
        bad(with("/genesisTime", "2026-09-21 14:13:20Z"), "genesisTime: expected RFC 3339 time"),
        bad(with("/consensus", "fast"), "consensus: expected a JSON object"),
        bad(with("/consensus/blockPeriodMillis", 5), "consensus.blockPeriodMillis: must be in [10, 3600000], got 5"),
        bad(with("/consensus/blockPeriodMillis", 1.5), "consensus.blockPeriodMillis: expected a whole number"),
        bad(with("/consensus/roundTimeoutMillis", 1000),
            "consensus.roundTimeoutMillis: must be greater than blockPeriodMillis (1000), got 1000"),
        bad(with("/consensus/roundTimeoutMillis", 99), "consensus.roundTimeoutMillis: must be in [100, 3600000]"),
        bad(with("/consensus/roundTimeoutMillisMax", 1500),
            "consensus.roundTimeoutMillisMax: must be at least roundTimeoutMillis (2000), got 1500"),
        bad(with("/consensus/roundTimeoutMillisMax", 86_400_001), "consensus.roundTimeoutMillisMax: must be in"),
        bad(with("/consensus/blockTxsMax", 0), "consensus.blockTxsMax: must be in [1, 100000], got 0"),
        bad(with("/consensus/blockTxsMax", 100_001), "consensus.blockTxsMax: must be in [1, 100000]"),
        bad(with("/consensus/blockBytesMax", 100), "consensus.blockBytesMax: must be in [16384, 67108864]"),
        bad(with("/consensus/blockBytesMax", 1L << 27), "consensus.blockBytesMax: must be in [16384, 67108864]"),
        bad(with("/consensus/blockBytesMax", tooBig), "consensus.blockBytesMax: out of range"),
        bad(with("/consensus/emptyBlocks", "yes"), "consensus.emptyBlocks: expected true or false"),
        bad(without("/consensus/emptyBlocks"), "consensus.emptyBlocks: missing"),
        bad(with("/consensus/blockPeriodSeconds", 1), "consensus.blockPeriodSeconds: unknown field"),
        bad(with("/validators/2/publicKey", "zz" + "0".repeat(62)), "validators[2].publicKey: not 64 hex characters"),
        bad(with("/validators/1/publicKey", "abcd"), "validators[1].publicKey: not 64 hex characters"),
        bad(with("/validators/0/publicKey", 12), "validators[0].publicKey: expected a string"),
        bad(without("/validators/3/publicKey"), "validators[3].publicKey: missing"),
        bad(with("/validators/0/name", "acme"), "validators[0].name: unknown field"),
        bad(with("/validators/1", "abcd"), "validators[1]: expected a JSON object"),
        bad(with("/validators", JSON.createArrayNode()), "validators: needs at least one validator"),
        bad(with("/validators", "all"), "validators: expected an array"),
        bad(with("/validators/3/publicKey", GenesisFixtures.key("validator-0").toHex()),
            "validators[3].publicKey: duplicate of validators[0]"),
        bad(with("/observers/1/publicKey", GenesisFixtures.key("validator-2").toHex()),
            "observers[1].publicKey: duplicate of validators[2]"),
        bad(with("/observers/0/publicKey", "xyz"), "observers[0].publicKey: not 64 hex characters"),
        bad(with("/observers", 3), "observers: expected an array"),
        bad(with("/accounts/0/address", "cairn1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq"), "accounts[0].address: not a Cairn address"),
        bad(with("/accounts/1/address", GenesisFixtures.key("bob").address().toText()),
            "accounts[1]: give exactly one of address and publicKey"),
        bad(without("/accounts/0/address"), "accounts[0]: give exactly one of address and publicKey"),
        bad(with("/accounts/1/publicKey", "00"), "accounts[1].publicKey: not 64 hex characters"),
        bad(with("/accounts/2/balance", -1), "accounts[2].balance: must not be negative, got -1"),
        bad(with("/accounts/2/balance", tooBig), "accounts[2].balance: out of range"),
        bad(with("/accounts/2/balance", "42"), "accounts[2].balance: expected a whole number"),
        bad(without("/accounts/2/balance"), "accounts[2].balance: missing"),
        bad(with("/accounts/2/balance", 0), "accounts[2]: has no balance and no roles: nothing to create"),
        bad(with("/accounts/0/roles", JSON.valueToTree(List.of("owner"))), "accounts[0].roles[0]: unknown role 'owner'"),
        bad(with("/accounts/0/roles", JSON.valueToTree(List.of("admin", "admin"))),
            "accounts[0].roles[1]: role 'admin' listed twice"),
        bad(with("/accounts/0/roles", "admin"), "accounts[0].roles: expected an array"),
        bad(with("/accounts/0/nonce", 3), "accounts[0].nonce: unknown field"),
        bad(with("/accounts/2/address", GenesisFixtures.key("admin").address().toText()),
            "accounts[2]: same address as accounts[0]"),
        bad(with("/accounts/1/balance", Long.MAX_VALUE), "accounts[1].balance: total of all balances exceeds"),
        bad(with("/accounts", JSON.createObjectNode()), "accounts: expected an array"),
        bad(without("/accounts"), "accounts: missing"),
        bad(with("/admins", JSON.createArrayNode()), "admins: unknown field"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("badFields")
  void aBadFieldIsRejectedWithAMessageNamingIt(String json, String expected) {
    GenesisResult result = parse(json);
    assertThat(result).isInstanceOf(GenesisResult.Invalid.class);
    assertThat(((GenesisResult.Invalid) result).message()).startsWith("genesis.json: " + expected);
  }

  @Test
  void aDuplicateFieldIsRejectedNamingIt() {
    String json = GenesisFixtures.json().replace("\"blockTxsMax\": 10000,", "\"blockTxsMax\": 10000, \"blockTxsMax\": 5,");
    String message = invalid(json);
    assertThat(message).startsWith("genesis.json: consensus.blockTxsMax: invalid JSON: Duplicate field 'blockTxsMax'");
    assertThat(message).contains("line 8");
  }

  @Test
  void aDuplicateTopLevelFieldIsRejected() {
    String json = GenesisFixtures.json().replaceFirst("\\{", "{ \"chainId\": \"other\",");
    assertThat(invalid(json)).startsWith("genesis.json: chainId: invalid JSON: Duplicate field 'chainId'");
  }

  @Test
  void trailingContentIsRejected() {
    assertThat(invalid(GenesisFixtures.json() + "{}")).startsWith("genesis.json: (root): invalid JSON: Trailing token");
  }

  @Test
  void aSyntaxErrorNamesWhereItHappened() {
    String json = GenesisFixtures.json().replace("\"roles\": [\"member\"]", "\"roles\": [\"member\",]");
    assertThat(invalid(json)).startsWith("genesis.json: accounts[1].roles[1]: invalid JSON:");
  }

  @Test
  void anEmptyOrNonObjectDocumentIsRejected() {
    assertThat(invalid("")).isEqualTo("genesis.json: (root): empty document");
    assertThat(invalid("[]")).isEqualTo("genesis.json: (root): expected a JSON object");
  }

  @Test
  void anOversizedDocumentIsRejectedBeforeParsing() {
    byte[] huge = new byte[GenesisParser.GENESIS_BYTES_MAX + 1];
    GenesisResult result = GenesisParser.parse("genesis.json", huge);
    assertThat(result.toString()).startsWith("genesis.json: (root): document has 16777217 bytes");
  }

  @Test
  void orThrowCarriesTheOneLineMessage() {
    GenesisResult result = parse(with("/chainId", "UPPER"));
    try {
      result.orThrow();
    } catch (GenesisException e) {
      assertThat(e.getMessage()).startsWith("genesis.json: chainId:");
      return;
    }
    throw new AssertionError("orThrow returned for an invalid file");
  }

  // ---- helpers: mutate the documented example through its JSON tree ----

  private static Arguments bad(String json, String expected) {
    return Arguments.of(json, expected);
  }

  static GenesisResult parse(String json) {
    return GenesisParser.parse("genesis.json", json.getBytes(StandardCharsets.UTF_8));
  }

  private static String invalid(String json) {
    GenesisResult result = parse(json);
    assertThat(result).isInstanceOf(GenesisResult.Invalid.class);
    return ((GenesisResult.Invalid) result).message();
  }

  static String with(String pointer, Object value) {
    ObjectNode root = tree();
    JsonPointer path = JsonPointer.compile(pointer);
    JsonNode parent = root.at(path.head());
    JsonNode node = value instanceof JsonNode n ? n : JSON.valueToTree(value);
    if (parent instanceof ArrayNode array) {
      array.set(path.last().getMatchingIndex(), node);
    } else {
      ((ObjectNode) parent).set(path.last().getMatchingProperty(), node);
    }
    return root.toString();
  }

  static String without(String pointer) {
    ObjectNode root = tree();
    JsonPointer path = JsonPointer.compile(pointer);
    ((ObjectNode) root.at(path.head())).remove(path.last().getMatchingProperty());
    return root.toString();
  }

  private static ObjectNode tree() {
    try {
      return (ObjectNode) JSON.readTree(GenesisFixtures.json());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
