package dev.cairn.ledger.model;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.crypto.DomainTag;
import dev.cairn.ledger.crypto.Hashing;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.encoding.CanonicalWriter;
import dev.cairn.ledger.encoding.TypeTag;

/**
 * The canonical bytes that the model's hashes and signatures are taken over: a block header, a validator
 * set, a receipt, a transaction and its signing body (docs/formats.md). They are written here, beside the
 * types, so that {@code header.hash()} or {@code tx.id()} need nothing above the model; the codecs
 * ({@code codec.LedgerCodec}, {@code codec.TransactionCodec}) write these objects through this class and
 * decode them, so each format is still written in one place and the codec depends on the model, not the
 * reverse.
 */
public final class CanonicalForm {
  private CanonicalForm() {}

  // ---- block headers ----

  public static byte[] header(BlockHeader h) {
    CanonicalWriter w = new CanonicalWriter(240);
    writeHeader(w, h);
    return w.toByteArray();
  }

  public static void writeHeader(CanonicalWriter w, BlockHeader h) {
    TypeTag.BLOCK_HEADER.writeTo(w);
    w.u64(h.height()).hash(h.parentHash()).u64(h.timestampMillis()).fixed(h.proposer().bytes()).u32(h.round());
    w.hash(h.txRoot()).hash(h.receiptsRoot()).hash(h.stateRoot()).hash(h.validatorSetHash());
  }

  // ---- validator sets and receipts ----

  public static byte[] validatorSet(ValidatorSet set) {
    CanonicalWriter w = new CanonicalWriter(8 + set.size() * PublicKey.SIZE);
    TypeTag.VALIDATOR_SET.writeTo(w);
    w.u32(set.size());
    for (PublicKey key : set.validators()) {
      w.fixed(key.bytes());
    }
    return w.toByteArray();
  }

  public static byte[] receipt(Receipt receipt) {
    CanonicalWriter w = new CanonicalWriter(40);
    TypeTag.RECEIPT.writeTo(w);
    w.hash(receipt.txId()).u16(receipt.code().code());
    return w.toByteArray();
  }

  // ---- transactions ----

  /** The whole signed transaction: {@code tag(0x01) version(1) body signature[64]}. */
  public static Bytes transaction(Transaction tx) {
    CanonicalWriter w = new CanonicalWriter(160);
    TypeTag.TRANSACTION.writeTo(w);
    writeTransactionBody(w, tx.chainId(), tx.sender(), tx.nonce(), tx.payload());
    w.fixed(tx.signature().bytes());
    return w.toBytes();
  }

  /** What the sender signs: the tagged hash of {@code tag(0x02) version(1) body}. */
  public static Hash signingHash(String chainId, PublicKey sender, long nonce, Payload payload) {
    CanonicalWriter w = new CanonicalWriter(160);
    TypeTag.TRANSACTION_SIGNING.writeTo(w);
    writeTransactionBody(w, chainId, sender, nonce, payload);
    return Hashing.hash(DomainTag.TX_SIGNING, w.toByteArray());
  }

  private static void writeTransactionBody(CanonicalWriter w, String chainId, PublicKey sender, long nonce, Payload payload) {
    w.string(chainId, Limits.CHAIN_ID_BYTES_MAX).fixed(sender.bytes()).u64(nonce).u8(payload.kind().code());
    switch (payload) {
      case Payload.Transfer t -> w.fixed(t.to().bytes()).u64(t.amount());
      case Payload.RecordPut p ->
          w.string(p.key(), Limits.RECORD_KEY_BYTES_MAX).bytes(p.value(), Limits.RECORD_VALUE_BYTES_MAX);
      case Payload.RoleGrant g -> w.fixed(g.account().bytes()).u8(g.role().bit());
      case Payload.RoleRevoke v -> w.fixed(v.account().bytes()).u8(v.role().bit());
      case Payload.ValidatorVote v -> w.fixed(v.validator().bytes()).u8(v.action().ordinal());
    }
  }
}
