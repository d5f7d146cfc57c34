package dev.cairn.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.codec.LedgerCodec;
import dev.cairn.ledger.codec.TransactionCodec;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.model.Account;
import dev.cairn.ledger.model.Payload;
import dev.cairn.ledger.model.Role;
import dev.cairn.ledger.model.Transaction;
import dev.cairn.ledger.state.StateKeys;
import dev.cairn.ledger.state.StateReader;
import dev.cairn.mempool.Mempool;
import dev.cairn.mempool.MempoolConfig;
import dev.cairn.mempool.SignatureCache;
import dev.cairn.p2p.gossip.ValidationResult;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A gossiped batch through a real mempool: the batch verdict and one proposer wake-up per batch. */
class TransactionBatchAdmissionTest {
  private static final String CHAIN = "batch-test";
  private final KeyPair alice = KeyPair.fromSeedText("alice");
  private final KeyPair mallory = KeyPair.fromSeedText("mallory");
  private final Map<Hash, Bytes> accounts = Map.of(StateKeys.account(alice.address()),
      Bytes.wrap(LedgerCodec.encode(new Account(1_000, 0, Set.of(Role.MEMBER)))));
  private final StateReader state = key -> Optional.ofNullable(accounts.get(key));
  private final Mempool mempool = new Mempool(CHAIN, MempoolConfig.DEFAULT, new SignatureCache(100));
  private final AtomicInteger wakes = new AtomicInteger();
  private final TransactionBatchAdmission admission =
      new TransactionBatchAdmission((txs, stop) -> mempool.admitBatch(txs, state, stop), wakes::incrementAndGet);

  private Bytes transfer(String chain, KeyPair from, long nonce) {
    return TransactionCodec.encode(Transaction.sign(chain, from, nonce, new Payload.Transfer(alice.address(), 1)));
  }

  private ValidationResult admit(Bytes... txs) {
    return admission.admit(TransactionBatchCodec.encode(List.of(txs)));
  }

  @Test
  void acceptsWhenAnyIsAdmittedAndWakesTheProposerOncePerBatch() {
    assertThat(admit(transfer(CHAIN, alice, 0), transfer(CHAIN, alice, 1), transfer(CHAIN, alice, 2)))
        .isEqualTo(ValidationResult.ACCEPT);
    assertThat(mempool.size()).isEqualTo(3);
    assertThat(wakes).hasValue(1);
    // One new among duplicates is still news worth relaying.
    assertThat(admit(transfer(CHAIN, alice, 0), transfer(CHAIN, alice, 3))).isEqualTo(ValidationResult.ACCEPT);
    assertThat(wakes).hasValue(2);
  }

  @Test
  void ignoresWhenEveryTransactionIsRefusedOnlyForLocalState() {
    admit(transfer(CHAIN, alice, 0));
    int before = wakes.get();
    // A duplicate, and a sender that is no member here (it may be one in a peer's newer state).
    assertThat(admit(transfer(CHAIN, alice, 0), transfer(CHAIN, mallory, 0))).isEqualTo(ValidationResult.IGNORE);
    assertThat(wakes).hasValue(before);
  }

  @Test
  void rejectsAMalformedBatchOrOneHoldingATransactionInvalidInItself() {
    assertThat(admission.admit(new byte[] {1, 0, 0, 0, 1, 0, 0, 0, 3, 1, 2})).isEqualTo(ValidationResult.REJECT);
    assertThat(admit(Bytes.wrap(new byte[] {1, 2, 3}))).isEqualTo(ValidationResult.REJECT);
    assertThat(admit(transfer("other-chain", alice, 0))).isEqualTo(ValidationResult.REJECT);
    byte[] forged = transfer(CHAIN, alice, 0).toArray();
    forged[forged.length - 1] ^= 1; // the signature is last
    assertThat(admit(transfer(CHAIN, alice, 0), Bytes.wrap(forged), transfer(CHAIN, alice, 1)))
        .isEqualTo(ValidationResult.REJECT);
    assertThat(mempool.size()).as("the valid tx before the forged one stays; the one after is never checked").isEqualTo(1);
    assertThat(wakes).as("the admitted one still wakes the proposer").hasValue(1);
  }
}
