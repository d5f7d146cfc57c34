package dev.cairn.genesis;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.codec.LedgerCodec;
import dev.cairn.ledger.crypto.DomainTag;
import dev.cairn.ledger.crypto.Hashing;
import dev.cairn.ledger.state.StateChanges;
import dev.cairn.ledger.state.StateKeys;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The state a chain starts from: one entry per genesis account ({@link StateKeys#account}), the validator set
 * ({@link StateKeys#VALIDATOR_SET}) and the chain parameters ({@link #PARAMETERS}). Because the parameters
 * live in the state, the state root, and with it the genesis hash, commits to the chain id, the consensus
 * parameters and the observers: two nodes that disagree on any of them disagree on the genesis hash and never
 * join each other's chain.
 */
public final class GenesisState {
  /**
   * Where the chain parameters live. Hashed under the genesis tag rather than the state-key tag, so it can
   * never collide with a key in one of {@link StateKeys}' namespaces, present or future.
   */
  public static final Hash PARAMETERS =
      Hashing.hash(DomainTag.GENESIS, "chain-parameters".getBytes(StandardCharsets.US_ASCII));

  private GenesisState() {}

  public static StateChanges changes(GenesisConfig config) {
    SortedMap<Hash, Optional<Bytes>> writes = new TreeMap<>();
    for (GenesisAccount account : config.accounts()) {
      writes.put(StateKeys.account(account.address()), Optional.of(Bytes.wrap(LedgerCodec.encode(account.toAccount()))));
    }
    writes.put(StateKeys.VALIDATOR_SET, Optional.of(Bytes.wrap(LedgerCodec.encode(config.validatorSet()))));
    writes.put(PARAMETERS, Optional.of(ChainParametersCodec.encode(ChainParameters.of(config))));
    if (writes.size() != config.accounts().size() + 2) {
      // Distinct addresses hash to distinct keys; a clash here means a broken key derivation, not bad input.
      throw new IllegalStateException("genesis state keys collided: " + writes.size() + " writes for "
          + (config.accounts().size() + 2) + " entries");
    }
    return new StateChanges(writes);
  }
}
