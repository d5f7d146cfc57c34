package dev.cairn.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * docs/architecture.md, "Modules and what each may depend on": each module uses only the modules under it,
 * nothing uses node (but the tools), the network reads and writes the chain only through its ports, and the
 * libraries that make a module heavy or impure stay where they belong.
 */
@AnalyzeClasses(packages = "dev.cairn", importOptions = ImportOption.DoNotIncludeTests.class)
class ModuleDependencyTest {

  @ArchTest
  static final ArchRule modulesDependOnlyOnTheModulesUnderThem = layeredArchitecture()
      .consideringOnlyDependenciesInLayers()
      .layer("crypto").definedBy(Modules.crypto())
      .layer("ledger").definedBy(Modules.ledgerCore())
      .layer("store").definedBy(Modules.STORE)
      .layer("genesis").definedBy(Modules.GENESIS)
      .layer("consensus").definedBy(Modules.CONSENSUS)
      .layer("p2p").definedBy(Modules.P2P)
      .layer("rpc").definedBy(Modules.rpcServer())
      .layer("rpc-client").definedBy(Modules.RPC_CLIENT)
      .layer("wallet").definedBy(Modules.WALLET)
      .layer("explorer").definedBy(Modules.EXPLORER)
      .layer("mempool").definedBy(Modules.MEMPOOL)
      .layer("network").definedBy(Modules.NETWORK)
      .layer("chain").definedBy(Modules.CHAIN)
      .layer("metrics").definedBy(Modules.METRICS)
      .layer("node").definedBy(Modules.NODE)
      .optionalLayer("tools").definedBy(Modules.TOOLS)
      .whereLayer("crypto").mayNotAccessAnyLayer()
      .whereLayer("ledger").mayOnlyAccessLayers("crypto")
      .whereLayer("store").mayOnlyAccessLayers("crypto", "ledger")
      .whereLayer("genesis").mayOnlyAccessLayers("crypto", "ledger", "p2p")
      .whereLayer("consensus").mayOnlyAccessLayers("crypto", "ledger")
      .whereLayer("p2p").mayOnlyAccessLayers("crypto")
      .whereLayer("rpc").mayOnlyAccessLayers("crypto", "ledger", "rpc-client")
      .whereLayer("rpc-client").mayOnlyAccessLayers("crypto", "ledger")
      .whereLayer("wallet").mayOnlyAccessLayers("crypto", "ledger", "rpc-client")
      .whereLayer("explorer").mayOnlyAccessLayers("rpc")
      .whereLayer("explorer").mayOnlyBeAccessedByLayers("node")
      .whereLayer("mempool").mayOnlyAccessLayers("crypto", "ledger")
      .whereLayer("network").mayOnlyAccessLayers("crypto", "ledger", "genesis", "consensus", "p2p", "mempool")
      .whereLayer("chain").mayOnlyAccessLayers("crypto", "ledger", "store", "mempool")
      .whereLayer("metrics").mayOnlyAccessLayers("crypto", "ledger", "store", "consensus", "p2p", "rpc", "mempool",
          "network", "chain")
      .whereLayer("metrics").mayOnlyBeAccessedByLayers("node", "tools")
      .whereLayer("node").mayOnlyBeAccessedByLayers("tools")
      .whereLayer("tools").mayNotBeAccessedByAnyLayer();

  /**
   * Inside ledger/core: the canonical primitives at the bottom, then the model (which writes the bytes its own
   * hashes are taken over), then the codecs, the state tree and the state transition. The codec depends on
   * the model, never the reverse.
   */
  @ArchTest
  static final ArchRule ledgerCorePackagesAreLayered = layeredArchitecture()
      .consideringOnlyDependenciesInLayers()
      .layer("encoding").definedBy("dev.cairn.ledger.encoding..")
      .layer("model").definedBy("dev.cairn.ledger.model..")
      .layer("codec").definedBy("dev.cairn.ledger.codec..")
      .layer("state").definedBy("dev.cairn.ledger.state..")
      .layer("execution").definedBy("dev.cairn.ledger.execution..")
      .whereLayer("encoding").mayNotAccessAnyLayer()
      .whereLayer("model").mayOnlyAccessLayers("encoding")
      .whereLayer("codec").mayOnlyAccessLayers("encoding", "model")
      .whereLayer("state").mayOnlyAccessLayers("encoding", "model", "codec")
      .whereLayer("execution").mayOnlyAccessLayers("encoding", "model", "codec", "state");

  /** Genesis writes peer IDs into node configs; it has no business with hosts, streams or gossip. */
  @ArchTest
  static final ArchRule genesisUsesOnlyPeerIdsFromP2p = noClasses().that().resideInAPackage(Modules.GENESIS)
      .should().dependOnClassesThat(resideInAPackage(Modules.P2P)
          .and(not(resideInAPackage("dev.cairn.p2p.identity..")))
          .as("p2p classes outside p2p.identity"));

