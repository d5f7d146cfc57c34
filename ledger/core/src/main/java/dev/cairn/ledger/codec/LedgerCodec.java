package dev.cairn.ledger.codec;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.crypto.Signature;
import dev.cairn.ledger.encoding.CanonicalReader;
import dev.cairn.ledger.encoding.CanonicalWriter;
import dev.cairn.ledger.encoding.CodecException;
import dev.cairn.ledger.encoding.TypeTag;
import dev.cairn.ledger.model.Account;
import dev.cairn.ledger.model.Block;
import dev.cairn.ledger.model.BlockHeader;
import dev.cairn.ledger.model.CanonicalForm;
import dev.cairn.ledger.model.CommitCertificate;
import dev.cairn.ledger.model.CommitSeal;
import dev.cairn.ledger.model.FinalizedBlock;
import dev.cairn.ledger.model.Limits;
import dev.cairn.ledger.model.Receipt;
import dev.cairn.ledger.model.ReceiptCode;
import dev.cairn.ledger.model.Role;
import dev.cairn.ledger.model.Transaction;
import dev.cairn.ledger.model.ValidatorSet;
import dev.cairn.ledger.model.VoteTally;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * Canonical encodings of blocks, headers, certificates, receipts, validator sets and accounts. Lists are a
 * u32 count then the items; a list that must be sorted and unique (seals, validators) is rejected when it is
 * not, because the same set in another order would be a second encoding of one object.
 */
public final class LedgerCodec {
  private LedgerCodec() {}

  // ---- headers and blocks ----

  public static byte[] encode(BlockHeader h) {
    return CanonicalForm.header(h);
  }

  public static BlockHeader decodeHeader(byte[] bytes) {
    CanonicalReader r = new CanonicalReader(bytes);
    BlockHeader h = readHeader(r);
    r.finish("block header");
    return h;
  }

  static BlockHeader readHeader(CanonicalReader r) {
    TypeTag.BLOCK_HEADER.readFrom(r);
    long height = r.u64("height");
    var parent = r.hash("parentHash");
    long timestamp = r.u64("timestamp");
    PublicKey proposer = publicKey(r, "proposer");
    int round = r.u32Bounded("round", Integer.MAX_VALUE);
    return new BlockHeader(
        height, parent, timestamp, proposer, round,
        r.hash("txRoot"), r.hash("receiptsRoot"), r.hash("stateRoot"), r.hash("validatorSetHash"));
  }

  public static byte[] encode(Block block) {
    CanonicalWriter w = new CanonicalWriter(256 + block.transactions().size() * 160);
    writeBlock(w, block);
    return w.toByteArray();
  }

  public static Block decodeBlock(byte[] bytes) {
    checkSize(bytes, Limits.BLOCK_BYTES_MAX, "block");
    CanonicalReader r = new CanonicalReader(bytes);
    Block b = readBlock(r);
    r.finish("block");
    return b;
  }

  static void writeBlock(CanonicalWriter w, Block block) {
    TypeTag.BLOCK.writeTo(w);
    CanonicalForm.writeHeader(w, block.header());
    w.u32(block.transactions().size());
    for (Transaction tx : block.transactions()) {
      w.bytes(TransactionCodec.encode(tx), Limits.TX_BYTES_MAX);
    }
  }

  static Block readBlock(CanonicalReader r) {
    TypeTag.BLOCK.readFrom(r);
    BlockHeader header = readHeader(r);
    int count = r.u32Bounded("transaction count", Limits.BLOCK_TXS_MAX);
    List<Transaction> txs = new ArrayList<>(Math.min(count, 1024));
    for (int i = 0; i < count; i++) {
      txs.add(TransactionCodec.decode(r.bytes("transaction " + i, Limits.TX_BYTES_MAX)));
    }
    return new Block(header, txs);
  }

  // ---- certificates ----

  public static byte[] encode(CommitCertificate c) {
    CanonicalWriter w = new CanonicalWriter(40 + c.seals().size() * 96);
    writeCertificate(w, c);
    return w.toByteArray();
  }

