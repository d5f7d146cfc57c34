package dev.cairn.consensus;

import dev.cairn.consensus.message.ConsensusMessage;
import dev.cairn.consensus.message.MessageBody;
import dev.cairn.consensus.message.MessageKind;
import dev.cairn.consensus.message.PreparedCertificate;
import dev.cairn.consensus.message.SignedMessage;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.model.Block;
import dev.cairn.ledger.model.BlockHeader;
import dev.cairn.ledger.model.CommitSeal;
import dev.cairn.ledger.model.Validation;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Every check on a peer's message, in one place: shape, round window, author in the height's validator set,
 * signatures, commit seal, prepared certificates and a proposal's round-change justification. Cheap checks
 * run before signature checks. Returns a Validation naming the reason; never throws for bad input. The
 * height window (buffer or drop) is the engine's, because it depends on the engine's height.
 */
public final class MessageValidator {
  private final ConsensusConfig config;
  private final SignatureVerifier verifier;
  private final boolean unsafeSkipJustification;

  public MessageValidator(ConsensusConfig config, SignatureVerifier verifier) {
    this(config, verifier, false);
  }

  /** See {@link ConsensusEngine}'s package-private constructor: the test switch that removes the lock rule. */
  MessageValidator(ConsensusConfig config, SignatureVerifier verifier, boolean unsafeSkipJustification) {
    this.config = config;
    this.verifier = verifier;
    this.unsafeSkipJustification = unsafeSkipJustification;
  }

  /** Checks a message for {@code context.height()} received while the engine is in {@code currentRound}. */
  public Validation validate(ConsensusMessage message, HeightContext context, int currentRound) {
    Validation window = checkWindow(message, context, currentRound);
    if (!window.isValid()) {
      return window;
    }
    return checkContent(message, context);
  }

  /** The result of {@link #preverify}: the verdict and, when valid, the message stamped with its context. */
  public record Preverification(Validation validation, java.util.Optional<Preverified> preverified) {
    public Preverification {
      java.util.Objects.requireNonNull(validation, "validation");
      java.util.Objects.requireNonNull(preverified, "preverified");
    }
  }

  /**
   * The full check of a message for {@code context} at the message's own round, which is what a relay can
   * do without the engine's round: {@link #validate} with {@code currentRound = message.round()}, so the
   * round window always passes. When valid, the message comes back {@link Preverified}.
   */
  public Preverification preverify(ConsensusMessage message, HeightContext context) {
    Validation validation = validate(message, context, message.round());
    return new Preverification(validation,
        validation.isValid() ? java.util.Optional.of(new Preverified(message, context, this)) : java.util.Optional.empty());
  }

  /**
   * Exactly what {@link #validate} answers for {@code preverified.message()}: when this validator preverified
   * it under this very context, only the round window is checked again, because everything else {@code
   * validate} checks is a function of this validator, the message and the context alone, and all of it passed
   * (the preverification ran {@code validate} at the message's own round, where the window always passes);
   * otherwise the whole check.
   */
  public Validation validatePreverified(Preverified preverified, HeightContext context, int currentRound) {
    if (preverified.checkedBy() != this || !preverified.context().equals(context)) {
      return validate(preverified.message(), context, currentRound);
    }
    return checkWindow(preverified.message(), context, currentRound);
  }

  /** The height and the round window: the only checks that depend on where the engine is. */
  private Validation checkWindow(ConsensusMessage message, HeightContext context, int currentRound) {
    if (message.height() != context.height()) {
      return Validation.invalid("wrong_height", "message for " + message.height() + ", at " + context.height());
    }
    if ((long) message.round() > (long) currentRound + config.futureRoundsMax()) {
      return Validation.invalid(
          "far_future_round", "round " + message.round() + " beyond window of round " + currentRound);
    }
    return Validation.VALID;
  }

  /** Shape, author, signatures and the body's own checks: a function of the message and the context. */
  private Validation checkContent(ConsensusMessage message, HeightContext context) {
    Validation shape = checkShape(message);
    if (!shape.isValid()) {
      return shape;
    }
    Validation signed = validateSigned(message.signed(), context);
    if (!signed.isValid()) {
      return signed;
    }
    return switch (message.body()) {
      case MessageBody.Prepare p -> Validation.VALID;
      case MessageBody.Commit c ->
          verifier.verifySeal(new CommitSeal(message.author(), c.sealSignature()), c.blockHash())
              ? Validation.VALID
              : Validation.invalid("bad_commit_seal", "commit seal does not verify for " + message.author());
      case MessageBody.RoundChange rc -> validateRoundChangeCertificate(message, rc, context);
      case MessageBody.Proposal p -> validateProposal(message, p, context);
    };
  }

