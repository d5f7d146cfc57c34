package dev.cairn.rpc;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.crypto.Address;
import dev.cairn.ledger.model.Account;
import dev.cairn.ledger.model.BlockHeader;
import dev.cairn.ledger.model.CommitCertificate;
import dev.cairn.ledger.model.FinalizedBlock;
import dev.cairn.ledger.model.IncludedTransaction;
import dev.cairn.ledger.model.ValidatorSet;
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

  /** A block's header with its commit certificate: what a proof needs, kept even where the body was pruned. */
  record CertifiedHeader(BlockHeader header, CommitCertificate certificate) {}

  /**
   * The header and certificate of block {@code height}; empty above the head. Implementations that prune block
   * bodies override this so that proofs at such heights still carry their header.
   */
  default Optional<CertifiedHeader> certifiedHeader(long height) {
    return blockByHeight(height).map(block -> new CertifiedHeader(block.block().header(), block.certificate()));
  }
}
