package dev.cairn.ledger.state;

import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.crypto.Address;
import dev.cairn.ledger.crypto.DomainTag;
import dev.cairn.ledger.crypto.Hashing;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.model.Payload;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Where each piece of state lives in the authenticated tree. Keys are tagged hashes of a namespace byte and
 * the item's identity, so keys spread uniformly over the tree (no attacker-chosen deep paths) and two
 * namespaces never collide.
 */
public final class StateKeys {
  private static final byte ACCOUNT = 1;
  private static final byte RECORD = 2;
  private static final byte VALIDATORS = 3;
  private static final byte VOTE = 4;

  /** The single key holding the current validator set (the set for the next height). */
  public static final Hash VALIDATOR_SET = key(VALIDATORS, new byte[0]);

  private StateKeys() {}

  public static Hash account(Address address) {
    return key(ACCOUNT, address.bytes().unsafeArray());
  }

  /** A record under {@code owner}'s namespace; the key text is length-prefixed so (owner, key) is unambiguous. */
  public static Hash record(Address owner, String recordKey) {
    byte[] text = recordKey.getBytes(StandardCharsets.UTF_8);
    MessageDigest digest = Hashing.start(DomainTag.STATE_KEY);
    digest.update(RECORD);
    digest.update(owner.bytes().unsafeArray());
    digest.update((byte) (text.length >>> 8));
    digest.update((byte) text.length);
    digest.update(text);
    return Hashing.finish(digest);
  }

  /** The set of validators that voted for one proposed change. */
  public static Hash vote(PublicKey candidate, Payload.VoteAction action) {
    MessageDigest digest = Hashing.start(DomainTag.STATE_KEY);
    digest.update(VOTE);
    digest.update(candidate.bytes().unsafeArray());
    digest.update((byte) action.ordinal());
    return Hashing.finish(digest);
  }

  private static Hash key(byte namespace, byte[] identity) {
    MessageDigest digest = Hashing.start(DomainTag.STATE_KEY);
    digest.update(namespace);
    digest.update(identity);
    return Hashing.finish(digest);
  }
}
