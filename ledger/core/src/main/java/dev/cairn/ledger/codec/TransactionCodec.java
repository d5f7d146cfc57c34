package dev.cairn.ledger.codec;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.crypto.Address;
import dev.cairn.ledger.crypto.DomainTag;
import dev.cairn.ledger.crypto.Hashing;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.crypto.Signature;
import dev.cairn.ledger.encoding.CanonicalReader;
import dev.cairn.ledger.encoding.CodecException;
import dev.cairn.ledger.encoding.TypeTag;
import dev.cairn.ledger.model.CanonicalForm;
import dev.cairn.ledger.model.Limits;
import dev.cairn.ledger.model.Payload;
import dev.cairn.ledger.model.Role;
import dev.cairn.ledger.model.Transaction;

/**
 * The canonical transaction encoding:
 *
 * <pre>
 * tx        = tag(0x01) version(1) body signature[64]
 * body      = chainId:string sender[32] nonce:u64 kind:u8 payload
 * payload   = TRANSFER:       to[20] amount:u64
 *           | RECORD_PUT:     key:string value:bytes
 *           | ROLE_GRANT/REVOKE: account[20] role:u8
 *           | VALIDATOR_VOTE: validator[32] action:u8 (0 add, 1 remove)
 * signing   = tag(0x02) version(1) body       (hashed under TX_SIGNING, then signed)
 * </pre>
 */
public final class TransactionCodec {
  private TransactionCodec() {}

  public static Bytes encode(Transaction tx) {
    return CanonicalForm.transaction(tx);
  }

  public static Transaction decode(Bytes bytes) {
    return decode(bytes.unsafeArray());
  }

  /** Decodes exactly one transaction; any deviation from the canonical form is a {@link CodecException}. */
  public static Transaction decode(byte[] bytes) {
    if (bytes.length > Limits.TX_BYTES_MAX) {
      throw new CodecException("transaction: " + bytes.length + " bytes exceeds limit " + Limits.TX_BYTES_MAX);
    }
    CanonicalReader r = new CanonicalReader(bytes);
    Transaction tx = read(r);
    r.finish("transaction");
    return tx;
  }

  /** Reads one transaction from inside a larger encoding. */
  public static Transaction read(CanonicalReader r) {
    TypeTag.TRANSACTION.readFrom(r);
    String chainId = r.string("chainId", Limits.CHAIN_ID_BYTES_MAX);
    PublicKey sender = new PublicKey(Bytes.wrap(r.fixed(PublicKey.SIZE, "sender")));
    long nonce = r.u64("nonce");
    Payload payload = readPayload(r);
    Signature signature = new Signature(Bytes.wrap(r.fixed(Signature.SIZE, "signature")));
    try {
      return new Transaction(chainId, sender, nonce, payload, signature);
    } catch (IllegalArgumentException e) {
      throw new CodecException("transaction: " + e.getMessage());
    }
  }

  public static Hash signingHash(String chainId, PublicKey sender, long nonce, Payload payload) {
    return CanonicalForm.signingHash(chainId, sender, nonce, payload);
  }

  public static Hash id(Transaction tx) {
    return Hashing.hash(DomainTag.TX_ID, encode(tx));
  }

  /** The id of already-encoded transaction bytes (saves a re-encode on the hot path). */
  public static Hash id(Bytes encoded) {
    return Hashing.hash(DomainTag.TX_ID, encoded);
  }

  private static Payload readPayload(CanonicalReader r) {
    int kind = r.u8("kind");
    try {
      return switch (kind) {
        case 1 -> new Payload.Transfer(address(r, "to"), r.u64("amount"));
        case 2 -> new Payload.RecordPut(
            r.string("record key", Limits.RECORD_KEY_BYTES_MAX), r.bytes("record value", Limits.RECORD_VALUE_BYTES_MAX));
        case 3 -> new Payload.RoleGrant(address(r, "account"), role(r));
        case 4 -> new Payload.RoleRevoke(address(r, "account"), role(r));
        case 5 -> new Payload.ValidatorVote(
            new PublicKey(Bytes.wrap(r.fixed(PublicKey.SIZE, "validator"))), voteAction(r));
        default -> throw new CodecException("kind: unknown transaction kind " + kind);
      };
    } catch (IllegalArgumentException e) {
      throw new CodecException("payload: " + e.getMessage());
    }
  }

  static Address address(CanonicalReader r, String field) {
    return new Address(Bytes.wrap(r.fixed(Address.SIZE, field)));
  }

  private static Role role(CanonicalReader r) {
    int code = r.u8("role");
    try {
      return Role.fromCode(code);
    } catch (IllegalArgumentException e) {
      throw new CodecException("role: unknown role code " + code);
    }
  }

  private static Payload.VoteAction voteAction(CanonicalReader r) {
    int code = r.u8("vote action");
    Payload.VoteAction[] actions = Payload.VoteAction.values();
    if (code >= actions.length) {
      throw new CodecException("vote action: unknown code " + code);
    }
    return actions[code];
  }
}
