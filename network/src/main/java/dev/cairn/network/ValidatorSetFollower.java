package dev.cairn.network;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.codec.LedgerCodec;
import dev.cairn.ledger.model.CommitCertificate;
import dev.cairn.ledger.model.FinalizedBlock;
import dev.cairn.ledger.model.Validation;
import dev.cairn.ledger.model.ValidatorSet;
import dev.cairn.ledger.state.StateKeys;
import dev.cairn.ledger.state.StateProof;
import dev.cairn.network.ports.ValidatorSetChange;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A light client of the validator set: it starts from a set it trusts (genesis's, in force from height 0) and
 * adopts each later set only through a {@link ValidatorSetChange} that the set it trusts certified, in height
 * order, so that it ends trusting the set in force at a recent height and can check that height's certificate.
 * It keeps the current set and the hashes of the sets it left (at most {@code changesMax}), nothing else: what a
 * peer sends is checked and dropped. Each refusal names its reason:
 * <ul>
 *   <li>{@code change_not_ascending}: the change is not above the last one adopted;</li>
 *   <li>{@code skipped_validator_set_change}: the block before the change was not finalized by the trusted set
 *       (the peer left out a change in between);</li>
 *   <li>{@code set_change_certificate_invalid}: the trusted set did not certify that block (forged seals);</li>
 *   <li>{@code set_change_proof_invalid}: the state after that block does not hold the claimed set;</li>
 *   <li>{@code not_a_change}: the claimed set is the trusted one;</li>
 *   <li>{@code too_many_set_changes}: more than {@code changesMax} changes followed in one sync.</li>
 * </ul>
 * A target header is refused with {@code stale_validator_set} when it names a set already left (a header of an
 * old set after it changed), {@code validator_set_not_followed} when it names a set not reached yet (ask for
 * more changes), or the certificate's own reason.
 */
public final class ValidatorSetFollower {
  private final int changesMax;
  private final Map<Hash, Long> retired = new HashMap<>();
  private ValidatorSet trusted;
  private long inForceFrom;

  /** Trusts {@code set} from {@code inForceFrom} on; follows at most {@code changesMax} changes. */
  public ValidatorSetFollower(ValidatorSet set, long inForceFrom, int changesMax) {
    if (inForceFrom < 0 || changesMax < 0) {
      throw new IllegalArgumentException("inForceFrom and changesMax must be non-negative");
    }
    this.trusted = set;
    this.inForceFrom = inForceFrom;
    this.changesMax = changesMax;
  }

  public ValidatorSet trusted() {
    return trusted;
  }

  /** The height from which {@link #trusted} finalizes blocks. */
  public long inForceFrom() {
    return inForceFrom;
  }

  public int changesFollowed() {
    return retired.size();
  }

  /** Checks {@code change} against the trusted set and, when it holds, adopts its new set. */
  public Validation follow(ValidatorSetChange change) {
    long height = change.lastHeader().height();
    if (change.inForceFrom() <= inForceFrom) {
      return Validation.invalid("change_not_ascending", "a change in force from " + change.inForceFrom()
          + " is not above the last adopted, in force from " + inForceFrom);
    }
    if (!change.lastHeader().validatorSetHash().equals(trusted.hash())) {
      return Validation.invalid("skipped_validator_set_change", "block " + height + " names validator set "
          + change.lastHeader().validatorSetHash().shortHex() + ", not the trusted " + trusted.hash().shortHex()
          + " in force from " + inForceFrom + ": a change in between is missing");
    }
    Validation certified = change.lastCertificate().verify(change.lastHeader().hash(), trusted);
    if (certified instanceof Validation.Invalid invalid) {
      return Validation.invalid("set_change_certificate_invalid", "block " + height + ": " + invalid);
    }
    Validation proven = StateProof.verify(change.lastHeader().stateRoot(), StateKeys.VALIDATOR_SET,
        Optional.of(Bytes.wrap(LedgerCodec.encode(change.next()))), change.proof());
    if (proven instanceof Validation.Invalid invalid) {
      return Validation.invalid("set_change_proof_invalid", "state after block " + height + ": " + invalid);
    }
    if (change.next().equals(trusted)) {
      return Validation.invalid("not_a_change", "the state after block " + height + " holds the trusted set");
    }
    if (retired.size() >= changesMax) {
      return Validation.invalid("too_many_set_changes", "followed " + retired.size() + " changes, limit " + changesMax
          + "; start from a trusted height and hash instead");
    }
    retired.put(trusted.hash(), change.inForceFrom());
    trusted = change.next();
    inForceFrom = change.inForceFrom();
    return Validation.VALID;
  }

  /** Checks that the trusted set, as followed so far, finalized {@code block}. */
  public Validation trust(FinalizedBlock block) {
    Hash named = block.block().header().validatorSetHash();
    long height = block.block().height();
    if (height < inForceFrom) {
      return Validation.invalid("block_before_trusted_set", "block " + height + " is below height " + inForceFrom
          + " where the trusted set took over");
    }
    if (!named.equals(trusted.hash())) {
      Long leftAt = retired.get(named);
      return leftAt != null
          ? Validation.invalid("stale_validator_set", "block " + height + " names set " + named.shortHex()
              + ", replaced from height " + leftAt)
          : Validation.invalid("validator_set_not_followed", "block " + height + " names set " + named.shortHex()
              + "; the set followed so far (in force from " + inForceFrom + ") is " + trusted.hash().shortHex());
    }
    CommitCertificate certificate = block.certificate();
    return certificate.verify(block.block().hash(), trusted);
  }
}