  public static CommitCertificate decodeCertificate(byte[] bytes) {
    CanonicalReader r = new CanonicalReader(bytes);
    CommitCertificate c = readCertificate(r);
    r.finish("commit certificate");
    return c;
  }

  static void writeCertificate(CanonicalWriter w, CommitCertificate c) {
    TypeTag.COMMIT_CERTIFICATE.writeTo(w);
    w.hash(c.blockHash()).u32(c.seals().size());
    for (CommitSeal seal : c.seals()) {
      w.fixed(seal.validator().bytes()).fixed(seal.signature().bytes());
    }
  }

  static CommitCertificate readCertificate(CanonicalReader r) {
    TypeTag.COMMIT_CERTIFICATE.readFrom(r);
    var blockHash = r.hash("certificate blockHash");
    int count = r.u32Bounded("seal count", Limits.VALIDATORS_MAX);
    List<CommitSeal> seals = new ArrayList<>(count);
    PublicKey previous = null;
    for (int i = 0; i < count; i++) {
      PublicKey validator = publicKey(r, "seal validator");
      if (previous != null && previous.compareTo(validator) >= 0) {
        throw new CodecException("certificate: seals not sorted by validator or duplicated");
      }
      previous = validator;
      seals.add(new CommitSeal(validator, new Signature(Bytes.wrap(r.fixed(Signature.SIZE, "seal signature")))));
    }
    return new CommitCertificate(blockHash, seals);
  }

  // ---- finalized blocks (sync and storage) ----

  public static byte[] encode(FinalizedBlock f) {
    CanonicalWriter w = new CanonicalWriter(512 + f.block().transactions().size() * 160);
    TypeTag.FINALIZED_BLOCK.writeTo(w);
    writeBlock(w, f.block());
    writeCertificate(w, f.certificate());
    return w.toByteArray();
  }

  /**
   * The height of an encoded finalized block, read from its header's first field without decoding the rest:
   * a node that already holds that height (it committed the block itself) skips the decoding of thousands of
   * transactions. Bytes that do not start like a finalized block throw {@link CodecException}.
   */
  public static long peekFinalizedBlockHeight(byte[] bytes) {
    CanonicalReader r = new CanonicalReader(bytes);
    TypeTag.FINALIZED_BLOCK.readFrom(r);
    TypeTag.BLOCK.readFrom(r);
    TypeTag.BLOCK_HEADER.readFrom(r);
    return r.u64("height");
  }

  public static FinalizedBlock decodeFinalizedBlock(byte[] bytes) {
    checkSize(bytes, Limits.BLOCK_BYTES_MAX, "finalized block");
    CanonicalReader r = new CanonicalReader(bytes);
    TypeTag.FINALIZED_BLOCK.readFrom(r);
    Block block = readBlock(r);
    CommitCertificate cert = readCertificate(r);
    r.finish("finalized block");
    try {
      return new FinalizedBlock(block, cert);
    } catch (IllegalArgumentException e) {
      throw new CodecException("finalized block: " + e.getMessage());
    }
  }

  // ---- receipts ----

  public static byte[] encode(Receipt receipt) {
    return CanonicalForm.receipt(receipt);
  }

  public static Receipt decodeReceipt(byte[] bytes) {
    CanonicalReader r = new CanonicalReader(bytes);
    Receipt receipt = readReceipt(r);
    r.finish("receipt");
    return receipt;
  }

  private static Receipt readReceipt(CanonicalReader r) {
    TypeTag.RECEIPT.readFrom(r);
    var txId = r.hash("receipt txId");
    int code = r.u16("receipt code");
    try {
      return new Receipt(txId, ReceiptCode.fromCode(code));
    } catch (IllegalArgumentException e) {
      throw new CodecException("receipt: unknown code " + code);
    }
  }

  public static byte[] encodeReceipts(List<Receipt> receipts) {
    CanonicalWriter w = new CanonicalWriter(8 + receipts.size() * 40);
    TypeTag.RECEIPTS.writeTo(w);
    w.u32(receipts.size());
    for (Receipt receipt : receipts) {
      w.hash(receipt.txId()).u16(receipt.code().code());
    }
    return w.toByteArray();
  }

