package dev.cairn.genesis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.codec.LedgerCodec;
import dev.cairn.ledger.model.Account;
import dev.cairn.ledger.model.Role;
import dev.cairn.ledger.state.StateChanges;
import dev.cairn.ledger.state.StateKeys;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GenesisStateTest {

  @Test
  void theStateHoldsEveryAccountTheValidatorSetAndTheParameters() {
    GenesisConfig config = GenesisFixtures.config();
    StateChanges changes = GenesisState.changes(config);
    assertThat(changes.size()).isEqualTo(config.accounts().size() + 2);

    Optional<Bytes> admin = changes.writes().get(StateKeys.account(GenesisFixtures.key("admin").address()));
    assertThat(LedgerCodec.decodeAccount(admin.orElseThrow().toArray()))
        .isEqualTo(new Account(1_000_000, 0, Set.of(Role.ADMIN, Role.MEMBER)));
    Optional<Bytes> treasury = changes.writes().get(StateKeys.account(GenesisFixtures.key("treasury").address()));
    assertThat(LedgerCodec.decodeAccount(treasury.orElseThrow().toArray())).isEqualTo(new Account(42, 0, Set.of()));

    Optional<Bytes> validators = changes.writes().get(StateKeys.VALIDATOR_SET);
    assertThat(LedgerCodec.decodeValidatorSet(validators.orElseThrow().toArray())).isEqualTo(config.validatorSet());

    Optional<Bytes> parameters = changes.writes().get(GenesisState.PARAMETERS);
    assertThat(ChainParametersCodec.decode(parameters.orElseThrow())).isEqualTo(ChainParameters.of(config));
  }

  @Test
  void theParametersKeyIsOutsideEveryLedgerNamespace() {
    GenesisConfig config = GenesisFixtures.config();
    assertThat(GenesisState.PARAMETERS).isNotEqualTo(StateKeys.VALIDATOR_SET);
    for (GenesisAccount account : config.accounts()) {
      assertThat(GenesisState.PARAMETERS).isNotEqualTo(StateKeys.account(account.address()));
    }
  }

  @Test
  void theAllowlistIsTheValidatorsAndTheObservers() {
    GenesisConfig config = GenesisFixtures.config();
    assertThat(config.allowedPeers())
        .hasSize(6)
        .containsAll(config.validators())
        .containsAll(config.observers())
        .doesNotContain(GenesisFixtures.key("admin"));
  }
}
