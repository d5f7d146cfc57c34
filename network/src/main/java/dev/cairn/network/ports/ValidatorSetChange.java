package dev.cairn.network.ports;

import dev.cairn.ledger.model.BlockHeader;
import dev.cairn.ledger.model.CommitCertificate;
import dev.cairn.ledger.model.ValidatorSet;
import dev.cairn.ledger.state.StateProof;
import java.util.Objects;

/**
 * Evidence that the validator set changed after {@code lastHeader}: the last block the old set finalized, its
 * certificate (checkable with the old set), the set in force from the height after, and the proof that the
 * state after that block holds it under {@code StateKeys.VALIDATOR_SET}. A header commits only to the set that
 * finalizes it, so the new set is trusted through the old set's certificate over the state root, never through
 * its own signatures.
 */
public record ValidatorSetChange(BlockHeader lastHeader, CommitCertificate lastCertificate, ValidatorSet next,
    StateProof proof) {
  public ValidatorSetChange {
    Objects.requireNonNull(lastHeader, "lastHeader");
    Objects.requireNonNull(lastCertificate, "lastCertificate");
    Objects.requireNonNull(next, "next");
    Objects.requireNonNull(proof, "proof");
  }

  /** The first height the new set finalizes. */
  public long inForceFrom() {
    return lastHeader.height() + 1;
  }
}