  public static List<Receipt> decodeReceipts(byte[] bytes) {
    CanonicalReader r = new CanonicalReader(bytes);
    TypeTag.RECEIPTS.readFrom(r);
    int count = r.u32Bounded("receipt count", Limits.BLOCK_TXS_MAX);
    List<Receipt> out = new ArrayList<>(Math.min(count, 1024));
    for (int i = 0; i < count; i++) {
      var txId = r.hash("receipt txId");
      int code = r.u16("receipt code");
      try {
        out.add(new Receipt(txId, ReceiptCode.fromCode(code)));
      } catch (IllegalArgumentException e) {
        throw new CodecException("receipt: unknown code " + code);
      }
    }
    r.finish("receipts");
    return out;
  }

  // ---- validator sets and accounts ----

  public static byte[] encode(ValidatorSet set) {
    return CanonicalForm.validatorSet(set);
  }

  public static ValidatorSet decodeValidatorSet(byte[] bytes) {
    CanonicalReader r = new CanonicalReader(bytes);
    TypeTag.VALIDATOR_SET.readFrom(r);
    int count = r.u32Bounded("validator count", Limits.VALIDATORS_MAX);
    if (count == 0) {
      throw new CodecException("validator set: empty");
    }
    List<PublicKey> keys = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      PublicKey key = publicKey(r, "validator");
      if (!keys.isEmpty() && keys.get(keys.size() - 1).compareTo(key) >= 0) {
        throw new CodecException("validator set: not sorted or duplicated");
      }
      keys.add(key);
    }
    r.finish("validator set");
    return new ValidatorSet(keys);
  }

  public static byte[] encode(Account account) {
    CanonicalWriter w = new CanonicalWriter(20);
    TypeTag.ACCOUNT.writeTo(w);
    w.u64(account.balance()).u64(account.nonce()).u8(Role.mask(account.roles()));
    return w.toByteArray();
  }

  public static Account decodeAccount(byte[] bytes) {
    CanonicalReader r = new CanonicalReader(bytes);
    TypeTag.ACCOUNT.readFrom(r);
    long balance = r.u64("balance");
    long nonce = r.u64("nonce");
    int mask = r.u8("roles");
    EnumSet<Role> roles = EnumSet.noneOf(Role.class);
    for (Role role : Role.values()) {
      if ((mask & role.bit()) != 0) {
        roles.add(role);
        mask &= ~role.bit();
      }
    }
    if (mask != 0) {
      throw new CodecException("account: unknown role bits " + mask);
    }
    r.finish("account");
    return new Account(balance, nonce, roles);
  }

  // ---- vote tallies ----

  public static byte[] encode(VoteTally tally) {
    CanonicalWriter w = new CanonicalWriter(8 + tally.voters().size() * PublicKey.SIZE);
    TypeTag.VOTE_TALLY.writeTo(w);
    w.u32(tally.voters().size());
    for (PublicKey key : tally.voters()) {
      w.fixed(key.bytes());
    }
    return w.toByteArray();
  }

  public static VoteTally decodeVoteTally(byte[] bytes) {
    CanonicalReader r = new CanonicalReader(bytes);
    TypeTag.VOTE_TALLY.readFrom(r);
    int count = r.u32Bounded("voter count", Limits.VALIDATORS_MAX);
    if (count == 0) {
      throw new CodecException("vote tally: empty");
    }
    List<PublicKey> keys = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      PublicKey key = publicKey(r, "voter");
      if (!keys.isEmpty() && keys.get(keys.size() - 1).compareTo(key) >= 0) {
        throw new CodecException("vote tally: not sorted or duplicated");
      }
      keys.add(key);
    }
    r.finish("vote tally");
    return new VoteTally(keys);
  }

  static PublicKey publicKey(CanonicalReader r, String field) {
    return new PublicKey(Bytes.wrap(r.fixed(PublicKey.SIZE, field)));
  }

  private static void checkSize(byte[] bytes, int max, String what) {
    if (bytes.length > max) {
      throw new CodecException(what + ": " + bytes.length + " bytes exceeds limit " + max);
    }
  }
}