  /** Only PROPOSAL carries round changes; only PROPOSAL and ROUND_CHANGE carry a certificate. */
  private static Validation checkShape(ConsensusMessage message) {
    boolean extras = !message.roundChanges().isEmpty() || message.prepared().isPresent();
    return switch (message.kind()) {
      case PREPARE, COMMIT ->
          extras ? Validation.invalid("unexpected_justification", message.kind() + " carries extras") : Validation.VALID;
      case ROUND_CHANGE -> {
        if (!message.roundChanges().isEmpty()) {
          yield Validation.invalid("unexpected_justification", "round change carries round changes");
        }
        MessageBody.RoundChange rc = (MessageBody.RoundChange) message.body();
        Optional<MessageBody.PreparedRef> carried = message.prepared().map(PreparedCertificate::ref);
        yield carried.equals(rc.prepared())
            ? Validation.VALID
            : Validation.invalid("certificate_mismatch", "certificate does not match the signed summary");
      }
      case PROPOSAL -> Validation.VALID;
    };
  }

  /** Author in the validator set and signature valid. */
  public Validation validateSigned(SignedMessage signed, HeightContext context) {
    if (!context.validators().contains(signed.author())) {
      return Validation.invalid("author_not_validator", "author " + signed.author() + " not in validator set");
    }
    if (!verifier.verify(signed.author(), SignedMessage.digest(signed.body()), signed.signature())) {
      return Validation.invalid("bad_signature", signed.kind() + " signature does not verify for " + signed.author());
    }
    return Validation.VALID;
  }

  private Validation validateRoundChangeCertificate(
      ConsensusMessage message, MessageBody.RoundChange rc, HeightContext context) {
    if (message.prepared().isEmpty()) {
      return Validation.VALID;
    }
    return validateCertificate(message.prepared().get(), context);
  }

  /** A quorum of distinct, signed PREPAREs of one round for the certificate's block, which fits this height. */
  public Validation validateCertificate(PreparedCertificate certificate, HeightContext context) {
    Validation frame = validateBlockFrame(certificate.block(), context);
    if (!frame.isValid()) {
      return frame;
    }
    List<SignedMessage> prepares = certificate.prepares();
    if (prepares.size() < context.validators().quorum()) {
      return Validation.invalid(
          "certificate_below_quorum", prepares.size() + " prepares, quorum " + context.validators().quorum());
    }
    Set<PublicKey> authors = new HashSet<>();
    for (SignedMessage prepare : prepares) {
      if (!(prepare.body() instanceof MessageBody.Prepare p)
          || p.height() != context.height()
          || p.round() != certificate.round()
          || !p.blockHash().equals(certificate.blockHash())) {
        return Validation.invalid("certificate_foreign_vote", "certificate holds a vote for something else");
      }
      if (!authors.add(prepare.author())) {
        return Validation.invalid("certificate_duplicate_vote", "two prepares from " + prepare.author());
      }
    }
    for (SignedMessage prepare : prepares) {
      Validation signed = validateSigned(prepare, context);
      if (!signed.isValid()) {
        return signed;
      }
    }
    return Validation.VALID;
  }

  /** The block extends this height's parent under this height's validator set. */
  public Validation validateBlockFrame(Block block, HeightContext context) {
    BlockHeader header = block.header();
    if (header.height() != context.height()) {
      return Validation.invalid("wrong_block_height", "block at " + header.height() + ", expected " + context.height());
    }
    if (!header.parentHash().equals(context.parentHash())) {
      return Validation.invalid("wrong_parent", "block parent " + header.parentHash().shortHex());
    }
    if (!header.validatorSetHash().equals(context.validatorSetHash())) {
      return Validation.invalid("wrong_validator_set", "block names another validator set");
    }
    return Validation.VALID;
  }

  private Validation validateProposal(ConsensusMessage message, MessageBody.Proposal proposal, HeightContext context) {
    int round = proposal.round();
    PublicKey expectedProposer = context.validators().proposer(context.height(), round);
    if (!message.author().equals(expectedProposer)) {
      return Validation.invalid("not_proposer", message.author() + " is not the proposer of round " + round);
    }
    Validation frame = validateBlockFrame(proposal.block(), context);
    if (!frame.isValid()) {
      return frame;
    }
    if (round == 0) {
      if (!message.roundChanges().isEmpty() || message.prepared().isPresent()) {
        return Validation.invalid("unexpected_justification", "round 0 proposal carries a justification");
      }
      return checkFreshBlock(proposal, message.author());
    }
    return validateJustification(message, proposal, context);
  }

