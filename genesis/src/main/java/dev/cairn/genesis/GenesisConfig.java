package dev.cairn.genesis;

import dev.cairn.ledger.crypto.Address;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.model.Limits;
import dev.cairn.ledger.model.ValidatorSet;
import dev.cairn.ledger.state.SparseMerkleTree;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The content of a {@code genesis.json}: everything that defines a chain before its first block. Lists keep
 * the file's order (so a rewritten file reads like the original); the genesis hash does not depend on that
 * order, because the validator set, the state and the observer list are canonically sorted before hashing.
 *
 * @param chainId 1 to 64 characters of {@code [a-z0-9-]}; every transaction names it
 * @param genesisTimeMillis the genesis block's timestamp, milliseconds since the Unix epoch (the file holds it
 *     as RFC 3339 text)
 * @param validators the validators of height 0 and 1, by Ed25519 public key
 * @param accounts accounts created at genesis
 * @param observers non-validator peers allowed onto the network, by Ed25519 public key (their libp2p identity)
 */
public record GenesisConfig(
    String chainId,
    long genesisTimeMillis,
    ConsensusParameters consensus,
    List<PublicKey> validators,
    List<GenesisAccount> accounts,
    List<PublicKey> observers) {

  public static final Pattern CHAIN_ID = Pattern.compile("[a-z0-9-]{1," + Limits.CHAIN_ID_BYTES_MAX + "}");
  public static final int ACCOUNTS_MAX = 100_000;
  /**
   * The validator set is one state value (2 tag bytes, a u32 count, 32 bytes per key), so it must fit the
   * state tree's value limit: 511 validators, tighter than the codec's {@link Limits#VALIDATORS_MAX}.
   */
  public static final int VALIDATORS_MAX =
      Math.min(Limits.VALIDATORS_MAX, (SparseMerkleTree.VALUE_BYTES_MAX - 6) / PublicKey.SIZE);
  /** The observers are part of the chain-parameters state value, which must fit the same limit. */
  public static final int OBSERVERS_MAX = 256;

  public GenesisConfig {
    Objects.requireNonNull(chainId, "chainId");
    Objects.requireNonNull(consensus, "consensus");
    validators = List.copyOf(validators);
    accounts = List.copyOf(accounts);
    observers = List.copyOf(observers);
    Optional<FieldProblem> problem = check(chainId, genesisTimeMillis, validators, accounts, observers);
    if (problem.isPresent()) {
      throw new IllegalArgumentException(problem.get().toString());
    }
  }

  /**
   * The checks that span the whole document (field-local ones live where the field is parsed); the first
   * problem names its field, e.g. {@code validators[3].publicKey: duplicate of validators[1]}.
   */
  public static Optional<FieldProblem> check(
      String chainId, long genesisTimeMillis, List<PublicKey> validators, List<GenesisAccount> accounts,
      List<PublicKey> observers) {
    if (!CHAIN_ID.matcher(chainId).matches()) {
      return Optional.of(new FieldProblem("chainId",
          "must be 1 to " + Limits.CHAIN_ID_BYTES_MAX + " characters of a-z, 0-9 and '-'"));
    }
    if (genesisTimeMillis < 0) {
      return Optional.of(new FieldProblem("genesisTime", "must not be before 1970-01-01T00:00:00Z"));
    }
    if (validators.isEmpty()) {
      return Optional.of(new FieldProblem("validators", "needs at least one validator"));
    }
    if (validators.size() > VALIDATORS_MAX) {
      return Optional.of(new FieldProblem("validators", "at most " + VALIDATORS_MAX + " validators"));
    }
    if (accounts.size() > ACCOUNTS_MAX) {
      return Optional.of(new FieldProblem("accounts", "at most " + ACCOUNTS_MAX + " accounts"));
    }
    if (observers.size() > OBSERVERS_MAX) {
      return Optional.of(new FieldProblem("observers", "at most " + OBSERVERS_MAX + " observers"));
    }
    Map<PublicKey, String> peers = new HashMap<>();
    for (int i = 0; i < validators.size(); i++) {
      String field = "validators[" + i + "]";
      String earlier = peers.putIfAbsent(validators.get(i), field);
      if (earlier != null) {
        return Optional.of(new FieldProblem(field + ".publicKey", "duplicate of " + earlier));
      }
    }
    for (int i = 0; i < observers.size(); i++) {
      String field = "observers[" + i + "]";
      String earlier = peers.putIfAbsent(observers.get(i), field);
      if (earlier != null) {
        return Optional.of(new FieldProblem(field + ".publicKey", "duplicate of " + earlier));
      }
    }
    return checkAccounts(accounts);
  }

  private static Optional<FieldProblem> checkAccounts(List<GenesisAccount> accounts) {
    Map<Address, Integer> seen = new HashMap<>();
    long supply = 0;
    for (int i = 0; i < accounts.size(); i++) {
      GenesisAccount account = accounts.get(i);
      Integer earlier = seen.putIfAbsent(account.address(), i);
      if (earlier != null) {
        return Optional.of(new FieldProblem("accounts[" + i + "]", "same address as accounts[" + earlier + "]"));
      }
      try {
        supply = Math.addExact(supply, account.balance());
      } catch (ArithmeticException e) {
        return Optional.of(new FieldProblem("accounts[" + i + "].balance",
            "total of all balances exceeds " + Long.MAX_VALUE));
      }
    }
    return Optional.empty();
  }

  /** The validator set of height 0 (and of height 1: genesis executes no votes). */
  public ValidatorSet validatorSet() {
    return new ValidatorSet(validators);
  }

  /** Every peer the network-level allowlist admits: the validators and the observers. */
  public Set<PublicKey> allowedPeers() {
    Set<PublicKey> peers = new HashSet<>(validators);
    peers.addAll(observers);
    return Set.copyOf(peers);
  }
}
