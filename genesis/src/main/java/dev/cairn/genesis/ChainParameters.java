package dev.cairn.genesis;

import dev.cairn.ledger.crypto.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What genesis fixes besides accounts and validators, as stored in the genesis state under
 * {@link GenesisState#PARAMETERS}: the chain id, the consensus parameters and the observer allowlist (sorted,
 * so the stored value does not depend on the file's order).
 */
public record ChainParameters(String chainId, ConsensusParameters consensus, List<PublicKey> observers) {
  public ChainParameters {
    Objects.requireNonNull(chainId, "chainId");
    Objects.requireNonNull(consensus, "consensus");
    List<PublicKey> sorted = new ArrayList<>(observers);
    sorted.sort(null);
    observers = List.copyOf(sorted);
  }

  public static ChainParameters of(GenesisConfig config) {
    return new ChainParameters(config.chainId(), config.consensus(), config.observers());
  }
}
