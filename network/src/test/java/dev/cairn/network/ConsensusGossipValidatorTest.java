package dev.cairn.network;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.cairn.consensus.CachingSignatureVerifier;
import dev.cairn.consensus.ConsensusConfig;
import dev.cairn.consensus.MessageValidator;
import dev.cairn.consensus.SignatureVerifier;
import dev.cairn.consensus.message.ConsensusMessage;
import dev.cairn.consensus.message.MessageBody;
import dev.cairn.consensus.message.MessageCodec;
import dev.cairn.consensus.message.SignedMessage;
import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.crypto.DomainTag;
import dev.cairn.ledger.crypto.Hashing;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.crypto.Signature;
import dev.cairn.ledger.model.ValidatorSet;
import dev.cairn.p2p.gossip.PubsubMessage;
import dev.cairn.p2p.gossip.ValidationResult;
import dev.cairn.p2p.identity.PeerId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Finding 3 of issue 14: the consensus topic accepted and forwarded anything that decoded. Every case below
 * was ACCEPT under the old validator (envelope and message decode); the replay case because each re-send
 * carries a fresh envelope sequence, so gossip's content ids never see it.
 */
class ConsensusGossipValidatorTest {
  private final List<KeyPair> keys = new ArrayList<>();
  private final ValidatorSet validators;
  private final Hash head = Hashing.hash(DomainTag.GENESIS, new byte[] {7});
  private final AtomicLong clock = new AtomicLong(1_000);
  private final List<Runnable> verifierTasks = new ArrayList<>();
  private final ConsensusGossipValidator validator;
  private long sequence;

  ConsensusGossipValidatorTest() {
    for (int i = 0; i < 4; i++) {
      keys.add(KeyPair.fromSeedText("gossip-validator-" + i));
    }
    validators = new ValidatorSet(keys.stream().map(KeyPair::publicKey).toList());
    int messageMax = MessageCodec.messageBytesMax(64 * 1024);
    validator = new ConsensusGossipValidator(() -> new ConsensusGossipValidator.View(4, head, validators),
        new MessageValidator(ConsensusConfig.defaults(), new CachingSignatureVerifier(SignatureVerifier.ED25519, 1_024)),
        8, messageMax, 4L * messageMax, messageMax, verifierTasks::add, clock::get);
  }

  private byte[] sealed(ConsensusMessage message) {
    return ConsensusEnvelope.seal(sequence++, Bytes.wrap(MessageCodec.encode(message)));
  }

  private ConsensusMessage prepare(KeyPair author, long height) {
    return ConsensusMessage.vote(SignedMessage.sign(author, new MessageBody.Prepare(height, 0, head)));
  }

  @Test
  void aValidatorsVoteIsAcceptedAndAReplayInAFreshEnvelopeIsNot() {
    ConsensusMessage vote = prepare(keys.get(1), 5);
    assertThat(validator.check(sealed(vote)).result()).isEqualTo(ValidationResult.ACCEPT);
    for (int i = 0; i < 100; i++) {
      assertThat(validator.check(sealed(vote)))
          .isEqualTo(new ConsensusGossipValidator.Verdict(ValidationResult.IGNORE, ConsensusGossipValidator.Reason.DUPLICATE));
    }
    assertThat(validator.counts().get(ConsensusGossipValidator.Reason.DUPLICATE)).isEqualTo(100);
    // Once the verdict has expired, a copy is checked (and accepted) again: re-sends after a loss get through.
    clock.addAndGet(ConsensusGossipValidator.SEEN_TTL_MILLIS + 1);
    assertThat(validator.check(sealed(vote)).result()).isEqualTo(ValidationResult.ACCEPT);
  }

  @Test
  void aMessageByAnAuthorOutsideTheValidatorSetIsRejected() {
    KeyPair observer = KeyPair.fromSeedText("an-observer");
    assertThat(validator.check(sealed(prepare(observer, 5))))
        .isEqualTo(new ConsensusGossipValidator.Verdict(ValidationResult.REJECT, ConsensusGossipValidator.Reason.AUTHOR_NOT_VALIDATOR));
  }

  @Test
  void aMessageWithABadSignatureIsRejected() {
    SignedMessage genuine = prepare(keys.get(2), 5).signed();
    byte[] signature = genuine.signature().bytes().toArray();
    signature[3] ^= 1;
    ConsensusMessage forged = ConsensusMessage.vote(
        new SignedMessage(genuine.body(), genuine.author(), new Signature(Bytes.wrap(signature))));
    assertThat(validator.check(sealed(forged)))
        .isEqualTo(new ConsensusGossipValidator.Verdict(ValidationResult.REJECT, ConsensusGossipValidator.Reason.BAD_SIGNATURE));
  }

  @Test
  void heightsAlreadyFinalOrFarAheadAreIgnoredAndNearOnesNeedAValidSignature() {
    assertThat(validator.check(sealed(prepare(keys.get(0), 4))).reason()).isEqualTo(ConsensusGossipValidator.Reason.STALE_HEIGHT);
    assertThat(validator.check(sealed(prepare(keys.get(0), 13))).reason()).isEqualTo(ConsensusGossipValidator.Reason.FAR_FUTURE_HEIGHT);
    assertThat(validator.check(sealed(prepare(keys.get(0), 7))).result()).isEqualTo(ValidationResult.ACCEPT);
    assertThat(validator.check(sealed(prepare(KeyPair.fromSeedText("outsider"), 7))).result()).isEqualTo(ValidationResult.IGNORE);
  }

