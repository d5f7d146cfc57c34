package dev.cairn.rpc;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.crypto.Address;
import dev.cairn.ledger.model.Account;
import dev.cairn.ledger.model.BlockHeader;
import dev.cairn.ledger.model.CommitCertificate;
import dev.cairn.ledger.model.AccountActivity;
import dev.cairn.ledger.model.HistoryPage;
import dev.cairn.ledger.model.Receipt;
import dev.cairn.ledger.model.RecordChange;
import dev.cairn.ledger.model.TxPosition;
import dev.cairn.ledger.model.FinalizedBlock;
import dev.cairn.ledger.model.IncludedTransaction;
import dev.cairn.ledger.model.Payload;
import dev.cairn.ledger.model.ValidatorSet;
import java.util.List;
import java.util.Optional;

/**
 * What the RPC reads from the finalized chain. The node implements it over its chain store; every method may
 * be called concurrently from request threads and must not block for long. Storage failures surface as the
 * node's unchecked exceptions, which the RPC answers as an internal error without detail; data the node pruned
 * (a block body, the state of an old height) is answered by throwing an {@code RpcFailure} with
 * {@code BLOCK_PRUNED} or {@code STATE_UNAVAILABLE} that says from which height the node keeps it.
 */
public interface ChainView {
  String chainId();

  /** Height of the latest finalized block (0 is genesis). */
  long headHeight();

  Optional<FinalizedBlock> blockByHeight(long height);

  Optional<FinalizedBlock> blockByHash(Hash blockHash);

  /** Where a finalized transaction sits, with its receipt; empty if no finalized block holds it. */
  Optional<IncludedTransaction> transaction(Hash txId);

  /** An account at the head; {@link Account#EMPTY} if it was never written. */
  Account account(Address address);

  /** A record's value at the head, if set. */
  Optional<Bytes> record(Address owner, String recordKey);

  /** The validators that finalize block {@code height}; empty above the head. */
  Optional<ValidatorSet> validators(long height);

  /** A proof of one state key against the state root of block {@code height}; empty if that state is gone. */
  Optional<ProvenValue> proof(long height, Hash stateKey);

  /**
   * The validator-set changes, as (candidate, action), that have a tally pending at the head. State keeps each
   * tally under a hash of (candidate, action), which cannot be listed, so the node names them from an index of
   * the votes it saw; the RPC proves each against a certified state root. The index may have moved on by the
   * time a proof is read: a change named here whose tally is then absent is left out.
   */
  List<Payload.ValidatorVote> pendingVoteChanges();

  /** A block's header with its commit certificate: what a proof needs, kept even where the body was pruned. */
  record CertifiedHeader(BlockHeader header, CommitCertificate certificate) {}

  /**
   * The header and certificate of block {@code height}; empty above the head. Implementations that prune block
   * bodies override this so that proofs at such heights still carry their header.
   */
  default Optional<CertifiedHeader> certifiedHeader(long height) {
    return blockByHeight(height).map(block -> new CertifiedHeader(block.block().header(), block.certificate()));
  }

  /** The receipts of block {@code height}, one per transaction in order; empty above the head. */
  Optional<List<Receipt>> receipts(long height);

  /**
   * One page of an account's history, newest first: the finalized transactions it sent or that name it.
   * {@code before}: the previous page's cursor (entries strictly older come), empty for the newest;
   * {@code limit}: 1..{@link #HISTORY_PAGE_ENTRIES_MAX}.
   */
  HistoryPage<AccountActivity> accountHistory(Address account, Optional<TxPosition> before, int limit);

  /** One page of the values a record took (its successful puts), newest first; cursor and limit as above. */
  HistoryPage<RecordChange> recordHistory(Address owner, String recordKey, Optional<TxPosition> before, int limit);

  /** The most entries a history page may hold, whatever the RPC's own (lower) limit. */
  int HISTORY_PAGE_ENTRIES_MAX = 1_000;
}
