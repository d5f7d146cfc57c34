package dev.cairn.consensus;

import dev.cairn.consensus.message.SignedMessage;
import dev.cairn.ledger.crypto.PublicKey;

/**
 * Proof that a validator signed two different PREPAREs, two different COMMITs, or (as proposer) two different
 * PROPOSALs for one (height, round): both signed messages, each verifiable by anyone who knows the validator's
 * key. Reported once per (height, round, kind, validator), however many more the validator sends.
 */
public record Evidence(SignedMessage first, SignedMessage second) {
  public Evidence {
    if (!first.author().equals(second.author())
        || first.kind() != second.kind()
        || first.height() != second.height()
        || first.round() != second.round()
        || first.body().equals(second.body())) {
      throw new IllegalArgumentException("evidence needs two different messages of one kind, author, height, round");
    }
  }

  public PublicKey validator() {
    return first.author();
  }
}