  @Test
  void malformedEnvelopesAndMessagesAreRejected() {
    assertThat(validator.check(new byte[] {9, 9}).reason()).isEqualTo(ConsensusGossipValidator.Reason.MALFORMED_ENVELOPE);
    assertThat(validator.check(ConsensusEnvelope.seal(1, Bytes.wrap(new byte[] {1, 2, 3}))).reason())
        .isEqualTo(ConsensusGossipValidator.Reason.MALFORMED_MESSAGE);
  }

  /** The TopicValidator contract: nothing but a hand-off on the router thread; room bounded per peer in bytes. */
  @Test
  void verificationRunsOnTheVerifierAndRoomInFlightIsBoundedPerPeer() {
    PeerId peer = PeerAllowlist.peerId(KeyPair.fromSeedText("relay").publicKey());
    byte[] data = sealed(prepare(keys.get(3), 5));
    CompletableFuture<ValidationResult> first =
        validator.validate(peer, PubsubMessage.unsigned("t", ByteString.copyFrom(data))).toCompletableFuture();
    assertThat(first).isNotDone();
    assertThat(verifierTasks).hasSize(1);
    verifierTasks.remove(0).run();
    assertThat(first).isCompletedWithValue(ValidationResult.ACCEPT);
    assertThat(validator.pendingBytes()).isZero();

    int messageMax = MessageCodec.messageBytesMax(64 * 1024);
    byte[] big = new byte[messageMax / 2 + 1];
    CompletableFuture<ValidationResult> queued =
        validator.validate(peer, PubsubMessage.unsigned("t", ByteString.copyFrom(big))).toCompletableFuture();
    CompletableFuture<ValidationResult> refused =
        validator.validate(peer, PubsubMessage.unsigned("t", ByteString.copyFrom(big))).toCompletableFuture();
    assertThat(queued).isNotDone();
    assertThat(refused).isCompletedWithValue(ValidationResult.IGNORE);
    assertThat(validator.counts().get(ConsensusGossipValidator.Reason.OVERLOADED)).isEqualTo(1);
    PeerId other = PeerAllowlist.peerId(KeyPair.fromSeedText("other-relay").publicKey());
    assertThat(validator.validate(other, PubsubMessage.unsigned("t", ByteString.copyFrom(big))).toCompletableFuture()).isNotDone();
  }

  private CompletableFuture<ValidationResult> validated(PubsubMessage message) {
    PeerId peer = PeerAllowlist.peerId(KeyPair.fromSeedText("relay").publicKey());
    CompletableFuture<ValidationResult> verdict = validator.validate(peer, message).toCompletableFuture();
    while (!verifierTasks.isEmpty()) {
      verifierTasks.remove(0).run();
    }
    return verdict;
  }

  /**
   * A message of the next height that passes the engine's full check is kept, decoded and checked, for the
   * delivery of that very message (once), counted at the inner message's size, as the inbox counted its bytes.
   */
  @Test
  void anAcceptedNextHeightMessageIsHandedOverCheckedOnceForItsOwnDelivery() {
    ConsensusMessage vote = prepare(keys.get(1), 5);
    byte[] data = sealed(vote);
    PubsubMessage message = PubsubMessage.unsigned("t", ByteString.copyFrom(data));
    assertThat(validated(message)).isCompletedWithValue(ValidationResult.ACCEPT);
    PubsubMessage sameBytes = PubsubMessage.unsigned("t", ByteString.copyFrom(data));
    assertThat(validator.takeChecked(sameBytes)).isEmpty();
    CheckedHandoff.Checked checked = validator.takeChecked(message).orElseThrow();
    assertThat(checked.message().message()).isEqualTo(vote);
    assertThat(checked.message().context().height()).isEqualTo(5);
    assertThat(checked.bytes()).isEqualTo(MessageCodec.encode(vote).length).isEqualTo(data.length - ConsensusEnvelope.HEADER_BYTES);
    assertThat(validator.takeChecked(message)).isEmpty();
    assertThat(validator.checkedWaiting()).isZero();
  }

  /** Only the full check stamps a message: ahead, stale, duplicate, refused or malformed ones are handed on as bytes. */
  @Test
  void nothingButAFullyCheckedMessageIsKept() {
    List<PubsubMessage> others = List.of(
        PubsubMessage.unsigned("t", ByteString.copyFrom(sealed(prepare(keys.get(0), 7)))), // ahead: accepted, author and signature only
        PubsubMessage.unsigned("t", ByteString.copyFrom(sealed(prepare(keys.get(0), 4)))), // stale
        PubsubMessage.unsigned("t", ByteString.copyFrom(sealed(prepare(KeyPair.fromSeedText("outsider"), 5)))),
        PubsubMessage.unsigned("t", ByteString.copyFrom(new byte[] {9, 9})),
        PubsubMessage.unsigned("t", ByteString.copyFrom(ConsensusEnvelope.seal(1, Bytes.wrap(new byte[] {1, 2, 3})))));
    for (PubsubMessage other : others) {
      validated(other);
      assertThat(validator.takeChecked(other)).isEmpty();
    }
    ConsensusMessage vote = prepare(keys.get(2), 5);
    PubsubMessage first = PubsubMessage.unsigned("t", ByteString.copyFrom(sealed(vote)));
    PubsubMessage replay = PubsubMessage.unsigned("t", ByteString.copyFrom(sealed(vote)));
    assertThat(validated(first)).isCompletedWithValue(ValidationResult.ACCEPT);
    assertThat(validated(replay)).isCompletedWithValue(ValidationResult.IGNORE);
    assertThat(validator.takeChecked(replay)).isEmpty();
    assertThat(validator.takeChecked(first)).isPresent();
  }
}
