package dev.cairn.tools.testnet;

import dev.cairn.genesis.GenesisAccount;
import dev.cairn.genesis.GenesisConfig;
import dev.cairn.genesis.GenesisWriter;
import dev.cairn.genesis.network.GeneratedNetwork;
import dev.cairn.genesis.network.NetworkGenerator;
import dev.cairn.genesis.network.NetworkSpec;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.model.Role;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * A {@code cairn genesis new-network} layout whose genesis also funds the tool's own accounts (member role): the
 * bench's senders, the chaos campaign's clients. One place, so the tools' throwaway chains are built alike.
 */
public final class FundedNetwork {
  private FundedNetwork() {}

  /**
   * Generates the network of {@code spec} under {@code dir}, then replaces its genesis by one with the same
   * validators, observers and parameters plus {@code accounts}, each holding {@code balance}. Safe only
   * before any node started on it; these chains exist for one tool run.
   */
  public static GeneratedNetwork write(NetworkSpec spec, Path dir, List<KeyPair> accounts, long balance) {
    GeneratedNetwork network = new NetworkGenerator(KeyPair::generate).generate(spec, dir);
    List<GenesisAccount> funded = new ArrayList<>(network.genesis().accounts());
    accounts.forEach(a -> funded.add(new GenesisAccount(a.address(), balance, EnumSet.of(Role.MEMBER))));
    GenesisConfig g = network.genesis();
    try {
      Files.delete(dir.resolve(NetworkGenerator.GENESIS_FILE));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot replace the generated genesis", e);
    }
    GenesisWriter.write(dir.resolve(NetworkGenerator.GENESIS_FILE),
        new GenesisConfig(g.chainId(), g.genesisTimeMillis(), g.consensus(), g.validators(), funded, g.observers()));
    return network;
  }
}
