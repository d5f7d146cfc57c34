package dev.cairn.consensus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.consensus.message.ConsensusMessage;
import dev.cairn.consensus.message.MessageBody;
import dev.cairn.consensus.message.PreparedCertificate;
import dev.cairn.consensus.message.SignedMessage;
import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.crypto.Signature;
import dev.cairn.ledger.model.Block;
import dev.cairn.ledger.model.Validation;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** One test per rule of the validator; each names the reason it expects. */
class MessageValidatorTest {
  private final Fixture fx = new Fixture(4);
  private final MessageValidator validator = new MessageValidator(fx.config, SignatureVerifier.ED25519);

  private String reason(ConsensusMessage message, int currentRound) {
    Validation validation = validator.validate(message, fx.context(), currentRound);
    return validation instanceof Validation.Invalid invalid ? invalid.reason() : "valid";
  }

  @Test
  void roundZeroProposalFromTheProposerIsValid() {
    assertThat(reason(fx.proposal(0, fx.block(0, 0), List.of(), Optional.empty()), 0)).isEqualTo("valid");
  }

  @Test
  void proposalFromAnotherValidatorIsRefused() {
    Block block = fx.block(0, 0);
    KeyPair other = fx.proposer(1, 1);
    SignedMessage signed = SignedMessage.sign(other, new MessageBody.Proposal(1, 0, block));
    assertThat(reason(new ConsensusMessage(signed, List.of(), Optional.empty()), 0)).isEqualTo("not_proposer");
  }

  @Test
  void authorOutsideTheSetAndBadSignaturesAreRefused() {
    Block block = fx.block(0, 0);
    SignedMessage stranger = SignedMessage.sign(KeyPair.fromSeedText("stranger"), new MessageBody.Prepare(1, 0, block.hash()));
    assertThat(reason(ConsensusMessage.vote(stranger), 0)).isEqualTo("author_not_validator");
    SignedMessage good = fx.prepare(1, 0, block.hash());
    byte[] sig = good.signature().bytes().toArray();
    sig[3] ^= 1;
    SignedMessage forged = new SignedMessage(good.body(), good.author(), new Signature(Bytes.wrap(sig)));
    assertThat(reason(ConsensusMessage.vote(forged), 0)).isEqualTo("bad_signature");
  }

  @Test
  void messagesBeyondTheRoundWindowAreRefused() {
    Block block = fx.block(0, 0);
    int window = fx.config.futureRoundsMax();
    assertThat(reason(ConsensusMessage.vote(fx.prepare(1, window, block.hash())), 0)).isEqualTo("valid");
    assertThat(reason(ConsensusMessage.vote(fx.prepare(1, window + 1, block.hash())), 0)).isEqualTo("far_future_round");
  }

  @Test
  void commitWithASealForAnotherBlockIsRefused() {
    Block block = fx.block(0, 0);
    SignedMessage commit = fx.commit(1, 0, block.hash());
    MessageBody.Commit body = (MessageBody.Commit) commit.body();
    MessageBody.Commit swapped = new MessageBody.Commit(1, 0, fx.block(0, 9).hash(), body.sealSignature());
    assertThat(reason(ConsensusMessage.vote(SignedMessage.sign(fx.keys.get(1), swapped)), 0)).isEqualTo("bad_commit_seal");
  }

  @Test
  void laterRoundProposalNeedsAQuorumOfRoundChanges() {
    int quorum = fx.validators.quorum();
    Block fresh = fx.block(1, 0);
    assertThat(reason(fx.proposal(1, fresh, fx.roundChanges(1, quorum - 1, Optional.empty()), Optional.empty()), 1))
        .isEqualTo("justification_below_quorum");
    assertThat(reason(fx.proposal(1, fresh, fx.roundChanges(1, quorum, Optional.empty()), Optional.empty()), 1))
        .isEqualTo("valid");
  }

  @Test
  void justificationMustBeRoundChangesOfThisRoundFromDistinctValidators() {
    Block fresh = fx.block(2, 0);
    assertThat(reason(fx.proposal(2, fresh, fx.roundChanges(1, 3, Optional.empty()), Optional.empty()), 2))
        .isEqualTo("justification_foreign_message");
    List<SignedMessage> duplicated = new ArrayList<>(fx.roundChanges(2, 2, Optional.empty()));
    duplicated.add(duplicated.get(0));
    assertThat(reason(fx.proposal(2, fresh, duplicated, Optional.empty()), 2)).isEqualTo("justification_duplicate");
  }

