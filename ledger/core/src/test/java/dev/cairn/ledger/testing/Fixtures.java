package dev.cairn.ledger.testing;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.crypto.Address;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.model.Payload;
import dev.cairn.ledger.model.Role;
import dev.cairn.ledger.model.Transaction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Deterministic keys and signed transactions for tests of every module. Keys are derived from a name, so
 * "alice" is the same key in every test and every run.
 */
public final class Fixtures {
  public static final String CHAIN_ID = "cairn-test";

  private Fixtures() {}

  public static KeyPair key(String name) {
    return KeyPair.fromSeedText("cairn-test-key/" + name);
  }

  /** {@code count} keys named prefix-0, prefix-1, ... */
  public static List<KeyPair> keys(String prefix, int count) {
    List<KeyPair> keys = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      keys.add(key(prefix + "-" + i));
    }
    return keys;
  }

  public static Transaction transfer(KeyPair from, long nonce, Address to, long amount) {
    return Transaction.sign(CHAIN_ID, from, nonce, new Payload.Transfer(to, amount));
  }

  public static Transaction recordPut(KeyPair from, long nonce, String key, String value) {
    return Transaction.sign(
        CHAIN_ID, from, nonce, new Payload.RecordPut(key, Bytes.wrap(value.getBytes(StandardCharsets.UTF_8))));
  }

  public static Transaction grant(KeyPair admin, long nonce, Address account, Role role) {
    return Transaction.sign(CHAIN_ID, admin, nonce, new Payload.RoleGrant(account, role));
  }

  public static Transaction revoke(KeyPair admin, long nonce, Address account, Role role) {
    return Transaction.sign(CHAIN_ID, admin, nonce, new Payload.RoleRevoke(account, role));
  }

  public static Transaction vote(KeyPair validator, long nonce, PublicKey candidate, Payload.VoteAction action) {
    return Transaction.sign(CHAIN_ID, validator, nonce, new Payload.ValidatorVote(candidate, action));
  }

  /** The same transaction with one byte of its signature flipped: decodes fine, fails verification. */
  public static Transaction withBadSignature(Transaction tx) {
    byte[] sig = tx.signature().bytes().toArray();
    sig[0] ^= 1;
    return new Transaction(
        tx.chainId(), tx.sender(), tx.nonce(), tx.payload(), new dev.cairn.ledger.crypto.Signature(Bytes.wrap(sig)));
  }
}