  @ArchTest
  static final ArchRule consensusHasNoStorageAndNoNetwork = noClasses().that().resideInAPackage(Modules.CONSENSUS)
      .should().dependOnClassesThat().resideInAnyPackage(Modules.ROCKSDB, Modules.STORE, Modules.NETTY, Modules.P2P);

  @ArchTest
  static final ArchRule p2pHasNoStorageAndNoConsensus = noClasses().that().resideInAPackage(Modules.P2P)
      .should().dependOnClassesThat().resideInAnyPackage(Modules.ROCKSDB, Modules.STORE, Modules.CONSENSUS);

  /** p2p knows bytes, topics, streams and peer IDs, never blocks or transactions. */
  @ArchTest
  static final ArchRule p2pSeesKeysButNoLedger = noClasses().that().resideInAPackage(Modules.P2P)
      .should().dependOnClassesThat(Modules.ledgerCore());

  /**
   * The network reads the chain, imports blocks, admits transactions and posts consensus events through the
   * small interfaces of network.ports, which the node implements: never the store, the database, the
   * chain's concrete classes or the node's configuration. Of the mempool it knows only its answer (Admission).
   */
  @ArchTest
  static final ArchRule networkUsesTheChainOnlyThroughPorts = noClasses().that().resideInAPackage(Modules.NETWORK)
      .should().dependOnClassesThat().resideInAnyPackage(Modules.ROCKSDB, Modules.STORE, Modules.CHAIN, Modules.NODE,
          "dev.cairn.rpc..", Modules.METRICS)
      .orShould().dependOnClassesThat(resideInAPackage(Modules.MEMPOOL)
          .and(not(nameMatching("dev\\.cairn\\.mempool\\.Admission(\\$.*)?")))
          .as("mempool classes other than Admission"));

  /** The ports are interfaces over ledger types: no protocol, no host, no codec behind them. */
  @ArchTest
  static final ArchRule networkPortsKnowOnlyTheLedger = noClasses().that().resideInAPackage(Modules.NETWORK_PORTS)
      .should().dependOnClassesThat().resideInAnyPackage(Modules.P2P, Modules.CONSENSUS, Modules.NETTY);

  /** The chain is the store, the executor and the mempool: it neither sends nor receives. */
  @ArchTest
  static final ArchRule chainHasNoNetwork = noClasses().that().resideInAPackage(Modules.CHAIN)
      .should().dependOnClassesThat().resideInAnyPackage(Modules.P2P, Modules.NETWORK, Modules.NETTY, Modules.JAVALIN);

  /** The mempool admits and selects; where transactions come from (RPC, gossip) and go to is not its business. */
  @ArchTest
  static final ArchRule mempoolHasNoStorageAndNoNetwork = noClasses().that().resideInAPackage(Modules.MEMPOOL)
      .should().dependOnClassesThat().resideInAnyPackage(Modules.ROCKSDB, Modules.STORE, Modules.NETTY, Modules.P2P,
          Modules.JAVALIN);

  /** The wallet jar stays small: no database, no Netty, no HTTP server. */
  @ArchTest
  static final ArchRule walletHasNoDatabaseNoNettyNoServer = noClasses().that().resideInAPackage(Modules.WALLET)
      .should().dependOnClassesThat().resideInAnyPackage(Modules.ROCKSDB, Modules.NETTY, Modules.JAVALIN);

  /** The ledger's model, codec, state transition and state tree compute; storage is ledger/store's job. */
  @ArchTest
  static final ArchRule ledgerCoreHasNoDatabaseAndNoNetwork = noClasses().that(Modules.ledgerCore())
      .or(Modules.crypto())
      .should().dependOnClassesThat().resideInAnyPackage(Modules.ROCKSDB, Modules.NETTY, Modules.JAVALIN);

  /** JSON-RPC reads the chain through narrow interfaces, never the store itself. */
  @ArchTest
  static final ArchRule rpcReadsNoDatabase = noClasses().that().resideInAPackage("dev.cairn.rpc..")
      .should().dependOnClassesThat().resideInAnyPackage(Modules.ROCKSDB, Modules.STORE);

  /**
   * Metrics are exported by the metrics module alone: the parts count in plain fields and report through
   * small observer interfaces (ConsensusObserver, RpcObserver), so only it knows the Prometheus library.
   */
  @ArchTest
  static final ArchRule onlyMetricsKnowsPrometheus = noClasses().that().resideOutsideOfPackage(Modules.METRICS)
      .should().dependOnClassesThat().resideInAPackage("io.prometheus..");
}
