package dev.cairn.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;

/**
 * The modules of docs/architecture.md by the packages they own. Maven already refuses a dependency a pom does
 * not declare; these let the rules say the same thing about packages, and say it where a pom cannot (the
 * packages inside one module, and what a module may use from a library).
 */
final class Modules {
  static final String CRYPTO = "dev.cairn.ledger.bytes..|dev.cairn.ledger.crypto..";
  static final String STORE = "dev.cairn.ledger.store..";
  static final String GENESIS = "dev.cairn.genesis..";
  static final String CONSENSUS = "dev.cairn.consensus..";
  static final String P2P = "dev.cairn.p2p..";
  static final String RPC_CLIENT = "dev.cairn.rpc.client..";
  static final String WALLET = "dev.cairn.wallet..";
  static final String EXPLORER = "dev.cairn.explorer..";
  static final String MEMPOOL = "dev.cairn.mempool..";
  static final String NETWORK = "dev.cairn.network..";
  static final String NETWORK_PORTS = "dev.cairn.network.ports..";
  static final String CHAIN = "dev.cairn.chain..";
  static final String METRICS = "dev.cairn.metrics..";
  static final String NODE = "dev.cairn.node..";
  static final String TOOLS = "dev.cairn.tools..";

  static final String ROCKSDB = "org.rocksdb..";
  static final String NETTY = "io.netty..";
  static final String JAVALIN = "io.javalin..";

  private Modules() {}

  static DescribedPredicate<JavaClass> crypto() {
    return resideInAnyPackage(CRYPTO.split("\\|")).as("crypto");
  }

  /** ledger/core: every ledger package that ledger/crypto and ledger/store do not own. */
  static DescribedPredicate<JavaClass> ledgerCore() {
    return resideInAPackage("dev.cairn.ledger..")
        .and(DescribedPredicate.not(resideInAnyPackage(CRYPTO.split("\\|"))))
        .and(DescribedPredicate.not(resideInAPackage(STORE)))
        .as("ledger/core");
  }

  /** rpc without its client package, which the wallet and the tools may use. */
  static DescribedPredicate<JavaClass> rpcServer() {
    return resideInAPackage("dev.cairn.rpc..").and(DescribedPredicate.not(resideInAPackage(RPC_CLIENT))).as("rpc");
  }
}
