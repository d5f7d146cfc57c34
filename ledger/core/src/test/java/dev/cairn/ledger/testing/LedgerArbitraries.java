package dev.cairn.ledger.testing;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.crypto.Address;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.crypto.Signature;
import dev.cairn.ledger.model.Account;
import dev.cairn.ledger.model.Block;
import dev.cairn.ledger.model.BlockHeader;
import dev.cairn.ledger.model.CommitCertificate;
import dev.cairn.ledger.model.CommitSeal;
import dev.cairn.ledger.model.FinalizedBlock;
import dev.cairn.ledger.model.Limits;
import dev.cairn.ledger.model.Payload;
import dev.cairn.ledger.model.Receipt;
import dev.cairn.ledger.model.ReceiptCode;
import dev.cairn.ledger.model.Role;
import dev.cairn.ledger.model.Transaction;
import dev.cairn.ledger.model.ValidatorSet;
import dev.cairn.ledger.model.VoteTally;
import java.util.EnumSet;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * jqwik generators for every ledger object. Keys and signatures are random bytes (the codec does not care
 * whether they verify); strings are valid Unicode within the format's limits, sometimes at the limit.
 */
public final class LedgerArbitraries {
  private LedgerArbitraries() {}

  public static Arbitrary<byte[]> bytes(int size) {
    return Arbitraries.bytes().array(byte[].class).ofSize(size);
  }

  public static Arbitrary<Hash> hashes() {
    return bytes(Hash.SIZE).map(Hash::wrap);
  }

  public static Arbitrary<PublicKey> publicKeys() {
    return bytes(PublicKey.SIZE).map(b -> new PublicKey(Bytes.wrap(b)));
  }

  public static Arbitrary<Signature> signatures() {
    return bytes(Signature.SIZE).map(b -> new Signature(Bytes.wrap(b)));
  }

  public static Arbitrary<Address> addresses() {
    return bytes(Address.SIZE).map(b -> new Address(Bytes.wrap(b)));
  }

  public static Arbitrary<Long> u64() {
    return Arbitraries.oneOf(
        Arbitraries.longs().between(0, Long.MAX_VALUE), Arbitraries.of(0L, 1L, 255L, 256L, Long.MAX_VALUE));
  }

  /** Text of 1..maxBytes UTF-8 bytes: ASCII, other BMP characters, and supplementary (4-byte) ones. */
  public static Arbitrary<String> text(int maxBytes) {
    Arbitrary<String> codePoints = Arbitraries.oneOf(
            Arbitraries.integers().between(0x20, 0x7E),
            Arbitraries.integers().between(0xA0, 0xD7FF),
            Arbitraries.integers().between(0x1F300, 0x1F6FF))
        .map(Character::toString);
    return codePoints.list().ofMinSize(1).ofMaxSize(maxBytes / 4).map(parts -> String.join("", parts));
  }

  public static Arbitrary<Payload> payloads() {
    Arbitrary<Payload> transfer =
        Combinators.combine(addresses(), Arbitraries.longs().between(1, Long.MAX_VALUE)).as(Payload.Transfer::new);
    Arbitrary<Bytes> values = Arbitraries.oneOf(
        bytes(0).map(Bytes::wrap),
        Arbitraries.bytes().array(byte[].class).ofMaxSize(64).map(Bytes::wrap),
        bytes(Limits.RECORD_VALUE_BYTES_MAX).map(Bytes::wrap));
    Arbitrary<Payload> put = Combinators.combine(text(Limits.RECORD_KEY_BYTES_MAX), values).as(Payload.RecordPut::new);
    Arbitrary<Payload> grant = Combinators.combine(addresses(), Arbitraries.of(Role.class)).as(Payload.RoleGrant::new);
    Arbitrary<Payload> revoke = Combinators.combine(addresses(), Arbitraries.of(Role.class)).as(Payload.RoleRevoke::new);
    Arbitrary<Payload> vote =
        Combinators.combine(publicKeys(), Arbitraries.of(Payload.VoteAction.class)).as(Payload.ValidatorVote::new);
    return Arbitraries.oneOf(transfer, put, grant, revoke, vote);
  }

  public static Arbitrary<Transaction> transactions() {
    return Combinators.combine(text(Limits.CHAIN_ID_BYTES_MAX), publicKeys(), u64(), payloads(), signatures())
        .as(Transaction::new);
  }

  public static Arbitrary<BlockHeader> headers() {
    return Combinators.combine(
            Combinators.combine(u64(), hashes(), u64(), publicKeys(), Arbitraries.integers().between(0, Integer.MAX_VALUE))
                .as(List::<Object>of),
            Combinators.combine(hashes(), hashes(), hashes(), hashes()).as(List::<Object>of))
        .as((a, b) -> new BlockHeader((Long) a.get(0), (Hash) a.get(1), (Long) a.get(2), (PublicKey) a.get(3),
            (Integer) a.get(4), (Hash) b.get(0), (Hash) b.get(1), (Hash) b.get(2), (Hash) b.get(3)));
  }

  public static Arbitrary<Block> blocks() {
    return Combinators.combine(headers(), transactions().list().ofMaxSize(4)).as(Block::new);
  }

  public static Arbitrary<CommitCertificate> certificates() {
    return Combinators.combine(hashes(), seals()).as(CommitCertificate::new);
  }

  private static Arbitrary<List<CommitSeal>> seals() {
    return publicKeys().list().ofMaxSize(6).uniqueElements()
        .flatMap(keys -> signatures().list().ofSize(keys.size())
            .map(sigs -> java.util.stream.IntStream.range(0, keys.size())
                .mapToObj(i -> new CommitSeal(keys.get(i), sigs.get(i))).toList()));
  }

  public static Arbitrary<FinalizedBlock> finalizedBlocks() {
    return Combinators.combine(blocks(), seals()).as((b, s) -> new FinalizedBlock(b, new CommitCertificate(b.hash(), s)));
  }

  public static Arbitrary<Receipt> receipts() {
    return Combinators.combine(hashes(), Arbitraries.of(ReceiptCode.class)).as(Receipt::new);
  }

  public static Arbitrary<ValidatorSet> validatorSets() {
    return publicKeys().list().ofMinSize(1).ofMaxSize(8).uniqueElements().map(ValidatorSet::new);
  }

  public static Arbitrary<VoteTally> voteTallies() {
    return publicKeys().list().ofMinSize(1).ofMaxSize(8).uniqueElements().map(VoteTally::new);
  }

  public static Arbitrary<Account> accounts() {
    return Combinators.combine(u64(), u64(), Arbitraries.of(Role.class).set())
        .as((balance, nonce, roles) -> new Account(balance, nonce, roles.isEmpty() ? EnumSet.noneOf(Role.class) : EnumSet.copyOf(roles)));
  }
}
