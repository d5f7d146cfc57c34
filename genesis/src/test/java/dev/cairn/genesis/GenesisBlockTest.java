package dev.cairn.genesis;

import static dev.cairn.genesis.GenesisParserTest.with;
import static dev.cairn.genesis.GenesisParserTest.without;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.model.Block;
import dev.cairn.ledger.model.BlockHeader;
import dev.cairn.ledger.model.MerkleRoot;
import dev.cairn.ledger.state.MemoryNodeStore;
import dev.cairn.ledger.state.SparseMerkleTree;
import dev.cairn.ledger.state.StateKeys;
import dev.cairn.ledger.store.ChainStore;
import dev.cairn.ledger.store.ChainVerifier;
import dev.cairn.ledger.store.StoreConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenesisBlockTest {

  private static Hash hashOf(String json) {
    return GenesisBlock.of(GenesisParserTest.parse(json).orThrow()).hash();
  }

  @Test
  void theSameFileGivesTheSameHashEveryTime() {
    Hash first = hashOf(GenesisFixtures.json());
    assertThat(hashOf(GenesisFixtures.json())).isEqualTo(first);
    assertThat(GenesisBlock.of(GenesisFixtures.config()).hash()).isEqualTo(first);
    assertThat(hashOf(GenesisWriter.toJson(GenesisFixtures.config()))).isEqualTo(first);
  }

  @Test
  void changingAnyFieldChangesTheHash() {
    String other = GenesisFixtures.key("someone-else").toHex();
    Map<String, String> variants = new LinkedHashMap<>();
    variants.put("chainId", with("/chainId", "cairn-test2"));
    variants.put("genesisTime", with("/genesisTime", "2026-09-21T14:13:20.001Z"));
    variants.put("blockPeriodMillis", with("/consensus/blockPeriodMillis", 999));
    variants.put("roundTimeoutMillis", with("/consensus/roundTimeoutMillis", 2001));
    variants.put("roundTimeoutMillisMax", with("/consensus/roundTimeoutMillisMax", 60001));
    variants.put("blockTxsMax", with("/consensus/blockTxsMax", 9999));
    variants.put("blockBytesMax", with("/consensus/blockBytesMax", 8388607));
    variants.put("emptyBlocks", with("/consensus/emptyBlocks", false));
    variants.put("validator replaced", with("/validators/1/publicKey", other));
    variants.put("validator removed", with("/validators", GenesisParserTest.parse(GenesisFixtures.json()).orThrow()
        .validators().subList(0, 3).stream().map(k -> Map.of("publicKey", k.toHex())).toList()));
    variants.put("account balance", with("/accounts/1/balance", 501));
    variants.put("account roles", with("/accounts/1/roles", List.of("member", "admin")));
    variants.put("account address", with("/accounts/2/address", GenesisFixtures.key("bob").address().toText()));
    variants.put("account removed", with("/accounts", List.of(Map.of("publicKey", GenesisFixtures.key("alice").toHex(),
        "balance", 500, "roles", List.of("member")))));
    variants.put("observer replaced", with("/observers/0/publicKey", other));
    variants.put("observers removed", without("/observers"));

    Hash base = hashOf(GenesisFixtures.json());
    Map<Hash, String> seen = new LinkedHashMap<>();
    seen.put(base, "base");
    variants.forEach((name, json) -> {
      Hash hash = hashOf(json);
      assertThat(seen.putIfAbsent(hash, name)).as("%s gives a hash already seen", name).isNull();
    });
    assertThat(seen).hasSize(variants.size() + 1);
  }

  /**
   * The example in docs/genesis.md is valid and has the hash printed there. A change to any encoding that
   * feeds the genesis hash (codec, state keys, tree hashing, header) fails here: such a change forks every
   * existing chain and must be deliberate, with the documented hash updated.
   */
  @Test
  void theDocumentedExampleHasTheDocumentedHash() throws Exception {
    String doc = Files.readString(Path.of("../docs/genesis.md"));
    Matcher example = Pattern.compile("```json\n(.*?)```", Pattern.DOTALL).matcher(doc);
    assertThat(example.find()).isTrue();
    GenesisResult result = GenesisParser.parse("genesis.json", example.group(1).getBytes(StandardCharsets.UTF_8));
    assertThat(result).isInstanceOf(GenesisResult.Valid.class);
    assertThat(GenesisBlock.of(result.orThrow()).hash())
        .isEqualTo(Hash.fromHex("a42d46ffc99bf1af35ee0a8a3e5584618e83dab08335695c5d59849b8037ca8b"));
    assertThat(doc).contains("OK 0xa42d46ffc99bf1af35ee0a8a3e5584618e83dab08335695c5d59849b8037ca8b");
  }

  @Test
  void listOrderInTheFileDoesNotChangeTheHash() {
    GenesisConfig config = GenesisFixtures.config();
    GenesisConfig reordered = new GenesisConfig(config.chainId(), config.genesisTimeMillis(), config.consensus(),
        config.validators().reversed(), config.accounts().reversed(), config.observers().reversed());
    assertThat(GenesisBlock.of(reordered).hash()).isEqualTo(GenesisBlock.of(config).hash());
  }

  @Test
  void theHeaderIsTheDocumentedOne() {
    GenesisConfig config = GenesisFixtures.config();
    GenesisBlock genesis = GenesisBlock.of(config);
    BlockHeader header = genesis.block().header();
    assertThat(header.height()).isZero();
    assertThat(header.parentHash()).isEqualTo(Hash.ZERO);
    assertThat(header.timestampMillis()).isEqualTo(config.genesisTimeMillis());
    assertThat(header.proposer()).isEqualTo(GenesisBlock.PROPOSER);
    assertThat(header.proposer().bytes().toArray()).containsOnly(0);
    assertThat(header.round()).isZero();
    assertThat(header.txRoot()).isEqualTo(Block.txRoot(List.of()));
    assertThat(header.receiptsRoot()).isEqualTo(MerkleRoot.ofReceipts(List.of()));
    assertThat(header.validatorSetHash()).isEqualTo(config.validatorSet().hash());
    assertThat(genesis.block().transactions()).isEmpty();
  }

  @Test
  void theExecutedBlockCarriesTheStateItsRootCommitsTo() {
    GenesisConfig config = GenesisFixtures.config();
    GenesisBlock genesis = GenesisBlock.of(config);
    assertThat(genesis.executed().receipts()).isEmpty();
    assertThat(genesis.executed().stateChanges()).isEqualTo(GenesisState.changes(config));
    assertThat(genesis.executed().nextValidators()).isEqualTo(config.validatorSet());
    assertThat(genesis.certificate().seals()).isEmpty();
    assertThat(genesis.certificate().blockHash()).isEqualTo(genesis.hash());

    MemoryNodeStore nodes = new MemoryNodeStore();
    nodes.putAll(genesis.executed().treeUpdate());
    SparseMerkleTree tree = new SparseMerkleTree(nodes, genesis.stateRoot());
    assertThat(tree.get(StateKeys.VALIDATOR_SET))
        .isEqualTo(genesis.executed().stateChanges().writes().get(StateKeys.VALIDATOR_SET));
    assertThat(tree.get(GenesisState.PARAMETERS).map(ChainParametersCodec::decode))
        .contains(ChainParameters.of(config));
  }

  @Test
  void theChainStoreAcceptsTheGenesisBlockAndItsCertificate(@TempDir Path dir) {
    GenesisBlock genesis = GenesisBlock.of(GenesisFixtures.config());
    try (ChainStore store = ChainStore.open(dir, StoreConfig.small())) {
      store.commit(genesis.executed(), genesis.certificate());
      assertThat(store.genesisHash()).contains(genesis.hash());
      assertThat(store.head().orElseThrow().height()).isZero();
      assertThat(store.validatorsAt(1)).contains(GenesisFixtures.config().validatorSet());
      assertThat(store.finalizedBlock(0)).contains(genesis.finalizedBlock());
      assertThat(new ChainVerifier(store).verify(ChainVerifier.Progress.NONE).passed()).isTrue();
    }
  }
}
