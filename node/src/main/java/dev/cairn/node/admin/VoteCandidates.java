package dev.cairn.node.admin;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.codec.LedgerCodec;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.model.FinalizedBlock;
import dev.cairn.ledger.model.Payload;
import dev.cairn.ledger.model.Transaction;
import dev.cairn.ledger.model.ValidatorSet;
import dev.cairn.ledger.model.VoteTally;
import dev.cairn.ledger.state.StateKeys;
import dev.cairn.ledger.store.ChainStore;
import dev.cairn.rpc.admin.NodeAdmin;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pending validator-set votes for {@code cairn_getValidatorVotes} (which proves each) and
 * {@code admin_validatorVotes}. State keeps each tally under a hash of (candidate,
 * action), which cannot be listed; so this index remembers which keys were ever voted to be added (from the
 * ValidatorVote transactions of every committed block, persisted in the store's metadata with the height it
 * reached), while removals can only concern the current validators. A query reads the live tally of each.
 */
public final class VoteCandidates {
  private static final Logger log = LoggerFactory.getLogger(VoteCandidates.class);
  /** Most add-candidates remembered; past it the oldest are forgotten (their tallies long settled, as a rule). */
  public static final int CANDIDATES_MAX = 4_096;
  static final String CANDIDATES_KEY = "admin.vote-candidates";
  static final String HEIGHT_KEY = "admin.vote-candidates.height";
  private static final int BACKFILL_BLOCKS_PER_READ = 256;
  private static final long BACKFILL_BYTES_PER_READ = 64L << 20;

  private final ChainStore store;
  private final Supplier<ValidatorSet> validators;
  private final LinkedHashSet<PublicKey> candidates = new LinkedHashSet<>();
  private long indexedHeight;

  /** Loads the index and brings it up to the store's head (a node upgraded mid-chain reads its blocks once). */
  public VoteCandidates(ChainStore store, Supplier<ValidatorSet> validators) {
    this.store = store;
    this.validators = validators;
    store.getMeta(CANDIDATES_KEY).ifPresent(bytes -> {
      byte[] raw = bytes.unsafeArray();
      for (int at = 0; at + PublicKey.SIZE <= raw.length; at += PublicKey.SIZE) {
        candidates.add(new PublicKey(Bytes.wrap(java.util.Arrays.copyOfRange(raw, at, at + PublicKey.SIZE))));
      }
    });
    indexedHeight = store.getMeta(HEIGHT_KEY).map(b -> ByteBuffer.wrap(b.unsafeArray()).getLong()).orElse(0L);
    backfill();
  }

  private synchronized void backfill() {
    long head = store.head().map(h -> h.height()).orElse(0L);
    if (indexedHeight >= head) {
      return;
    }
    long started = System.nanoTime();
    long from = indexedHeight + 1;
    while (from <= head) {
      List<FinalizedBlock> blocks = store.blocks(from, BACKFILL_BLOCKS_PER_READ, BACKFILL_BYTES_PER_READ);
      if (blocks.isEmpty()) {
        break;
      }
      for (FinalizedBlock block : blocks) {
        collect(block);
      }
      from = blocks.getLast().block().height() + 1;
    }
    indexedHeight = from - 1;
    persist();
    log.info("event=vote_index_backfilled to_height={} candidates={} took_ms={}", indexedHeight, candidates.size(),
        (System.nanoTime() - started) / 1_000_000);
  }

  /** The node's commit listener (on the consensus thread). */
  public synchronized void onCommit(FinalizedBlock block) {
    boolean grew = collect(block);
    indexedHeight = block.block().height();
    if (grew) {
      persist(); // the height is persisted with it; without a new candidate a restart re-reads a few blocks, no more
    }
  }

  private boolean collect(FinalizedBlock block) {
    boolean grew = false;
    for (Transaction tx : block.block().transactions()) {
      if (tx.payload() instanceof Payload.ValidatorVote vote && vote.action() == Payload.VoteAction.ADD) {
        candidates.remove(vote.validator()); // re-inserted as the newest
        candidates.add(vote.validator());
        grew = true;
      }
    }
    while (candidates.size() > CANDIDATES_MAX) {
      Iterator<PublicKey> oldest = candidates.iterator();
      oldest.next();
      oldest.remove();
    }
    return grew;
  }

  private void persist() {
    ByteBuffer keys = ByteBuffer.allocate(candidates.size() * PublicKey.SIZE);
    candidates.forEach(key -> keys.put(key.bytes().unsafeArray()));
    store.putMeta(CANDIDATES_KEY, Bytes.wrap(keys.array()));
    store.putMeta(HEIGHT_KEY, Bytes.wrap(ByteBuffer.allocate(8).putLong(indexedHeight).array()));
  }

  /** Every change with a live tally at the head: additions of remembered candidates, removals of validators. */
  public List<NodeAdmin.ValidatorVote> pending() {
    ValidatorSet set = validators.get();
    List<NodeAdmin.ValidatorVote> out = new ArrayList<>();
    forEachPending(set, (change, tally) -> out.add(vote(change.validator(), change.action(), tally, set)));
    return out;
  }

  /** The changes of {@link #pending()}, without their tallies: what the public RPC proves one by one. */
  public List<Payload.ValidatorVote> pendingChanges() {
    List<Payload.ValidatorVote> out = new ArrayList<>();
    forEachPending(validators.get(), (change, tally) -> out.add(change));
    return out;
  }

  private void forEachPending(ValidatorSet set, java.util.function.BiConsumer<Payload.ValidatorVote, VoteTally> each) {
    Set<PublicKey> adds;
    synchronized (this) {
      adds = Set.copyOf(candidates);
    }
    for (PublicKey candidate : adds) {
      Payload.ValidatorVote change = new Payload.ValidatorVote(candidate, Payload.VoteAction.ADD);
      tally(candidate, Payload.VoteAction.ADD).ifPresent(t -> each.accept(change, t));
    }
    for (PublicKey validator : set.validators()) {
      Payload.ValidatorVote change = new Payload.ValidatorVote(validator, Payload.VoteAction.REMOVE);
      tally(validator, Payload.VoteAction.REMOVE).ifPresent(t -> each.accept(change, t));
    }
  }

  private Optional<VoteTally> tally(PublicKey candidate, Payload.VoteAction action) {
    return store.state().get(StateKeys.vote(candidate, action)).map(b -> LedgerCodec.decodeVoteTally(b.unsafeArray()));
  }

  private static NodeAdmin.ValidatorVote vote(PublicKey candidate, Payload.VoteAction action, VoteTally tally, ValidatorSet set) {
    return new NodeAdmin.ValidatorVote("0x" + candidate.toHex(), action.name().toLowerCase(java.util.Locale.ROOT),
        tally.voters().stream().map(k -> "0x" + k.toHex()).toList(), tally.countIn(set), set.size(), 2 * set.size() / 3 + 1);
  }
}
