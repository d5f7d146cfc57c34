package dev.cairn.consensus.message;

import dev.cairn.ledger.crypto.PublicKey;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What travels between validators: a signed body plus the unsigned evidence that justifies it. A PROPOSAL in
 * round > 0 carries the quorum of signed ROUND_CHANGEs for its round and, when any of them reported a
 * prepared block, the highest prepared certificate; a ROUND_CHANGE carries the certificate its summary names.
 * PREPARE and COMMIT carry nothing else. Whether the parts fit together is checked by the MessageValidator.
 */
public record ConsensusMessage(
    SignedMessage signed, List<SignedMessage> roundChanges, Optional<PreparedCertificate> prepared) {
  public ConsensusMessage {
    Objects.requireNonNull(signed, "signed");
    roundChanges = List.copyOf(roundChanges);
    Objects.requireNonNull(prepared, "prepared");
  }

  public static ConsensusMessage vote(SignedMessage signed) {
    return new ConsensusMessage(signed, List.of(), Optional.empty());
  }

  public MessageBody body() {
    return signed.body();
  }

  public PublicKey author() {
    return signed.author();
  }

  public long height() {
    return signed.height();
  }

  public int round() {
    return signed.round();
  }

  public MessageKind kind() {
    return signed.kind();
  }
}
