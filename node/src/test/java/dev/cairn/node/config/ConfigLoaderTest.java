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
  void theP2pKeyLivesInTheDataDirUnlessConfigured() throws Exception {
    NodeConfig defaults = ConfigLoader.defaults().with("node.data-dir", "chain").build(dir);
    assertThat(defaults.p2pKeyFile()).isEmpty();
    assertThat(defaults.p2pKeyPath()).isEqualTo(dir.resolve("chain").resolve("p2p.key"));
    NodeConfig configured = ConfigLoader.defaults().with("node.p2p-key-file", "keys/p2p.key").build(dir);
    assertThat(configured.p2pKeyPath()).isEqualTo(dir.resolve("keys").resolve("p2p.key"));
  }

  @Test
  void metricsAreOffUntilEnabledAndLoggingTakesPerPackageLevels() throws Exception {
    NodeConfig defaults = ConfigLoader.defaults().build(dir);
    assertThat(defaults.metrics()).isEqualTo(new NodeConfig.Metrics(false, "127.0.0.1", 9545));
    assertThat(defaults.logging()).isEqualTo(NodeConfig.Logging.DEFAULT);

    Path file = dir.resolve("node.toml");
    Files.writeString(file, """
        [metrics]
        enabled = true
        host = "10.0.0.5"
        [logging]
        format = "json"
        [logging.levels]
        "dev.cairn.p2p" = "debug"
        "io.netty" = "ERROR"
        """);
    NodeConfig config = ConfigLoader.defaults().withFile(file)
        .withEnvironment(Map.of("CAIRN_METRICS_PORT", "9600"))
        .with("logging.levels.dev.cairn.rpc", "trace")
        .build(dir);
    assertThat(config.metrics()).isEqualTo(new NodeConfig.Metrics(true, "10.0.0.5", 9600));
    assertThat(config.logging().format()).isEqualTo(NodeConfig.LogFormat.JSON);
    assertThat(config.logging().levels())
        .containsExactlyInAnyOrderEntriesOf(Map.of("dev.cairn.p2p", "DEBUG", "io.netty", "ERROR", "dev.cairn.rpc", "TRACE"));
  }

  @Test
  void badLoggingAndMetricsValuesNameTheKey() throws Exception {
    assertThatThrownBy(() -> ConfigLoader.defaults().with("logging.format", "xml").build(dir))
        .isInstanceOf(ConfigException.class).hasMessageContaining("logging.format");
    assertThatThrownBy(() -> ConfigLoader.defaults().with("logging.levels.dev.cairn", "loud").build(dir))
        .isInstanceOf(ConfigException.class).hasMessageContaining("logging.levels").hasMessageContaining("loud".toUpperCase());
    assertThatThrownBy(() -> ConfigLoader.defaults().with("logging.levels.dev..cairn", "info").build(dir))
        .isInstanceOf(ConfigException.class).hasMessageContaining("not a logger");
    Path notText = dir.resolve("levels.toml");
    Files.writeString(notText, "[logging.levels]\n\"dev.cairn\" = 3\n");
    assertThatThrownBy(() -> ConfigLoader.defaults().withFile(notText))
        .isInstanceOf(ConfigException.class).hasMessageContaining("logging.levels.dev.cairn");
    assertThatThrownBy(() -> ConfigLoader.defaults().with("metrics.port", "70000").build(dir))
        .isInstanceOf(ConfigException.class).hasMessageContaining("metrics.port");
    assertThatThrownBy(() -> ConfigLoader.defaults().with("metrics.enabled", "yes"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("metrics.enabled");
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
    assertThat(ConfigLoader.defaults().build(dir).p2p().txBatching()).isEqualTo(dev.cairn.network.TxBatching.DEFAULT);
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
  void largeAnswerBoundsHaveTheRpcDefaultsAndTheirRelationIsChecked() throws Exception {
    assertThat(ConfigLoader.defaults().build(dir).rpc().answerLimits()).isEqualTo(dev.cairn.rpc.RpcConfig.AnswerLimits.defaults());
    NodeConfig set = ConfigLoader.defaults().with("rpc.large-answers-max", "4").with("rpc.large-answers-per-client-max", "2")
        .with("rpc.answer-write-timeout-millis", "3000").build(dir);
    assertThat(set.rpc().answerLimits().largeAnswersMax()).isEqualTo(4);
    assertThat(set.rpc().answerLimits().largeAnswersPerClientMax()).isEqualTo(2);
    assertThat(set.rpc().answerLimits().answerWriteTimeoutMillis()).isEqualTo(3000);
    assertThatThrownBy(() -> ConfigLoader.defaults().with("rpc.large-answers-per-client-max", "3").build(dir))
        .isInstanceOf(ConfigException.class).hasMessageContaining("rpc.large-answers-per-client-max (3) must be <= rpc.large-answers-max (2)");
    assertThatThrownBy(() -> ConfigLoader.defaults().with("rpc.large-answer-bytes", "100").build(dir))
        .isInstanceOf(ConfigException.class).hasMessageContaining("rpc.large-answer-bytes");
    assertThatThrownBy(() -> ConfigLoader.defaults().with("rpc.answer-write-timeout-millis", "0").build(dir))
        .isInstanceOf(ConfigException.class).hasMessageContaining("rpc.answer-write-timeout-millis");
  }

  @Test
  void syncHasDefaultsAndItsLimitsAndRelationsAreChecked() throws Exception {
    assertThat(ConfigLoader.defaults().build(dir).sync()).isEqualTo(dev.cairn.network.SyncConfig.DEFAULTS);
    NodeConfig set = ConfigLoader.defaults().with("sync.chunk-requests-in-flight-max", "16")
        .with("sync.chunk-request-timeout-millis", "20000").with("sync.peer-wait-millis", "5000")
        .with("sync.no-peer-grace-millis", "90000").with("sync.download-deadline-millis", "7200000").build(dir);
    assertThat(set.sync().chunkRequestsInFlightMax()).isEqualTo(16);
    assertThat(set.sync().waits()).isEqualTo(new dev.cairn.network.SyncConfig.Waits(20_000, 5_000, 90_000, 7_200_000));
    assertThatThrownBy(() -> ConfigLoader.defaults().with("sync.chunk-request-timeout-millis", "0").build(dir))
        .isInstanceOf(ConfigException.class).hasMessageContaining("sync.chunk-request-timeout-millis");
    assertThatThrownBy(() -> ConfigLoader.defaults().with("sync.peer-wait-millis", "-1").build(dir))
        .isInstanceOf(ConfigException.class).hasMessageContaining("sync.peer-wait-millis");
    assertThatThrownBy(() -> ConfigLoader.defaults().with("sync.chunk-request-timeout-millis", "60000")
        .with("sync.download-deadline-millis", "30000").build(dir))
        .isInstanceOf(ConfigException.class).hasMessageContaining("sync.download-deadline-millis");
    assertThatThrownBy(() -> ConfigLoader.defaults().with("sync.mode", "fast").build(dir))
        .isInstanceOf(ConfigException.class).hasMessageContaining("sync.mode");
    assertThatThrownBy(() -> ConfigLoader.defaults().with("sync.trust-height", "1000").build(dir))
        .isInstanceOf(ConfigException.class).hasMessageContaining("sync.trust-hash");
    assertThatThrownBy(() -> ConfigLoader.defaults().with("sync.trust-height", "1000").with("sync.trust-hash", "0x12").build(dir))
        .isInstanceOf(ConfigException.class).hasMessageContaining("sync.trust-hash: expected 0x and 64 hex digits");
    assertThatThrownBy(() -> ConfigLoader.defaults().with("sync.snapshot-interval", "100").with("storage.retain-state", "150").build(dir))
        .isInstanceOf(ConfigException.class).hasMessageContaining("storage.retain-state");
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
  void rpcSecurityComesFromItsSectionsWithPasswordsFromAFileOrTheEnvironment() throws Exception {
    Path keystore = Files.writeString(dir.resolve("rpc.p12"), "not read here");
    Path credentials = Files.writeString(dir.resolve("users.toml"), "");
    Files.writeString(dir.resolve("ks.pw"), "from-file\n");
    NodeConfig config = ConfigLoader.defaults()
        .with("rpc.cors-allowed-origins", "https://wallet.example,https://ops.example")
        .with("rpc.admin-enabled", "true")
        .with("rpc-auth.enabled", "true").with("rpc-auth.credentials-file", "users.toml")
        .with("rpc-tls.enabled", "true").with("rpc-tls.keystore-file", "rpc.p12")
        .withEnvironment(Map.of("CAIRN_RPC_TLS_KEYSTORE_PASSWORD", "from-env"))
        .build(dir);
    assertThat(config.rpc().corsAllowedOrigins()).containsExactly("https://wallet.example", "https://ops.example");
    assertThat(config.rpc().adminEnabled()).isTrue();
    assertThat(config.rpc().security().auth().credentialsFile()).contains(credentials);
    assertThat(config.rpc().security().tls().orElseThrow().keystore()).isEqualTo(keystore);
    assertThat(new String(config.rpc().security().tls().orElseThrow().keystorePassword().chars())).isEqualTo("from-env");
    assertThat(config.toString()).doesNotContain("from-env");

    NodeConfig fromFile = ConfigLoader.defaults()
        .with("rpc-tls.enabled", "true").with("rpc-tls.keystore-file", "rpc.p12").with("rpc-tls.keystore-password-file", "ks.pw")
        .build(dir);
    assertThat(new String(fromFile.rpc().security().tls().orElseThrow().keystorePassword().chars())).isEqualTo("from-file");
  }

  @Test
  void rpcSecurityRefusesWhatCouldNeverWork() throws Exception {
    assertThatThrownBy(() -> ConfigLoader.defaults().with("rpc-auth.enabled", "true").build(dir))
        .isInstanceOf(ConfigException.class).hasMessageContaining("neither a credentials file nor a JWT public key");
    assertThatThrownBy(() -> ConfigLoader.defaults().with("rpc-auth.enabled", "true")
        .with("rpc-auth.credentials-file", "missing.toml").build(dir))
        .isInstanceOf(ConfigException.class).hasMessageContaining("missing.toml");
    assertThatThrownBy(() -> ConfigLoader.defaults().with("rpc-tls.enabled", "true").build(dir))
        .isInstanceOf(ConfigException.class).hasMessageContaining("keystore-file");
    Files.writeString(dir.resolve("rpc.p12"), "x");
    assertThatThrownBy(() -> ConfigLoader.defaults().with("rpc-tls.enabled", "true").with("rpc-tls.keystore-file", "rpc.p12")
        .withEnvironment(Map.of()).build(dir))
        .isInstanceOf(ConfigException.class).hasMessageContaining("CAIRN_RPC_TLS_KEYSTORE_PASSWORD");
    assertThatThrownBy(() -> ConfigLoader.defaults().with("rpc-auth.jwt-algorithm", "HS256").build(dir))
        .isInstanceOf(ConfigException.class).hasMessageContaining("RS256, ES256 or EdDSA");
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
