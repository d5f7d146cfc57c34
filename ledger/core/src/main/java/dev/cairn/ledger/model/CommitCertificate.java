package dev.cairn.ledger.model;

import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.crypto.PublicKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Proof that a block is final: commit seals over its hash from at least a quorum of the validators of its
 * height. Anyone who knows that validator set can check it with {@link #verify}. Seals are kept sorted by
 * validator key and unique, so a certificate has one canonical encoding.
 */
public record CommitCertificate(Hash blockHash, List<CommitSeal> seals) {
  public CommitCertificate {
    Objects.requireNonNull(blockHash, "blockHash");
    List<CommitSeal> sorted = new ArrayList<>(seals);
    sorted.sort(Comparator.comparing(CommitSeal::validator));
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).validator().equals(sorted.get(i - 1).validator())) {
        throw new IllegalArgumentException("two seals from validator " + sorted.get(i).validator());
      }
    }
    if (sorted.size() > Limits.VALIDATORS_MAX) {
      throw new IllegalArgumentException("more seals than validators allowed");
    }
    seals = List.copyOf(sorted);
  }

  /** Checks that the certificate is for {@code expectedBlockHash} and carries a quorum of valid seals. */
  public Validation verify(Hash expectedBlockHash, ValidatorSet validators) {
    if (!blockHash.equals(expectedBlockHash)) {
      return Validation.invalid("certificate_wrong_block", "certificate is for " + blockHash.shortHex());
    }
    int valid = 0;
    for (CommitSeal seal : seals) {
      PublicKey signer = seal.validator();
      if (!validators.contains(signer)) {
        return Validation.invalid("seal_from_non_validator", "seal from " + signer + " not in validator set");
      }
      if (!seal.verify(blockHash)) {
        return Validation.invalid("seal_bad_signature", "bad seal signature from " + signer);
      }
      valid++;
    }
    if (valid < validators.quorum()) {
      return Validation.invalid(
          "certificate_below_quorum", valid + " seals, quorum is " + validators.quorum());
    }
    return Validation.VALID;
  }
}