  /** A block built for this round: its header names this round and this proposer. */
  private static Validation checkFreshBlock(MessageBody.Proposal proposal, PublicKey author) {
    BlockHeader header = proposal.block().header();
    if (header.round() != proposal.round() || !header.proposer().equals(author)) {
      return Validation.invalid(
          "stale_block_header", "new block's header names round " + header.round() + " and another proposer");
    }
    return Validation.VALID;
  }

  /**
   * Round > 0: a quorum of signed ROUND_CHANGEs for exactly this round from distinct validators; if any of
   * them names a prepared block, the proposal carries the certificate of the highest one and proposes that
   * block (with its original header); otherwise it proposes a fresh block.
   */
  private Validation validateJustification(
      ConsensusMessage message, MessageBody.Proposal proposal, HeightContext context) {
    List<SignedMessage> roundChanges = message.roundChanges();
    int quorum = context.validators().quorum();
    if (roundChanges.size() < quorum) {
      return Validation.invalid("justification_below_quorum", roundChanges.size() + " round changes, quorum " + quorum);
    }
    Set<PublicKey> authors = new HashSet<>();
    for (SignedMessage roundChange : roundChanges) {
      if (!(roundChange.body() instanceof MessageBody.RoundChange rc)
          || rc.height() != proposal.height()
          || rc.round() != proposal.round()) {
        return Validation.invalid("justification_foreign_message", "justification holds another message");
      }
      if (!authors.add(roundChange.author())) {
        return Validation.invalid("justification_duplicate", "two round changes from " + roundChange.author());
      }
    }
    List<MessageBody.PreparedRef> summaries =
        roundChanges.stream()
            .map(rc -> ((MessageBody.RoundChange) rc.body()).prepared())
            .flatMap(Optional::stream)
            .toList();
    Optional<MessageBody.PreparedRef> highest =
        summaries.stream().max(Comparator.comparingInt(MessageBody.PreparedRef::round));
    Validation lockRule =
        unsafeSkipJustification
            ? checkUnsafe(message, proposal)
            : checkLockRule(message, proposal, highest, summaries);
    if (!lockRule.isValid()) {
      return lockRule;
    }
    if (message.prepared().isPresent()) {
      Validation certificate = validateCertificate(message.prepared().get(), context);
      if (!certificate.isValid()) {
        return certificate;
      }
    }
    for (SignedMessage roundChange : roundChanges) {
      Validation signed = validateSigned(roundChange, context);
      if (!signed.isValid()) {
        return signed;
      }
    }
    return Validation.VALID;
  }

  private static Validation checkLockRule(
      ConsensusMessage message,
      MessageBody.Proposal proposal,
      Optional<MessageBody.PreparedRef> highest,
      List<MessageBody.PreparedRef> summaries) {
    if (highest.isEmpty()) {
      if (message.prepared().isPresent()) {
        return Validation.invalid("unexpected_certificate", "no round change names a prepared block");
      }
      return checkFreshBlock(proposal, message.author());
    }
    // The carried certificate must be of the highest prepared round and named by one of the round changes.
    // (Two different blocks prepared in one round would need an honest validator to prepare both.)
    if (message.prepared().isEmpty()
        || message.prepared().get().round() != highest.get().round()
        || !summaries.contains(message.prepared().get().ref())) {
      return Validation.invalid(
          "justification_certificate_mismatch", "proposal lacks the certificate of the highest prepared round");
    }
    if (!proposal.block().hash().equals(message.prepared().get().blockHash())) {
      return Validation.invalid("proposal_not_locked_block", "proposal must re-propose the highest prepared block");
    }
    return Validation.VALID;
  }

  /** The mutation: any fresh block, or the carried certificate's block, is accepted. */
  private static Validation checkUnsafe(ConsensusMessage message, MessageBody.Proposal proposal) {
    if (message.prepared().isPresent() && message.prepared().get().blockHash().equals(proposal.block().hash())) {
      return Validation.VALID;
    }
    return checkFreshBlock(proposal, message.author());
  }

  static boolean isVote(MessageKind kind) {
    return kind == MessageKind.PREPARE || kind == MessageKind.COMMIT;
  }
}
