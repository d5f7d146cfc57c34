package dev.cairn.tools.testnet;

import dev.cairn.genesis.GenesisAccount;
import dev.cairn.genesis.network.GeneratedNetwork;
import dev.cairn.genesis.network.NetworkGenerator;
import dev.cairn.genesis.network.NetworkSpec;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.model.Role;
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
   * Generates the network of {@code spec} under {@code dir}, its genesis also holding {@code accounts}, each
   * with {@code balance} and the member role.
   */
  public static GeneratedNetwork write(NetworkSpec spec, Path dir, List<KeyPair> accounts, long balance) {
    List<GenesisAccount> funded = new ArrayList<>();
    accounts.forEach(a -> funded.add(new GenesisAccount(a.address(), balance, EnumSet.of(Role.MEMBER))));
    return new NetworkGenerator(KeyPair::generate).generate(spec, dir, funded);
  }
}
