package dev.cairn.consensus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.consensus.message.ConsensusMessage;
import dev.cairn.consensus.message.MessageKind;
import dev.cairn.consensus.message.SignedMessage;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.model.Block;
import dev.cairn.ledger.model.Validation;
import dev.cairn.ledger.model.ValidatorSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The engine's rules, driven input by input. */
class ConsensusEngineTest {
  private final Fixture fx = new Fixture(4);

  /** An engine for the validator at {@code index} (in set order), started at height 1. */
  private ConsensusEngine started(int index, Optional<PersistedState> restored) {
    ConsensusEngine engine = new ConsensusEngine(fx.config, fx.keys.get(index), SignatureVerifier.ED25519, restored);
    engine.step(new Input.NewHeight(fx.genesis, fx.validators));
    return engine;
  }

  private int nonProposerIndex() {
    return fx.validators.indexOf(fx.validators.proposer(1, 1)); // proposes round 1, not round 0
  }

  private static List<String> reasons(Effects effects) {
    return effects.rejected().stream().map(Validation.Invalid::reason).toList();
  }

  @Test
  void aSingleValidatorFinalizesEachHeightWithACertificate() {
    Fixture one = new Fixture(1);
    ConsensusEngine engine = new ConsensusEngine(one.config, one.keys.get(0), SignatureVerifier.ED25519, Optional.empty());
    Effects started = engine.step(new Input.NewHeight(one.genesis, one.validators));
    assertThat(started.buildBlock()).contains(new Effects.BuildBlock(1, 0));
    assertThat(started.timers()).extracting(Effects.TimerRequest::round, Effects.TimerRequest::delayMillis)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(0, 1_000L));
    Block block = one.block(0, 0);
    Effects proposed = engine.step(new Input.CandidateReady(block));
    assertThat(proposed.persist()).isPresent();
    assertThat(proposed.broadcast()).extracting(ConsensusMessage::kind)
        .containsExactly(MessageKind.PROPOSAL, MessageKind.PREPARE, MessageKind.COMMIT);
    assertThat(proposed.finalized()).isPresent();
    assertThat(proposed.finalized().get().block()).isEqualTo(block);
    assertThat(proposed.finalized().get().certificate().verify(block.hash(), one.validators).isValid()).isTrue();
  }

  @Test
  void aValidatorPreparesOnlyAfterTheBlockExecutedAndPersistsBeforeItSends() {
    ConsensusEngine engine = started(nonProposerIndex(), Optional.empty());
    Block block = fx.block(0, 0);
    Effects received = engine.step(new Input.MessageReceived(fx.proposal(0, block, List.of(), Optional.empty())));
    assertThat(received.validate()).containsExactly(block);
    assertThat(received.broadcast()).isEmpty();
    Effects refused = engine.step(new Input.BlockValidated(block.hash(), Validation.invalid("bad_state_root", "x")));
    assertThat(refused.broadcast()).isEmpty();

    ConsensusEngine other = started(nonProposerIndex(), Optional.empty());
    other.step(new Input.MessageReceived(fx.proposal(0, block, List.of(), Optional.empty())));
    Effects prepared = other.step(new Input.BlockValidated(block.hash(), Validation.VALID));
    assertThat(prepared.broadcast()).extracting(ConsensusMessage::kind).containsExactly(MessageKind.PREPARE);
    assertThat(prepared.persist()).isPresent();
    assertThat(prepared.persist().get().ownMessages()).contains(prepared.broadcast().get(0));
  }

  @Test
  void aQuorumOfPreparesLocksAndCommitsThenAQuorumOfCommitsFinalizes() {
    int self = nonProposerIndex();
    ConsensusEngine engine = started(self, Optional.empty());
    Block block = fx.block(0, 0);
    engine.step(new Input.MessageReceived(fx.proposal(0, block, List.of(), Optional.empty())));
    engine.step(new Input.BlockValidated(block.hash(), Validation.VALID));
    Effects last = Effects.NONE;
    for (int i = 0, added = 0; added < 2; i++) {
      if (i != self) {
        last = engine.step(new Input.MessageReceived(ConsensusMessage.vote(fx.prepare(i, 0, block.hash()))));
        added++;
      }
    }
    assertThat(last.broadcast()).extracting(ConsensusMessage::kind).containsExactly(MessageKind.COMMIT);
    assertThat(last.persist().orElseThrow().lock()).isPresent();
    assertThat(engine.lock().orElseThrow().blockHash()).isEqualTo(block.hash());
    for (int i = 0, added = 0; added < 2; i++) {
      if (i != self) {
        last = engine.step(new Input.MessageReceived(ConsensusMessage.vote(fx.commit(i, 0, block.hash()))));
        added++;
      }
    }
    assertThat(last.finalized()).isPresent();
    assertThat(last.finalized().get().certificate().seals()).hasSize(fx.validators.quorum());
  }

  @Test
  void aRestartedValidatorResendsWhatItSignedAndNeverSignsAnotherVote() {
    int self = nonProposerIndex();
    ConsensusEngine engine = started(self, Optional.empty());
    Block block = fx.block(0, 0);
    engine.step(new Input.MessageReceived(fx.proposal(0, block, List.of(), Optional.empty())));
    PersistedState persisted = engine.step(new Input.BlockValidated(block.hash(), Validation.VALID)).persist().orElseThrow();
    SignedMessage prepare = persisted.ownMessages().get(0).signed();

    ConsensusEngine restarted = new ConsensusEngine(fx.config, fx.keys.get(self), SignatureVerifier.ED25519,
        Optional.of(PersistedStateCodec.decode(PersistedStateCodec.encode(persisted))));
    Effects resumed = restarted.step(new Input.NewHeight(fx.genesis, fx.validators));
    assertThat(resumed.broadcast()).extracting(ConsensusMessage::signed).containsExactly(prepare);
    // the proposer equivocates after the restart: the validator must not prepare the other block
    Block other = fx.block(0, 1);
    restarted.step(new Input.MessageReceived(fx.proposal(0, other, List.of(), Optional.empty())));
    Effects afterOther = restarted.step(new Input.BlockValidated(other.hash(), Validation.VALID));
    assertThat(afterOther.broadcast()).isEmpty();
  }

  @Test
  void twoDifferentPreparesFromOneValidatorBecomeEvidence() {
    ConsensusEngine engine = started(nonProposerIndex(), Optional.empty());
    int cheater = (nonProposerIndex() + 1) % 4;
    engine.step(new Input.MessageReceived(ConsensusMessage.vote(fx.prepare(cheater, 0, fx.block(0, 0).hash()))));
    Effects second = engine.step(new Input.MessageReceived(ConsensusMessage.vote(fx.prepare(cheater, 0, fx.block(0, 1).hash()))));
    assertThat(second.evidence()).hasSize(1);
    assertThat(second.evidence().get(0).validator()).isEqualTo(fx.keys.get(cheater).publicKey());
    assertThat(second.evidence().get(0).first()).isNotEqualTo(second.evidence().get(0).second());
    Effects again = engine.step(new Input.MessageReceived(ConsensusMessage.vote(fx.commit(cheater, 0, fx.block(0, 0).hash()))));
    Effects commitTwice = engine.step(new Input.MessageReceived(ConsensusMessage.vote(fx.commit(cheater, 0, fx.block(0, 2).hash()))));
    assertThat(again.evidence()).isEmpty();
    assertThat(commitTwice.evidence()).extracting(e -> e.first().kind()).containsExactly(MessageKind.COMMIT);
  }

  @Test
  void olderHeightsAreDroppedNearFutureOnesBufferedAndReplayedFarFutureOnesDropped() {
    ConsensusEngine engine = started(nonProposerIndex(), Optional.empty());
    Block block = fx.block(0, 0);
    KeyPair author = fx.keys.get(0);
    SignedMessage nextHeight = SignedMessage.sign(author, new dev.cairn.consensus.message.MessageBody.Prepare(2, 0, block.hash()));
    SignedMessage farHeight = SignedMessage.sign(author,
        new dev.cairn.consensus.message.MessageBody.Prepare(2 + fx.config.futureHeightsMax(), 0, block.hash()));
    SignedMessage oldHeight = SignedMessage.sign(author, new dev.cairn.consensus.message.MessageBody.Prepare(0, 0, block.hash()));
    assertThat(reasons(engine.step(new Input.MessageReceived(ConsensusMessage.vote(nextHeight))))).isEmpty();
    assertThat(reasons(engine.step(new Input.MessageReceived(ConsensusMessage.vote(farHeight))))).containsExactly("far_future_height");
    assertThat(reasons(engine.step(new Input.MessageReceived(ConsensusMessage.vote(oldHeight))))).containsExactly("stale_height");
    // the buffered message is replayed at height 2: a second copy is then a duplicate, not a new vote
    engine.step(new Input.NewHeight(block.header(), fx.validators));
    assertThat(engine.height()).isEqualTo(2);
    Effects duplicate = engine.step(new Input.MessageReceived(ConsensusMessage.vote(nextHeight)));
    assertThat(duplicate.rejected()).isEmpty();
    assertThat(duplicate.evidence()).isEmpty();
  }

  @Test
  void theFutureBufferIsBoundedPerAuthor() {
    ConsensusEngine engine = started(nonProposerIndex(), Optional.empty());
    KeyPair author = fx.keys.get(0);
    List<String> last = List.of();
    for (int round = 0; round <= fx.config.futureMessagesPerSenderMax(); round++) {
      SignedMessage message = SignedMessage.sign(author,
          new dev.cairn.consensus.message.MessageBody.Prepare(2, round, fx.block(0, 0).hash()));
      last = reasons(engine.step(new Input.MessageReceived(ConsensusMessage.vote(message))));
    }
    assertThat(last).containsExactly("future_buffer_full");
  }

  @Test
  void theValidatorSetOfEachHeightComesFromTheCaller() {
    ConsensusEngine engine = started(nonProposerIndex(), Optional.empty());
    Block block = fx.block(0, 0);
    int leaving = (nonProposerIndex() + 1) % 4;
    ValidatorSet next = fx.validators.without(fx.keys.get(leaving).publicKey());
    engine.step(new Input.NewHeight(block.header(), next));
    SignedMessage fromLeaver = SignedMessage.sign(fx.keys.get(leaving),
        new dev.cairn.consensus.message.MessageBody.Prepare(2, 0, block.hash()));
    assertThat(reasons(engine.step(new Input.MessageReceived(ConsensusMessage.vote(fromLeaver)))))
        .containsExactly("author_not_validator");
  }

  @Test
  void aTimeoutMovesToTheNextRoundWithARoundChangeAndALongerTimer() {
    ConsensusEngine engine = new ConsensusEngine(fx.config, fx.keys.get(nonProposerIndex()), SignatureVerifier.ED25519, Optional.empty());
    Effects.TimerRequest round0 = engine.step(new Input.NewHeight(fx.genesis, fx.validators)).timers().get(0);
    Effects timedOut = engine.step(new Input.TimerFired(round0));
    assertThat(engine.round()).isEqualTo(1);
    assertThat(timedOut.broadcast()).extracting(ConsensusMessage::kind).contains(MessageKind.ROUND_CHANGE);
    Effects.TimerRequest round1 = timedOut.timers().get(0);
    assertThat(round1.round()).isEqualTo(1);
    assertThat(round1.delayMillis()).isEqualTo(2_000);
    // alone in round 1: the next timeout repeats the round change and waits instead of running ahead
    Effects waiting = engine.step(new Input.TimerFired(round1));
    assertThat(engine.round()).isEqualTo(1);
    assertThat(waiting.broadcast()).extracting(ConsensusMessage::signed)
        .containsExactly(timedOut.broadcast().get(0).signed());
    // a stale timer does nothing
    assertThat(engine.step(new Input.TimerFired(round0)).broadcast()).isEmpty();
    assertThat(engine.step(new Input.TimerFired(round1)).broadcast()).isEmpty();
  }

  @Test
  void theRoundTimerRestartsWhenAQuorumArrivesInTheRound() {
    int self = nonProposerIndex();
    ConsensusEngine engine = new ConsensusEngine(fx.config, fx.keys.get(self), SignatureVerifier.ED25519, Optional.empty());
    Effects.TimerRequest round0 = engine.step(new Input.NewHeight(fx.genesis, fx.validators)).timers().get(0);
    Effects.TimerRequest early = engine.step(new Input.TimerFired(round0)).timers().get(0);
    Effects.TimerRequest restarted = null;
    for (int i = 0, added = 0; added < fx.validators.quorum() - 1; i++) {
      if (i != self) {
        List<Effects.TimerRequest> timers =
            engine.step(new Input.MessageReceived(fx.roundChange(i, 1, Optional.empty()))).timers();
        restarted = timers.isEmpty() ? restarted : timers.get(0);
        added++;
      }
    }
    assertThat(restarted).isNotNull();
    assertThat(restarted.round()).isEqualTo(1);
    assertThat(restarted.sequence()).isGreaterThan(early.sequence());
    engine.step(new Input.TimerFired(early));
    assertThat(engine.round()).isEqualTo(1);
    engine.step(new Input.TimerFired(restarted));
    assertThat(engine.round()).isEqualTo(2);
  }

  @Test
  void fPlusOneValidatorsInAHigherRoundPullTheValidatorAlong() {
    int self = nonProposerIndex();
    ConsensusEngine engine = started(self, Optional.empty());
    Effects last = Effects.NONE;
    for (int i = 0, added = 0; added < fx.validators.maxFaulty() + 1; i++) {
      if (i != self) {
        last = engine.step(new Input.MessageReceived(fx.roundChange(i, 3, Optional.empty())));
        added++;
      }
    }
    assertThat(engine.round()).isEqualTo(3);
    assertThat(last.broadcast()).extracting(ConsensusMessage::kind).containsExactly(MessageKind.ROUND_CHANGE);
  }

  @Test
  void theSameInputsGiveTheSameEffects() {
    List<Input> inputs = List.of(
        new Input.NewHeight(fx.genesis, fx.validators),
        new Input.MessageReceived(fx.proposal(0, fx.block(0, 0), List.of(), Optional.empty())),
        new Input.BlockValidated(fx.block(0, 0).hash(), Validation.VALID),
        new Input.TimerFired(new Effects.TimerRequest(1, 0, 1, 1_000)));
    int self = nonProposerIndex();
    ConsensusEngine a = new ConsensusEngine(fx.config, fx.keys.get(self), SignatureVerifier.ED25519, Optional.empty());
    ConsensusEngine b = new ConsensusEngine(fx.config, fx.keys.get(self), SignatureVerifier.ED25519, Optional.empty());
    for (Input input : inputs) {
      assertThat(a.step(input)).isEqualTo(b.step(input));
    }
  }

  @Test
  void aValidatorOutsideTheHeightsSetFollowsButSignsNothing() {
    int self = nonProposerIndex();
    ValidatorSet without = fx.validators.without(fx.keys.get(self).publicKey());
    ConsensusEngine engine = new ConsensusEngine(fx.config, fx.keys.get(self), SignatureVerifier.ED25519, Optional.empty());
    engine.step(new Input.NewHeight(fx.genesis, without));
    Effects.TimerRequest round0 = new Effects.TimerRequest(1, 0, 1, fx.config.roundTimeoutMillis(0));
    assertThat(engine.step(new Input.TimerFired(round0)).broadcast()).isEmpty();
  }

  /**
   * Finding 4: a Byzantine proposer sends many distinct, validly signed blocks for its round. The engine keeps
   * the first one only and reports the equivocation once, as evidence holding two signed proposals.
   */
  @Test
  void aProposerSendingManyBlocksInOneRoundHasOneStoredAndLeavesEvidence() {
    ConsensusEngine engine = started(nonProposerIndex(), Optional.empty());
    List<Evidence> evidence = new java.util.ArrayList<>();
    for (int salt = 0; salt < 200; salt++) {
      Effects effects = engine.step(new Input.MessageReceived(fx.proposal(0, fx.block(0, salt), List.of(), Optional.empty())));
      evidence.addAll(effects.evidence());
    }
    assertThat(engine.storedBlocks()).isEqualTo(1);
    assertThat(evidence).hasSize(1);
    assertThat(evidence.get(0).first().kind()).isEqualTo(MessageKind.PROPOSAL);
    assertThat(evidence.get(0).validator()).isEqualTo(fx.validators.proposer(1, 0));
  }

  /** The same for rounds the engine already left: their proposals cannot pile up either. */
  @Test
  void proposalsForRoundsAlreadyLeftAreStoredOncePerRoundToo() {
    int self = nonProposerIndex();
    ConsensusEngine engine = started(self, Optional.empty());
    // Three others in round 2: f+1 of them pull us there.
    for (int i = 0; i < fx.keys.size(); i++) {
      if (i != self) {
        engine.step(new Input.MessageReceived(fx.roundChange(i, 2, Optional.empty())));
      }
    }
    assertThat(engine.round()).isEqualTo(2);
    for (int salt = 0; salt < 100; salt++) {
      engine.step(new Input.MessageReceived(fx.proposal(0, fx.block(0, salt), List.of(), Optional.empty())));
    }
    assertThat(engine.storedBlocks()).isEqualTo(1);
  }

  /** Counts signature verifications. */
  private static final class CountingVerifier implements SignatureVerifier {
    int verifications;

    @Override
    public boolean verify(dev.cairn.ledger.crypto.PublicKey author, dev.cairn.ledger.bytes.Hash digest,
        dev.cairn.ledger.crypto.Signature signature) {
      verifications++;
      return SignatureVerifier.ED25519.verify(author, digest, signature);
    }

    @Override
    public boolean verifySeal(dev.cairn.ledger.model.CommitSeal seal, dev.cairn.ledger.bytes.Hash blockHash) {
      verifications++;
      return SignatureVerifier.ED25519.verifySeal(seal, blockHash);
    }
  }

  /**
   * Finding 5: replayed copies of one future message are buffered once and verified once, so they can
   * neither evict the author's genuine future messages nor cost a signature check each.
   */
  @Test
  void replayedCopiesOfAFutureMessageAreBufferedOnceAndVerifiedOnce() {
    CountingVerifier verifier = new CountingVerifier();
    ConsensusEngine engine = new ConsensusEngine(fx.config, fx.keys.get(nonProposerIndex()), verifier, Optional.empty());
    engine.step(new Input.NewHeight(fx.genesis, fx.validators));
    KeyPair author = fx.keys.get(0);
    ConsensusMessage replayed = ConsensusMessage.vote(SignedMessage.sign(author,
        new dev.cairn.consensus.message.MessageBody.Prepare(2, 0, fx.block(0, 0).hash())));
    int before = verifier.verifications;
    for (int copy = 0; copy < 2 * fx.config.futureMessagesPerSenderMax(); copy++) {
      engine.step(new Input.MessageReceived(replayed));
    }
    assertThat(engine.futureMessages()).isEqualTo(1);
    assertThat(verifier.verifications - before).isEqualTo(1);
    // The author's genuine next message still finds room.
    ConsensusMessage genuine = ConsensusMessage.vote(SignedMessage.sign(author,
        new dev.cairn.consensus.message.MessageBody.Prepare(2, 1, fx.block(0, 0).hash())));
    assertThat(reasons(engine.step(new Input.MessageReceived(genuine)))).isEmpty();
    assertThat(engine.futureMessages()).isEqualTo(2);
  }

  @Test
  void theFutureBufferIsBoundedInBytesPerAuthor() {
    int voteBytes = dev.cairn.consensus.message.MessageCodec.encode(ConsensusMessage.vote(fx.prepare(0, 0, fx.block(0, 0).hash()))).length;
    ConsensusConfig config = fx.config.withFutureBytesPerSenderMax(3L * voteBytes);
    ConsensusEngine engine = new ConsensusEngine(config, fx.keys.get(nonProposerIndex()), SignatureVerifier.ED25519, Optional.empty());
    engine.step(new Input.NewHeight(fx.genesis, fx.validators));
    List<String> reasons = new java.util.ArrayList<>();
    for (int round = 0; round < 4; round++) {
      SignedMessage message = SignedMessage.sign(fx.keys.get(0),
          new dev.cairn.consensus.message.MessageBody.Prepare(2, round, fx.block(0, 0).hash()));
      reasons.addAll(reasons(engine.step(new Input.MessageReceived(ConsensusMessage.vote(message)))));
    }
    assertThat(reasons).containsExactly("future_buffer_bytes_full");
    assertThat(engine.futureMessages()).isEqualTo(3);
    // Another author's share is its own.
    SignedMessage other = SignedMessage.sign(fx.keys.get(1),
        new dev.cairn.consensus.message.MessageBody.Prepare(2, 0, fx.block(0, 0).hash()));
    assertThat(reasons(engine.step(new Input.MessageReceived(ConsensusMessage.vote(other))))).isEmpty();
  }
}
