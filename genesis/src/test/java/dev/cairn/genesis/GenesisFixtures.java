package dev.cairn.genesis;

import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.model.Role;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Deterministic genesis content for tests: keys from fixed seed texts. */
final class GenesisFixtures {
  static final long TIME = 1_790_000_000_000L;

  private GenesisFixtures() {}

  static PublicKey key(String name) {
    return KeyPair.fromSeedText(name).publicKey();
  }

  static List<PublicKey> keys(String prefix, int count) {
    List<PublicKey> keys = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      keys.add(key(prefix + i));
    }
    return keys;
  }

  static GenesisConfig config() {
    return new GenesisConfig(
        "cairn-test", TIME, ConsensusParameters.DEFAULTS, keys("validator-", 4),
        List.of(
            new GenesisAccount(key("admin").address(), 1_000_000, EnumSet.of(Role.ADMIN, Role.MEMBER)),
            new GenesisAccount(key("alice").address(), 500, Set.of(Role.MEMBER)),
            new GenesisAccount(key("treasury").address(), 42, Set.of())),
        keys("observer-", 2));
  }

  /** A hand-written file in the documented form, exercising both address and publicKey accounts. */
  static String json() {
    return """
        {
          "chainId": "cairn-test",
          "genesisTime": "2026-09-21T14:13:20Z",
          "consensus": {
            "blockPeriodMillis": 1000,
            "roundTimeoutMillis": 2000,
            "roundTimeoutMillisMax": 60000,
            "blockTxsMax": 10000,
            "blockBytesMax": 8388608,
            "emptyBlocks": true
          },
          "validators": [
            { "publicKey": "%s" },
            { "publicKey": "%s" },
            { "publicKey": "%s" },
            { "publicKey": "%s" }
          ],
          "accounts": [
            { "address": "%s", "balance": 1000000, "roles": ["admin", "member"] },
            { "publicKey": "%s", "balance": 500, "roles": ["member"] },
            { "address": "%s", "balance": 42 }
          ],
          "observers": [
            { "publicKey": "%s" },
            { "publicKey": "%s" }
          ]
        }
        """.formatted(
            key("validator-0").toHex(), key("validator-1").toHex(), key("validator-2").toHex(),
            key("validator-3").toHex(), key("admin").address().toText(), key("alice").toHex(),
            key("treasury").address().toText(), key("observer-0").toHex(), key("observer-1").toHex());
  }
}
