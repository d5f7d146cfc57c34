package dev.cairn.adversary;

import dev.cairn.genesis.GenesisConfig;
import dev.cairn.genesis.GenesisParser;
import dev.cairn.ledger.crypto.KeyFiles;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.p2p.identity.Multiaddr;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What an attacker inside the network holds: the chain's genesis, a key the network admits (a validator's
 * for a Byzantine validator, an observer's for an allow-listed peer), the honest nodes to connect to
 * ({@code /ip4/../tcp/../p2p/..}, one connection each), and a scratch directory for its copy of the chain.
 */
record NetworkAccess(GenesisConfig genesis, KeyPair key, List<Multiaddr> targets, Path scratchDir) {
  NetworkAccess {
    Objects.requireNonNull(genesis, "genesis");
    Objects.requireNonNull(key, "key");
    targets = List.copyOf(targets);
    Objects.requireNonNull(scratchDir, "scratchDir");
    if (targets.isEmpty()) {
      throw new IllegalArgumentException("at least one target");
    }
  }

  static NetworkAccess load(Path genesisFile, Path keyFile, List<String> targets, Path scratchDir) {
    return new NetworkAccess(GenesisParser.read(genesisFile).orThrow(), KeyFiles.readNodeKey(keyFile),
        targets.stream().map(Multiaddr::parse).toList(), scratchDir);
  }
}
