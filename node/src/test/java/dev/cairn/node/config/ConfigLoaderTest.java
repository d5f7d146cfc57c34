package dev.cairn.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

  @Test
  void layersDefaultsFileEnvironmentAndFlagsInThatOrder() throws Exception {
    Path file = dir.resolve("node.toml");
    Files.writeString(file, """
        [node]
        data-dir = "chain"
        [rpc]
        port = 9000
        host = "0.0.0.0"
        [mempool]
        txs-max = 500
        txs-per-sender-max = 100
        """);
    NodeConfig config = ConfigLoader.defaults()
        .withFile(file)
        .withEnvironment(Map.of("CAIRN_RPC_PORT", "9100", "CAIRN_LOG_LEVEL", "debug", "CAIRN_P2P_BOOTNODES", "/ip4/1.2.3.4/tcp/1,/ip4/5.6.7.8/tcp/2"))
        .with("rpc.port", "9200")
        .build(dir);
    assertThat(config.dataDir()).isEqualTo(dir.resolve("chain"));
    assertThat(config.rpc().host()).isEqualTo("0.0.0.0");
    assertThat(config.rpc().port()).isEqualTo(9200);
    assertThat(config.logLevel()).isEqualTo("DEBUG");
    assertThat(config.mempool().txsMax()).isEqualTo(500);
    assertThat(config.p2p().bootnodes()).containsExactly("/ip4/1.2.3.4/tcp/1", "/ip4/5.6.7.8/tcp/2");
  }

  @Test
  void unknownKeysAndBadValuesNameTheKey() throws Exception {
    Path typo = dir.resolve("typo.toml");
    Files.writeString(typo, "[rpc]\nprot = 1\n");
    assertThatThrownBy(() -> ConfigLoader.defaults().withFile(typo))
        .isInstanceOf(ConfigException.class).hasMessageContaining("rpc.prot");
    assertThatThrownBy(() -> ConfigLoader.defaults().with("rpc.port", "99999").build(dir))
        .isInstanceOf(ConfigException.class).hasMessageContaining("rpc.port");
    assertThatThrownBy(() -> ConfigLoader.defaults().with("rpc.port", "abc"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("whole number");
    assertThatThrownBy(() -> ConfigLoader.defaults().with("mempool.txs-per-sender-max", "999999").with("mempool.txs-max", "10").build(dir))
        .isInstanceOf(ConfigException.class).hasMessageContaining("txs-per-sender-max");
    Path wrongType = dir.resolve("type.toml");
    Files.writeString(wrongType, "[rpc]\nport = \"x\"\n");
    assertThatThrownBy(() -> ConfigLoader.defaults().withFile(wrongType))
        .isInstanceOf(ConfigException.class).hasMessageContaining("rpc.port");
  }

  @Test
  void txBatchingHasDefaultsAndItsLimitsAreChecked() throws Exception {
    assertThat(ConfigLoader.defaults().build(dir).p2p().txBatching()).isEqualTo(NodeConfig.TxBatching.DEFAULT);
    NodeConfig set = ConfigLoader.defaults().with("p2p.tx-batch-txs-max", "50").with("p2p.tx-batch-linger-millis", "2")
        .build(dir);
    assertThat(set.p2p().txBatching().txsPerBatchMax()).isEqualTo(50);
    assertThat(set.p2p().txBatching().lingerMillis()).isEqualTo(2);
    // The bounds of the batch wire format are NetworkLimits' to check (NetworkLimitsTest); these are the config's own.
    assertThatThrownBy(() -> ConfigLoader.defaults().with("p2p.tx-batch-txs-max", "0").build(dir))
        .isInstanceOf(ConfigException.class).hasMessageContaining("p2p.tx-batch-txs-max");
    assertThatThrownBy(() -> ConfigLoader.defaults().with("p2p.tx-batch-linger-millis", "5000").build(dir))
        .isInstanceOf(ConfigException.class).hasMessageContaining("p2p.tx-batch-linger-millis");
  }

  @Test
  void storageCachesHaveDefaultsAndTheirLimitsAreChecked() throws Exception {
    assertThat(ConfigLoader.defaults().build(dir).storage()).isEqualTo(dev.cairn.ledger.store.StoreConfig.DEFAULTS);
    NodeConfig set = ConfigLoader.defaults().with("storage.state-node-cache-entries", "3000000")
        .with("storage.block-cache-bytes", "1073741824").build(dir);
    assertThat(set.storage().nodeCacheEntriesMax()).isEqualTo(3_000_000);
    assertThat(set.storage().blockCacheBytes()).isEqualTo(1L << 30);
    assertThat(ConfigLoader.defaults().with("storage.state-node-cache-entries", "0").build(dir).storage()
        .nodeCacheEntriesMax()).isZero();
    assertThatThrownBy(() -> ConfigLoader.defaults().with("storage.state-node-cache-entries", "5").build(dir))
        .isInstanceOf(ConfigException.class).hasMessageContaining("storage.state-node-cache-entries");
    assertThatThrownBy(() -> ConfigLoader.defaults().with("storage.block-cache-bytes", "10").build(dir))
        .isInstanceOf(ConfigException.class).hasMessageContaining("storage.block-cache-bytes");
  }

  @Test
  void theExplorerIsOffByDefaultAndNeedsTheRpcListener() throws Exception {
    assertThat(ConfigLoader.DEFAULTS).contains("[explorer]\nenabled = false");
    assertThat(ConfigLoader.defaults().build(dir).explorer().enabled()).isFalse();
    assertThat(ConfigLoader.defaults().with("explorer.enabled", "true").build(dir).explorer().enabled()).isTrue();
    assertThat(ConfigLoader.defaults().withEnvironment(java.util.Map.of("CAIRN_EXPLORER_ENABLED", "true")).build(dir)
        .explorer().enabled()).isTrue();
    assertThatThrownBy(() -> ConfigLoader.defaults().with("explorer.enabled", "true").with("rpc.enabled", "false").build(dir))
        .isInstanceOf(ConfigException.class).hasMessageContaining("explorer.enabled needs rpc.enabled");
  }
}
