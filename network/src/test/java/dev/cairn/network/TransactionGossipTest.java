package dev.cairn.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.codec.TransactionCodec;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.model.Payload;
import dev.cairn.ledger.model.Transaction;
import dev.cairn.ledger.state.StateReader;
import dev.cairn.mempool.Admission;
import dev.cairn.mempool.Mempool;
import dev.cairn.mempool.MempoolConfig;
import dev.cairn.mempool.SignatureCache;
import dev.cairn.p2p.gossip.ValidationResult;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A gossiped transaction is relayed only if this node's mempool admits it; invalid in itself is REJECT (the
 * sender misbehaves), refused for local state is IGNORE (another node may see it differently).
 */
class TransactionGossipTest {
  @Test
  void verdictsFollowTheMempoolsAnswer() {
    Mempool mempool = new Mempool("gossip-test", MempoolConfig.DEFAULT, new SignatureCache(100));
    StateReader empty = key -> Optional.empty();
    KeyPair sender = KeyPair.fromSeed(new byte[32]);
    Transaction tx = Transaction.sign("gossip-test", sender, 0, new Payload.Transfer(sender.address(), 1));

    assertThat(TransactionBatchAdmission.verdict(mempool.admit(Bytes.wrap(new byte[] {1, 2, 3}), empty))).isEqualTo(ValidationResult.REJECT);
    Transaction otherChain = Transaction.sign("other-chain", sender, 0, new Payload.Transfer(sender.address(), 1));
    assertThat(TransactionBatchAdmission.verdict(mempool.admit(TransactionCodec.encode(otherChain), empty))).isEqualTo(ValidationResult.REJECT);
    // Not a member in this (empty) state: maybe a member in a peer's newer state, so not the peer's fault.
    assertThat(TransactionBatchAdmission.verdict(mempool.admit(TransactionCodec.encode(tx), empty))).isEqualTo(ValidationResult.IGNORE);
    assertThat(TransactionBatchAdmission.verdict(new Admission.Accepted(TransactionCodec.id(TransactionCodec.encode(tx)))))
        .isEqualTo(ValidationResult.ACCEPT);
    for (Admission.Reason reason : Admission.Reason.values()) {
      assertThat(TransactionBatchAdmission.verdict(new Admission.Rejected(reason, "x"))).isNotEqualTo(ValidationResult.ACCEPT);
    }
  }
}
