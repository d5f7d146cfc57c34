package dev.cairn.ledger.model;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.crypto.Address;
import dev.cairn.ledger.crypto.PublicKey;
import java.util.Objects;

/** What a transaction does. Each kind validates its own fields on construction. */
public sealed interface Payload {
  TxKind kind();

  /** Moves {@code amount} (> 0) from the sender to {@code to}. */
  record Transfer(Address to, long amount) implements Payload {
    public Transfer {
      Objects.requireNonNull(to, "to");
      if (amount <= 0) {
        throw new IllegalArgumentException("transfer amount must be positive, got " + amount);
      }
    }

    @Override
    public TxKind kind() {
      return TxKind.TRANSFER;
    }
  }

  /** Writes {@code value} under {@code key} in the sender's own namespace (replacing any earlier value). */
  record RecordPut(String key, Bytes value) implements Payload {
    public RecordPut {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
      int keyBytes = Text.utf8Length("record key", key);
      if (keyBytes == 0 || keyBytes > Limits.RECORD_KEY_BYTES_MAX) {
        throw new IllegalArgumentException(
            "record key must have 1.." + Limits.RECORD_KEY_BYTES_MAX + " bytes, got " + keyBytes);
      }
      if (value.size() > Limits.RECORD_VALUE_BYTES_MAX) {
        throw new IllegalArgumentException(
            "record value must have at most " + Limits.RECORD_VALUE_BYTES_MAX + " bytes, got " + value.size());
      }
    }

    @Override
    public TxKind kind() {
      return TxKind.RECORD_PUT;
    }
  }

  /** Admin only: gives {@code role} to {@code account}. */
  record RoleGrant(Address account, Role role) implements Payload {
    public RoleGrant {
      Objects.requireNonNull(account, "account");
      Objects.requireNonNull(role, "role");
    }

    @Override
    public TxKind kind() {
      return TxKind.ROLE_GRANT;
    }
  }

  /** Admin only: takes {@code role} away from {@code account}. */
  record RoleRevoke(Address account, Role role) implements Payload {
    public RoleRevoke {
      Objects.requireNonNull(account, "account");
      Objects.requireNonNull(role, "role");
    }

    @Override
    public TxKind kind() {
      return TxKind.ROLE_REVOKE;
    }
  }

  /** Validators only: a vote to add or remove {@code validator}; applied once more than 2/3 agree. */
  record ValidatorVote(PublicKey validator, VoteAction action) implements Payload {
    public ValidatorVote {
      Objects.requireNonNull(validator, "validator");
      Objects.requireNonNull(action, "action");
    }

    @Override
    public TxKind kind() {
      return TxKind.VALIDATOR_VOTE;
    }
  }

  enum VoteAction {
    ADD,
    REMOVE
  }
}
