package dev.cairn.adversary;

import dev.cairn.consensus.message.ConsensusMessage;
import dev.cairn.consensus.message.MessageBody;
import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.codec.LedgerCodec;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.model.Block;
import dev.cairn.ledger.model.Limits;
import dev.cairn.ledger.model.Payload;
import dev.cairn.ledger.model.Transaction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finding 1 of issue 14, played by a Byzantine proposer against real nodes: get a block close to
 * {@code blockBytesMax} locked by honest validators without being committed, then fall silent, so that every
 * later round must re-propose that block with its prepared certificate.
 *
 * <p>At a height where it proposes in round 0 it builds a block L of {@code 4 KiB} records signed by a member
 * account it holds (as large as the chain admits), and a block M of the same records with another timestamp
 * (as large, another hash). L goes to every target but the last, M to the last, at the same moment, so each
 * node's first copy comes straight from us (a relayed copy crosses one more hop and one more validation);
 * then a PREPARE for L. The nodes that took L see a quorum of prepares (their two and ours), lock on L and
 * commit; the last node took M and does not prepare L; our COMMIT never comes, so L has two commits of the
 * three it needs. From then on we say nothing. The honest nodes' round changes carry the lock, and the next
 * proposer must re-propose L (block plus certificate) for the chain to go on.
 *
 * <p>If the last node got L first anyway (a race the attacker can lose), L is simply committed in round 0
 * ({@code committed_without_lock}) and the attack tries again at its next turn, up to {@code attemptsMax}.
 *
 * <p>Report: {@code attempts}, {@code block_bytes} and {@code block_txs} (of the last L), {@code
 * locked_commits_seen} (honest COMMITs of L in round 0: nodes that locked), {@code round_changes_with_lock}
 * (honest ROUND_CHANGEs carrying L's certificate), {@code reproposals_seen} (proposals of L in a later round),
 * {@code locked_block_finalized} (L became final after a re-proposal), {@code committed_without_lock}.
 */
public record LockLargeBlockThenSilent(NetworkAccess access, KeyPair member, int attemptsMax) implements Attack {
  /** Record value size: the largest a record may hold. */
  private static final int RECORD_VALUE_BYTES = Limits.RECORD_VALUE_BYTES_MAX;

  @Override
  public String name() {
    return "lock-large-block-then-silent";
  }

  @Override
  public AttackReport run(Duration duration) throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + duration.toNanos();
    Map<String, Long> m = new LinkedHashMap<>();
    for (String counter : List.of("attempts", "block_bytes", "block_txs", "locked_commits_seen",
        "round_changes_with_lock", "reproposals_seen", "locked_block_finalized", "committed_without_lock")) {
      m.put(counter, 0L);
    }
    try (ByzantineValidator byz = ByzantineValidator.join(access)) {
      Observed observed = new Observed();
      byz.onMessage(observed::note);
      while (m.get("attempts") < attemptsMax && m.get("locked_block_finalized") == 0) {
        long nonce = byz.chain.nonce(member.publicKey());
        List<Transaction> records = records(byz, nonce);
        // Built once on the current head while waiting: every record's signature is then verified and cached,
        // so that at our turn building takes execution only (the honest nodes wait one round timeout for us).
        byz.chain.build(records, byz.self(), 0, System.currentTimeMillis());
        long height = byz.awaitOwnTurn(deadline);
        if (height < 0) {
          break;
        }
        if (byz.chain.nonce(member.publicKey()) != nonce) {
          records = records(byz, byz.chain.nonce(member.publicKey()));
        }
        long now = System.currentTimeMillis();
        Block locked = byz.chain.build(records, byz.self(), 0, now);
        Block decoy = ShadowChain.retimed(locked, locked.header().timestampMillis() + 1); // same size, other hash
        observed.watch(height, locked.hash(), byz.self());
        ConsensusMessage lockedProposal = byz.proposal(locked, 0);
        ConsensusMessage decoyProposal = byz.proposal(decoy, 0);
        int last = byz.faces.size() - 1;
        for (int i = 0; i < last; i++) {
          byz.sendTo(i, lockedProposal);
        }
        byz.sendTo(last, decoyProposal);
        byz.sendToAll(byz.prepare(height, 0, locked.hash()));
        m.merge("attempts", 1L, Long::sum);
        m.put("block_bytes", (long) LedgerCodec.encode(locked).length);
        m.put("block_txs", (long) locked.transactions().size());
        // Silent from here on: wait until the honest nodes finalize the height without us.
        if (!byz.awaitHeight(height, deadline)) {
          break;
        }
        boolean ours = byz.chain.block(height).map(b -> b.block().hash().equals(locked.hash())).orElse(false);
        if (ours && !observed.reproposalRounds.isEmpty()) {
          m.merge("locked_block_finalized", 1L, Long::sum);
        } else if (ours) {
          m.merge("committed_without_lock", 1L, Long::sum);
        }
        m.put("locked_commits_seen", (long) observed.commits.size());
        m.put("round_changes_with_lock", (long) observed.roundChanges.size());
        m.put("reproposals_seen", (long) observed.reproposalRounds.size());
      }
    }
    return new AttackReport(name(), (System.nanoTime() - start) / 1_000_000, m);
  }

  /** Records of the largest size from the member, consecutive nonces from {@code nonce}: more than a block holds. */
  private List<Transaction> records(ByzantineValidator byz, long nonce) {
    String chainId = access.genesis().chainId();
    int count = access.genesis().consensus().blockBytesMax() / RECORD_VALUE_BYTES + 2;
    count = Math.min(count, access.genesis().consensus().blockTxsMax());
    List<Transaction> out = new ArrayList<>(count);
    byte[] value = new byte[RECORD_VALUE_BYTES];
    for (int i = 0; i < count; i++) {
      value[0] = (byte) i;
      value[1] = (byte) (i >>> 8);
      out.add(Transaction.sign(chainId, member, nonce + i,
          new Payload.RecordPut("lock-" + (nonce + i), Bytes.wrap(value.clone()))));
    }
    return out;
  }

  /** What the honest nodes say about the watched block, from the consensus messages they relay. */
  private static final class Observed {
    volatile long height = -1;
    volatile Hash block;
    volatile PublicKey self;
    final Set<PublicKey> commits = ConcurrentHashMap.newKeySet();
    final Set<PublicKey> roundChanges = ConcurrentHashMap.newKeySet();
    /** Rounds above 0 in which an honest proposer re-proposed the watched block. */
    final Set<Integer> reproposalRounds = ConcurrentHashMap.newKeySet();

    void watch(long height, Hash block, PublicKey self) {
      commits.clear();
      roundChanges.clear();
      reproposalRounds.clear();
      this.self = self;
      this.block = block;
      this.height = height;
    }

    void note(ConsensusMessage message) {
      if (message.height() != height || message.author().equals(self)) {
        return;
      }
      switch (message.body()) {
        case MessageBody.Commit c when c.blockHash().equals(block) && message.round() == 0 -> commits.add(message.author());
        case MessageBody.RoundChange rc when rc.prepared().map(p -> p.blockHash().equals(block)).orElse(false) ->
            roundChanges.add(message.author());
        case MessageBody.Proposal p when message.round() > 0 && p.block().hash().equals(block) ->
            reproposalRounds.add(message.round());
        default -> { }
      }
    }
  }
}
