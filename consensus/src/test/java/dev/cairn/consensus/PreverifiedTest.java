package dev.cairn.consensus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.consensus.message.ConsensusMessage;
import dev.cairn.consensus.message.MessageBody;
import dev.cairn.consensus.message.PreparedCertificate;
import dev.cairn.consensus.message.SignedMessage;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.crypto.Signature;
import dev.cairn.ledger.model.Block;
import dev.cairn.ledger.model.CommitSeal;
import dev.cairn.ledger.model.Validation;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A message the gossip relay checked ({@link MessageValidator#preverify}) gets exactly the verdict a full
 * check gives, at every round of the engine and in every context; a stamp of another validator or another
 * context is not trusted; and an engine fed checked messages does exactly what one fed the same messages
 * unchecked does.
 */
class PreverifiedTest {
  private final Fixture fx = new Fixture(4);
  private final MessageValidator validator = new MessageValidator(fx.config, SignatureVerifier.ED25519);

  /** Valid and invalid messages of every kind at height 1. */
  private List<ConsensusMessage> messages() {
    Block block = fx.block(0, 0);
    List<ConsensusMessage> out = new ArrayList<>();
    out.add(fx.proposal(0, block, List.of(), Optional.empty()));
    out.add(fx.proposal(1, fx.block(1, 0), fx.roundChanges(1, 3, Optional.empty()), Optional.empty()));
    PreparedCertificate certificate = fx.certificate(block, 0);
    out.add(fx.proposal(2, block, fx.roundChanges(2, 3, Optional.of(certificate)), Optional.of(certificate)));
    out.add(fx.proposal(1, fx.block(1, 0), fx.roundChanges(1, 2, Optional.empty()), Optional.empty())); // below quorum
    for (int round = 0; round < 12; round += 3) {
      out.add(ConsensusMessage.vote(fx.prepare(1, round, block.hash())));
      out.add(ConsensusMessage.vote(fx.commit(2, round, block.hash())));
      out.add(fx.roundChange(3, round, Optional.empty()));
    }
    out.add(fx.roundChange(0, 1, Optional.of(certificate)));
    // A commit whose seal is another block's; a prepare signed by a stranger; a forged signature.
    KeyPair key = fx.keys.get(1);
    out.add(ConsensusMessage.vote(SignedMessage.sign(key, new MessageBody.Commit(1, 0, block.hash(),
        CommitSeal.sign(key, Hash.ZERO).signature()))));
    out.add(ConsensusMessage.vote(SignedMessage.sign(KeyPair.fromSeedText("stranger"), new MessageBody.Prepare(1, 0, block.hash()))));
    SignedMessage honest = fx.prepare(1, 0, block.hash());
    out.add(ConsensusMessage.vote(new SignedMessage(new MessageBody.Prepare(1, 0, Hash.ZERO), honest.author(), honest.signature())));
    // Not the round's proposer; wrong parent.
    out.add(new ConsensusMessage(SignedMessage.sign(fx.keys.get(0), new MessageBody.Proposal(1, 3, fx.block(3, 0))),
        List.of(), Optional.empty()));
    return out;
  }

  private List<HeightContext> contexts() {
    return List.of(fx.context(), HeightContext.of(1, Hash.ZERO, fx.validators), HeightContext.of(2, fx.genesis.hash(), fx.validators),
        HeightContext.of(1, fx.genesis.hash(), new Fixture(3).validators));
  }

  @Test
  void aCheckedMessageGetsTheFullChecksVerdictAtEveryRoundAndContext() {
    int stamped = 0;
    for (ConsensusMessage message : messages()) {
      MessageValidator.Preverification preverification = validator.preverify(message, fx.context());
      assertThat(preverification.validation()).isEqualTo(validator.validate(message, fx.context(), message.round()));
      assertThat(preverification.preverified().isPresent()).isEqualTo(preverification.validation().isValid());
      if (preverification.preverified().isEmpty()) {
        continue;
      }
      stamped++;
      Preverified checked = preverification.preverified().get();
      assertThat(checked.message()).isSameAs(message);
      for (HeightContext context : contexts()) {
        for (int round = 0; round < 15; round++) {
          assertThat(validator.validatePreverified(checked, context, round))
              .as("%s in %s at round %d", checked, context, round)
              .isEqualTo(validator.validate(message, context, round));
        }
      }
    }
    // Some of each: the comparison covers stamped messages and refused ones.
    assertThat(stamped).isBetween(10, messages().size() - 4);
  }

  /** A stamp is trusted only by the validator that made it: another one (here one that finds no signature valid) checks again. */
  @Test
  void aStampOfAnotherValidatorIsCheckedInFull() {
    SignatureVerifier rejectsAll = new SignatureVerifier() {
      @Override
      public boolean verify(PublicKey author, Hash digest, Signature signature) {
        return false;
      }

      @Override
      public boolean verifySeal(CommitSeal seal, Hash blockHash) {
        return false;
      }
    };
    MessageValidator other = new MessageValidator(fx.config, rejectsAll);
    ConsensusMessage prepare = ConsensusMessage.vote(fx.prepare(1, 0, fx.block(0, 0).hash()));
    Preverified checked = validator.preverify(prepare, fx.context()).preverified().orElseThrow();
    Validation verdict = other.validatePreverified(checked, fx.context(), 0);
    assertThat(verdict.isValid()).isFalse();
    assertThat(((Validation.Invalid) verdict).reason()).isEqualTo("bad_signature");
  }

  /** The same inputs, checked by the relay or not: the same effects at every step. */
  @Test
  void anEngineFedCheckedMessagesDoesWhatOneFedThemUncheckedDoes() {
    int self = fx.validators.indexOf(fx.validators.proposer(1, 1));
    ConsensusEngine plain = new ConsensusEngine(fx.config, fx.keys.get(self), SignatureVerifier.ED25519, Optional.empty());
    ConsensusEngine fed = new ConsensusEngine(fx.config, fx.keys.get(self), SignatureVerifier.ED25519, Optional.empty());
    assertThat(fed.step(new Input.NewHeight(fx.genesis, fx.validators)))
        .isEqualTo(plain.step(new Input.NewHeight(fx.genesis, fx.validators)));
    Block block = fx.block(0, 0);
    List<ConsensusMessage> inbound = new ArrayList<>();
    inbound.add(fx.proposal(0, block, List.of(), Optional.empty()));
    inbound.add(ConsensusMessage.vote(fx.prepare(1, 7, block.hash()))); // beyond the round window
    inbound.add(fx.roundChange(0, 1, Optional.empty()));
    for (int i = 0; i < 4; i++) {
      if (i != self) {
        inbound.add(ConsensusMessage.vote(fx.prepare(i, 0, block.hash())));
        inbound.add(ConsensusMessage.vote(fx.prepare(i, 0, block.hash()))); // a duplicate delivery
      }
    }
    for (int i = 0; i < 4; i++) {
      if (i != self) {
        inbound.add(ConsensusMessage.vote(fx.commit(i, 0, block.hash())));
      }
    }
    boolean validated = false;
    for (ConsensusMessage message : inbound) {
      Preverified checked = fed.messageValidator().preverify(message, fx.context()).preverified().orElseThrow();
      Effects expected = plain.step(new Input.MessageReceived(message));
      assertThat(fed.step(new Input.PreverifiedReceived(checked))).as("%s", checked).isEqualTo(expected);
      if (!validated) {
        validated = true;
        assertThat(fed.step(new Input.BlockValidated(block.hash(), Validation.VALID)))
            .isEqualTo(plain.step(new Input.BlockValidated(block.hash(), Validation.VALID)));
      }
    }
    assertThat(fed.lock()).isEqualTo(plain.lock());
    assertThat(fed.height()).isEqualTo(plain.height());
  }
}
