package dev.cairn.genesis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.crypto.Address;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.model.Role;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Any valid config survives write then parse unchanged, and the written text is a fixed point. */
class GenesisRoundTripProperties {

  @Property(tries = 200)
  void writeThenParseIsIdentity(@ForAll("configs") GenesisConfig config) {
    String json = GenesisWriter.toJson(config);
    GenesisConfig back = GenesisParserTest.parse(json).orThrow();
    assertThat(back).isEqualTo(config);
    assertThat(GenesisWriter.toJson(back)).isEqualTo(json);
  }

  @Provide
  Arbitrary<GenesisConfig> configs() {
    Arbitrary<String> chainIds = Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789-").ofMinLength(1).ofMaxLength(64);
    Arbitrary<Long> times = Arbitraries.longs().between(0, 253_402_300_799_999L);
    Arbitrary<ConsensusParameters> consensus = Combinators.combine(
            Arbitraries.longs().between(10, 10_000),
            Arbitraries.longs().between(1, 50_000),
            Arbitraries.longs().between(0, 100_000),
            Arbitraries.integers().between(1, 100_000),
            Arbitraries.integers().between(ConsensusParameters.BLOCK_BYTES_MIN, 64 * 1024 * 1024),
            Arbitraries.of(true, false))
        .as((period, extra, extraMax, txs, bytes, empty) ->
            new ConsensusParameters(period, Math.max(100, period + extra), Math.max(100, period + extra) + extraMax, txs, bytes, empty));
    Arbitrary<List<PublicKey>> keys = keys().list().ofMinSize(1).ofMaxSize(12).uniqueElements();
    Arbitrary<List<GenesisAccount>> accounts = account().list().ofMaxSize(8).uniqueElements(GenesisAccount::address);
    return Combinators.combine(chainIds, times, consensus, keys, accounts, Arbitraries.integers().between(0, 4))
        .as((id, time, params, peers, accs, observerCount) -> {
          int observers = Math.min(observerCount, peers.size() - 1);
          List<PublicKey> validators = new ArrayList<>(peers.subList(0, peers.size() - observers));
          List<PublicKey> observerKeys = new ArrayList<>(peers.subList(peers.size() - observers, peers.size()));
          return new GenesisConfig(id, time, params, validators, accs, observerKeys);
        });
  }

  private Arbitrary<PublicKey> keys() {
    return Arbitraries.bytes().array(byte[].class).ofSize(32).map(b -> new PublicKey(Bytes.wrap(b)));
  }

  private Arbitrary<GenesisAccount> account() {
    Arbitrary<Address> addresses = Arbitraries.bytes().array(byte[].class).ofSize(20).map(b -> new Address(Bytes.wrap(b)));
    Arbitrary<Set<Role>> roles = Arbitraries.of(Role.class).set().ofMaxSize(2);
    return Combinators.combine(addresses, Arbitraries.longs().between(1, 1_000_000_000_000_000L), roles)
        .as((address, balance, r) -> new GenesisAccount(address, balance, r.isEmpty() ? Set.of() : EnumSet.copyOf(r)));
  }
}