  @Test
  void aPreparedBlockInTheJustificationMustBeReproposedWithItsCertificate() {
    Block locked = fx.block(0, 0);
    PreparedCertificate certificate = fx.certificate(locked, 0);
    List<SignedMessage> roundChanges = fx.roundChanges(1, 3, Optional.of(certificate));
    // a fresh block instead of the locked one
    assertThat(reason(fx.proposal(1, fx.block(1, 0), roundChanges, Optional.empty()), 1))
        .isEqualTo("justification_certificate_mismatch");
    assertThat(reason(fx.proposal(1, fx.block(1, 0), roundChanges, Optional.of(certificate)), 1))
        .isEqualTo("proposal_not_locked_block");
    assertThat(reason(fx.proposal(1, locked, roundChanges, Optional.of(certificate)), 1)).isEqualTo("valid");
  }

  @Test
  void theCarriedCertificateMustBeOfTheHighestPreparedRound() {
    Block older = fx.block(0, 0);
    Block newer = fx.block(1, 5);
    List<SignedMessage> roundChanges = new ArrayList<>();
    roundChanges.add(fx.roundChange(0, 2, Optional.of(fx.certificate(older, 0))).signed());
    roundChanges.add(fx.roundChange(1, 2, Optional.of(fx.certificate(newer, 1))).signed());
    roundChanges.add(fx.roundChange(2, 2, Optional.empty()).signed());
    assertThat(reason(fx.proposal(2, older, roundChanges, Optional.of(fx.certificate(older, 0))), 2))
        .isEqualTo("justification_certificate_mismatch");
    assertThat(reason(fx.proposal(2, newer, roundChanges, Optional.of(fx.certificate(newer, 1))), 2)).isEqualTo("valid");
  }

  @Test
  void certificatesNeedAQuorumOfDistinctPreparesForTheirBlockAndRound() {
    Block block = fx.block(0, 0);
    List<SignedMessage> two = List.of(fx.prepare(0, 0, block.hash()), fx.prepare(1, 0, block.hash()));
    assertThat(validator.validateCertificate(new PreparedCertificate(block, two), fx.context()))
        .isEqualTo(Validation.invalid("certificate_below_quorum", "2 prepares, quorum 3"));
    List<SignedMessage> duplicate = List.of(two.get(0), two.get(1), two.get(0));
    assertThat(((Validation.Invalid) validator.validateCertificate(new PreparedCertificate(block, duplicate), fx.context())).reason())
        .isEqualTo("certificate_duplicate_vote");
    List<SignedMessage> mixed = List.of(two.get(0), two.get(1), fx.prepare(2, 1, block.hash()));
    assertThat(((Validation.Invalid) validator.validateCertificate(new PreparedCertificate(block, mixed), fx.context())).reason())
        .isEqualTo("certificate_foreign_vote");
  }

  @Test
  void roundChangeWhoseCertificateDoesNotMatchItsSignedSummaryIsRefused() {
    Block block = fx.block(0, 0);
    ConsensusMessage honest = fx.roundChange(1, 1, Optional.of(fx.certificate(block, 0)));
    ConsensusMessage stripped = new ConsensusMessage(honest.signed(), List.of(), Optional.empty());
    assertThat(reason(honest, 1)).isEqualTo("valid");
    assertThat(reason(stripped, 1)).isEqualTo("certificate_mismatch");
  }

  @Test
  void blocksOnAnotherParentOrValidatorSetAreRefused() {
    Block block = fx.block(0, 0);
    HeightContext otherParent = HeightContext.of(1, block.hash(), fx.validators);
    assertThat(((Validation.Invalid) validator.validateBlockFrame(block, otherParent)).reason()).isEqualTo("wrong_parent");
    HeightContext otherSet = HeightContext.of(1, fx.genesis.hash(), new Fixture(5).validators);
    assertThat(((Validation.Invalid) validator.validateBlockFrame(block, otherSet)).reason()).isEqualTo("wrong_validator_set");
  }
}
