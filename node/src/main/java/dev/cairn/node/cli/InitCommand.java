package dev.cairn.node.cli;

import dev.cairn.genesis.GenesisBlock;
import dev.cairn.genesis.GenesisConfig;
import dev.cairn.ledger.store.ChainHead;
import dev.cairn.ledger.store.ChainStore;
import dev.cairn.node.Node;
import dev.cairn.node.config.NodeConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "init", mixinStandardHelpOptions = true,
    description = "Create the node's data dir from genesis.json (commits the genesis block) without starting the node.")
final class InitCommand implements Callable<Integer> {
  @Mixin NodeOptions options;

  @Override
  public Integer call() throws Exception {
    NodeConfig config = options.load();
    GenesisConfig genesis = Node.readGenesis(config);
    try (ChainStore store = Node.openStore(config, genesis)) {
      ChainHead head = store.head().orElseThrow();
      System.out.println("data dir   " + config.dataDir());
      System.out.println("chain id   " + genesis.chainId());
      System.out.println("genesis    " + GenesisBlock.of(genesis).hash().toHex());
      System.out.println("head       height " + head.height() + " " + head.hash().toHex());
    }
    return 0;
  }
}
