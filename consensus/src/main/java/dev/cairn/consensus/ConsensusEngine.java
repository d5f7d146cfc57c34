package dev.cairn.consensus;

import dev.cairn.consensus.message.ConsensusMessage;
import dev.cairn.consensus.message.MessageBody;
import dev.cairn.consensus.message.MessageCodec;
import dev.cairn.consensus.message.MessageIdentity;
import dev.cairn.consensus.message.MessageKind;
import dev.cairn.consensus.message.PreparedCertificate;
import dev.cairn.consensus.message.SignedMessage;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.model.Block;
import dev.cairn.ledger.model.CommitCertificate;
import dev.cairn.ledger.model.CommitSeal;
import dev.cairn.ledger.model.FinalizedBlock;
import dev.cairn.ledger.model.Validation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The QBFT-style engine of one validator as a pure state machine: {@link #step} takes one input and returns
 * the effects to apply. No thread, clock, socket, database or randomness: the same inputs in the same order
 * give the same effects. Signing happens here, and every own message is remembered (and handed out to be
 * persisted) before it is broadcast, so a restored engine re-uses rather than re-signs. See
 * docs/consensus.md for the protocol and the safety and liveness argument.
 */
public final class ConsensusEngine {
  private final ConsensusConfig config;
  private final KeyPair key;
  private final PublicKey self;
  private final MessageValidator validator;
  private final FutureMessageBuffer future;
  private Optional<PersistedState> restored;
  private HeightState state;
  private Effects.Builder out;
  /** Identifies the latest timer request; only that one counts when it fires. */
  private long timerSequence;
  private boolean persistDirty;

  private final boolean unsafeSkipJustification;

  public ConsensusEngine(
      ConsensusConfig config, KeyPair key, SignatureVerifier verifier, Optional<PersistedState> restored) {
    this(config, key, verifier, restored, false);
  }

  /**
   * TEST ONLY, package-private so that no node can reach it: with {@code unsafeSkipJustification} proposers
   * ignore prepared certificates and validators accept any fresh block in rounds > 0, i.e. the lock is gone.
   * The simulator's mutation test uses it to show that the invariant checker then finds forks.
   */
  ConsensusEngine(
      ConsensusConfig config,
      KeyPair key,
      SignatureVerifier verifier,
      Optional<PersistedState> restored,
      boolean unsafeSkipJustification) {
    this.config = config;
    this.key = key;
    this.self = key.publicKey();
    this.unsafeSkipJustification = unsafeSkipJustification;
    this.validator = new MessageValidator(config, verifier, unsafeSkipJustification);
    this.future = new FutureMessageBuffer(config.futureMessagesPerSenderMax(), config.futureBytesPerSenderMax());
    this.restored = restored;
  }

  public PublicKey self() {
    return self;
  }

  /**
   * The engine's own message checks: the gossip relay checks messages with it, so that what it
   * {@link MessageValidator#preverify preverified} the engine need not check again.
   */
  public MessageValidator messageValidator() {
    return validator;
  }

  /** The height in progress, or -1 before the first NewHeight. */
  public long height() {
    return state == null ? -1 : state.height();
  }

  public int round() {
    return state == null ? 0 : state.round;
  }

  public Optional<PreparedCertificate> lock() {
    return state == null ? Optional.empty() : state.lock;
  }

  /** Blocks held for the height in progress (proposals and certificates): for tests and metrics. */
  public int storedBlocks() {
    return state == null ? 0 : state.blocks.size();
  }

  /** Messages held for later heights: for tests and metrics. */
  public int futureMessages() {
    return future.size();
  }

  public Effects step(Input input) {
    out = new Effects.Builder();
    persistDirty = false;
    switch (input) {
      case Input.NewHeight newHeight -> onNewHeight(newHeight);
      case Input.MessageReceived received -> onMessage(received.message(), Optional.empty());
      case Input.PreverifiedReceived received -> onMessage(received.preverified().message(), Optional.of(received.preverified()));
      case Input.MessageBytesReceived bytes -> {
        switch (MessageCodec.decode(bytes.bytes().unsafeArray())) {
          case MessageCodec.Decoding.Decoded decoded -> onMessage(decoded.message(), Optional.empty());
          case MessageCodec.Decoding.Rejected rejected -> out.reject(rejected.reason());
        }
      }
      case Input.TimerFired timer -> onTimer(timer);
      case Input.CandidateReady candidate -> onCandidate(candidate.block());
      case Input.BlockValidated validated -> onBlockValidated(validated);
    }
    Optional<PersistedState> persist = persistDirty ? Optional.of(state.persisted()) : Optional.empty();
    return out.build(persist);
  }

  // ---- heights and rounds ----

  private void onNewHeight(Input.NewHeight newHeight) {
    long height = newHeight.parent().height() + 1;
    if (state != null && height <= state.height()) {
      out.reject(Validation.invalid("stale_new_height", "new height " + height + " not above " + state.height()));
      return;
    }
    state = new HeightState(HeightContext.of(height, newHeight.parent().hash(), newHeight.validators()));
    int startRound = 0;
    if (restored.isPresent() && restored.get().height() == height) {
      startRound = restore(restored.get());
    }
    if (restored.isPresent() && restored.get().height() <= height) {
      // Kept while above us: a node that starts below its persisted height (then syncs) must still not
      // sign anything different there.
      restored = Optional.empty();
    }
    enterRound(startRound, false);
    rebroadcastOwn(startRound); // after a restart: they may never have left before the crash
    for (ConsensusMessage message : future.drain(height)) {
      onMessage(message, Optional.empty());
    }
  }

  /** Takes back what was persisted at this height; resumes in the highest round we had signed in. */
  private int restore(PersistedState persisted) {
    int round = 0;
    state.lock = persisted.lock();
    for (ConsensusMessage message : persisted.ownMessages()) {
      state.own.put(new HeightState.OwnKey(message.round(), message.kind()), message);
      round = Math.max(round, message.round());
      record(message);
      if (message.kind() == MessageKind.PROPOSAL) {
        state.log(message.round()).proposal = message;
      }
    }
    return round;
  }

  private void enterRound(int round, boolean sendRoundChange) {
    state.round = round;
    state.noteRound(self, round);
    state.prune(config.roundsRetainedMax());
    if (sendRoundChange && isValidator()) {
      out.broadcast.add(ownRoundChange(round));
    }
    state.quorumInRound = state.countAtOrAbove(round) >= state.context.validators().quorum();
    armTimer();
    if (isProposer(round)) {
      tryPropose();
    }
    RoundLog log = state.rounds.get(round);
    if (log != null && log.proposal != null) {
      requestValidationOrPrepare(log.proposal);
    }
  }

  /** (Re)starts the timer of the current round; any earlier timer of this engine is stale from now on. */
  private void armTimer() {
    int round = state.round;
    out.timers.add(new Effects.TimerRequest(state.height(), round, ++timerSequence, config.roundTimeoutMillis(round)));
  }

  /**
   * The round's timeout counts from the moment a quorum is known to be in it: a validator that got here
   * early (and waited) must not leave just as the others arrive. See "Waiting rounds" in docs/consensus.md.
   */
  private void checkQuorumArrived() {
    if (!state.finalized && !state.quorumInRound
        && state.countAtOrAbove(state.round) >= state.context.validators().quorum()) {
      state.quorumInRound = true;
      armTimer();
    }
  }

  private void onTimer(Input.TimerFired fired) {
    Effects.TimerRequest timer = fired.timer();
    if (state == null || state.finalized || timer.sequence() != timerSequence
        || timer.height() != state.height() || timer.round() != state.round) {
      return;
    }
    int round = state.round;
    if (state.countAtOrAbove(round) >= state.context.validators().quorum()) {
      enterRound(round + 1, true);
      return;
    }
    // Not enough validators are with us in this round: moving on alone would only widen the gap. Repeat what
    // we signed in this round (it may have been lost) and wait; see "Waiting rounds" in docs/consensus.md.
    rebroadcastOwn(round);
    armTimer();
  }

  private void maybeJumpRound() {
    if (state.finalized) {
      return;
    }
    Optional<Integer> target = state.roundJumpTarget(self);
    if (target.isPresent() && target.get() > state.round) {
      enterRound(target.get(), true);
    }
  }

  /** Outside this height's validator set the engine only follows (and finalizes): it signs nothing. */
  private boolean isValidator() {
    return state.context.validators().contains(self);
  }

  private boolean isProposer(int round) {
    return state.context.validators().proposer(state.height(), round).equals(self);
  }

  // ---- proposing ----

  private void tryPropose() {
    int round = state.round;
    ConsensusMessage ownProposal = state.own.get(new HeightState.OwnKey(round, MessageKind.PROPOSAL));
    if (state.finalized || ownProposal != null) {
      return;
    }
    if (round == 0) {
      requestCandidate();
      return;
    }
    List<ConsensusMessage> justification = justification(round);
    if (justification.isEmpty()) {
      return;
    }
    Optional<PreparedCertificate> highest = highestCertificate(justification);
    if (highest.isPresent() && !unsafeSkipJustification) {
      propose(highest.get().block(), justification, highest);
    } else {
      requestCandidate();
    }
  }

  /** A quorum of round changes for {@code round}, those with the highest prepared rounds first; or empty. */
  private List<ConsensusMessage> justification(int round) {
    RoundLog log = state.rounds.get(round);
    int quorum = state.context.validators().quorum();
    if (log == null || log.roundChanges.size() < quorum) {
      return List.of();
    }
    List<ConsensusMessage> sorted = new ArrayList<>(log.roundChanges.values());
    sorted.sort(Comparator.comparingInt((ConsensusMessage m) -> m.prepared().map(PreparedCertificate::round).orElse(-1)).reversed());
    return sorted.subList(0, quorum);
  }

  private static Optional<PreparedCertificate> highestCertificate(List<ConsensusMessage> roundChanges) {
    return roundChanges.stream()
        .map(ConsensusMessage::prepared)
        .flatMap(Optional::stream)
        .max(Comparator.comparingInt(PreparedCertificate::round));
  }

  private void requestCandidate() {
    if (state.candidateRequestedRound != state.round) {
      state.candidateRequestedRound = state.round;
      out.buildBlock = Optional.of(new Effects.BuildBlock(state.height(), state.round));
    }
  }

  private void onCandidate(Block block) {
    if (state == null || state.finalized) {
      return;
    }
    int round = state.round;
    if (block.height() != state.height()
        || block.header().round() != round
        || !block.header().proposer().equals(self)
        || !isProposer(round)
        || state.own.containsKey(new HeightState.OwnKey(round, MessageKind.PROPOSAL))) {
      out.reject(Validation.invalid("candidate_not_wanted", "candidate for height " + block.height() + " round " + block.header().round()));
      return;
    }
    Validation frame = validator.validateBlockFrame(block, state.context);
    if (!frame.isValid()) {
      out.reject(frame);
      return;
    }
    List<ConsensusMessage> justification = round == 0 ? List.of() : justification(round);
    if (round > 0 && justification.isEmpty()) {
      return;
    }
    if (highestCertificate(justification).isPresent() && !unsafeSkipJustification) {
      return; // the locked block must be re-proposed instead; tryPropose did so
    }
    // We built it from our own mempool and executed it: no need to validate it again.
    state.validations.put(block.hash(), Validation.VALID);
    propose(block, justification, Optional.empty());
  }

  private void propose(Block block, List<ConsensusMessage> justification, Optional<PreparedCertificate> certificate) {
    int round = state.round;
    List<SignedMessage> roundChanges = justification.stream().map(ConsensusMessage::signed).toList();
    SignedMessage signed = signOnce(new MessageBody.Proposal(state.height(), round, block));
    ConsensusMessage proposal = new ConsensusMessage(signed, roundChanges, certificate);
    rememberOwn(proposal);
    record(proposal);
    out.broadcast.add(proposal);
    onProposal(proposal);
  }

  // ---- receiving ----

  /** @param preverified the relay's check of {@code message}, if it made one (the same check, not repeated) */
  private void onMessage(ConsensusMessage message, Optional<Preverified> preverified) {
    if (state == null) {
      out.reject(Validation.invalid("not_started", "no height started yet"));
      return;
    }
    long height = state.height();
    if (message.height() < height) {
      out.reject(Validation.invalid("stale_height", "message for " + message.height() + " at " + height));
      return;
    }
    if (message.height() > height) {
      bufferFuture(message);
      return;
    }
    RoundLog known = state.rounds.get(message.round());
    if (known != null && known.contains(message)) {
      return; // duplicate delivery
    }
    if (known != null && isSecondProposal(known, message)) {
      onSecondProposal(known, message);
      return;
    }
    Validation validation = preverified.isPresent()
        ? validator.validatePreverified(preverified.get(), state.context, state.round)
        : validator.validate(message, state.context, state.round);
    if (!validation.isValid()) {
      out.reject(validation);
      return;
    }
    if (message.round() < state.round - config.roundsRetainedMax()) {
      return; // valid but too old to matter; its log was pruned
    }
    record(message);
    switch (message.kind()) {
      case PROPOSAL -> onProposal(message);
      case PREPARE -> checkPrepared(message.round());
      case COMMIT -> checkCommitted(message.round(), RoundLog.blockHashOf(message.signed()));
      case ROUND_CHANGE -> onRoundChange(message);
    }
    maybeJumpRound();
    checkQuorumArrived();
  }

  private void bufferFuture(ConsensusMessage message) {
    long ahead = message.height() - state.height();
    if (ahead > config.futureHeightsMax()) {
      out.reject(Validation.invalid("far_future_height", "message " + ahead + " heights ahead"));
      return;
    }
    byte[] encoded = MessageCodec.encode(message);
    Hash identity = MessageIdentity.of(encoded);
    if (future.contains(identity)) {
      return; // a copy of a buffered message: no second signature check, no room taken
    }
    // Admit only signed messages of current validators: that bounds the buffer by n * perSenderBytesMax.
    Validation signed = validator.validateSigned(message.signed(), state.context);
    out.reject(signed.isValid() ? future.offer(message, identity, encoded.length) : signed);
  }

  /** Logs a validated (or own) message: votes with equivocation detection, blocks for finalization. */
  private void record(ConsensusMessage message) {
    RoundLog log = state.log(message.round());
    state.noteRound(message.author(), message.round());
    switch (message.body()) {
      case MessageBody.Proposal p -> {
        Optional<SignedMessage> earlier = RoundLog.recordProposal(log.proposals, message.signed());
        if (earlier.isPresent()) {
          evidence(earlier.get(), message);
          return;
        }
        state.blocks.putIfAbsent(p.block().hash(), p.block());
        // Its validated justification proves that a quorum has reached this round.
        message.roundChanges().forEach(rc -> state.noteRound(rc.author(), rc.round()));
      }
      case MessageBody.Prepare p -> RoundLog.record(log.prepares, message.signed()).ifPresent(e -> evidence(e, message));
      case MessageBody.Commit c -> RoundLog.record(log.commits, message.signed()).ifPresent(e -> evidence(e, message));
      case MessageBody.RoundChange rc -> {
        if (log.roundChanges.putIfAbsent(message.author(), message) == null) {
          message.prepared().ifPresent(cert -> state.blocks.putIfAbsent(cert.blockHash(), cert.block()));
        }
      }
    }
  }

  /** A proposal of an author who already has a different one in this round: equivocation, never stored. */
  private static boolean isSecondProposal(RoundLog log, ConsensusMessage message) {
    if (message.kind() != MessageKind.PROPOSAL) {
      return false;
    }
    SignedMessage earlier = log.proposals.get(message.author());
    return earlier != null && !earlier.equals(message.signed());
  }

  /**
   * Checks only the second proposal's signature (one verification, not its justification): a valid one is
   * evidence against the proposer; either way its block is dropped.
   */
  private void onSecondProposal(RoundLog log, ConsensusMessage message) {
    Validation signed = validator.validateSigned(message.signed(), state.context);
    if (!signed.isValid()) {
      out.reject(signed);
      return;
    }
    evidence(log.proposals.get(message.author()), message);
    out.reject(Validation.invalid("proposal_equivocation", "second proposal of " + message.author() + " in round " + message.round()));
  }

  private void evidence(SignedMessage earlier, ConsensusMessage later) {
    // Reported once per slot, however many more conflicting votes the validator sends.
    if (state.evidenceReported.add(new HeightState.VoteSlot(later.round(), later.kind(), later.author()))) {
      out.evidence.add(new Evidence(earlier, later.signed()));
    }
  }

  private void onProposal(ConsensusMessage proposal) {
    int round = proposal.round();
    Block block = ((MessageBody.Proposal) proposal.body()).block();
    if (!proposal.signed().equals(state.log(round).proposals.get(proposal.author()))) {
      return; // a second proposal of its author in this round: evidence, not a block to follow
    }
    checkAllRoundsCommitted(block.hash());
    if (state.finalized || round < state.round) {
      return;
    }
    RoundLog log = state.log(round);
    if (log.proposal != null && !log.proposal.signed().equals(proposal.signed())) {
      return; // the proposer equivocated: the first proposal we saw stands
    }
    log.proposal = proposal;
    if (round > state.round) {
      // A valid proposal for a later round carries a quorum of round changes for it: follow it there.
      enterRound(round, false);
      return;
    }
    requestValidationOrPrepare(proposal);
  }

  private void requestValidationOrPrepare(ConsensusMessage proposal) {
    Block block = ((MessageBody.Proposal) proposal.body()).block();
    Hash hash = block.hash();
    if (state.validations.containsKey(hash)) {
      maybePrepare();
    } else if (state.validationRequested.add(hash)) {
      out.validate.add(block);
    }
  }

  private void onBlockValidated(Input.BlockValidated validated) {
    if (state == null || !state.validationRequested.contains(validated.blockHash())) {
      return;
    }
    state.validations.put(validated.blockHash(), validated.result());
    maybePrepare();
  }

  private void onRoundChange(ConsensusMessage roundChange) {
    roundChange.prepared().ifPresent(cert -> checkAllRoundsCommitted(cert.blockHash()));
    if (roundChange.round() == state.round && isProposer(state.round)) {
      tryPropose();
    }
  }

  // ---- voting ----

  /** PREPARE the current round's proposal once its block executed correctly. */
  private void maybePrepare() {
    RoundLog log = state.rounds.get(state.round);
    if (state.finalized || log == null || log.proposal == null || !isValidator()) {
      return;
    }
    Hash hash = ((MessageBody.Proposal) log.proposal.body()).block().hash();
    Validation validation = state.validations.get(hash);
    if (validation == null || !validation.isValid()) {
      return;
    }
    if (!state.own.containsKey(new HeightState.OwnKey(state.round, MessageKind.PREPARE))) {
      ConsensusMessage prepare = ConsensusMessage.vote(signOnce(new MessageBody.Prepare(state.height(), state.round, hash)));
      rememberOwn(prepare);
      record(prepare);
      out.broadcast.add(prepare);
    }
    checkPrepared(state.round);
  }

  /** On a quorum of PREPAREs for the proposal we prepared: lock on it and COMMIT. */
  private void checkPrepared(int round) {
    RoundLog log = state.rounds.get(round);
    if (state.finalized || round != state.round || log == null || log.proposal == null) {
      return;
    }
    if (!state.own.containsKey(new HeightState.OwnKey(round, MessageKind.PREPARE))
        || state.own.containsKey(new HeightState.OwnKey(round, MessageKind.COMMIT))) {
      return;
    }
    Block block = ((MessageBody.Proposal) log.proposal.body()).block();
    Hash hash = block.hash();
    List<SignedMessage> prepares = RoundLog.votesFor(log.prepares, hash);
    int quorum = state.context.validators().quorum();
    if (prepares.size() < quorum) {
      return;
    }
    state.lock = Optional.of(new PreparedCertificate(block, prepares.subList(0, quorum)));
    persistDirty = true;
    CommitSeal seal = CommitSeal.sign(key, hash);
    ConsensusMessage commit =
        ConsensusMessage.vote(signOnce(new MessageBody.Commit(state.height(), round, hash, seal.signature())));
    rememberOwn(commit);
    record(commit);
    out.broadcast.add(commit);
    checkCommitted(round, hash);
  }

  private void checkAllRoundsCommitted(Hash hash) {
    for (Integer round : List.copyOf(state.rounds.keySet())) {
      checkCommitted(round, hash);
    }
  }

  /** A quorum of COMMITs of one round for a block we hold: the block is final. */
  private void checkCommitted(int round, Hash hash) {
    RoundLog log = state.rounds.get(round);
    Block block = state.blocks.get(hash);
    if (state.finalized || log == null || block == null) {
      return;
    }
    List<SignedMessage> commits = RoundLog.votesFor(log.commits, hash);
    if (commits.size() < state.context.validators().quorum()) {
      return;
    }
    List<CommitSeal> seals = new ArrayList<>(commits.size());
    for (SignedMessage commit : commits) {
      seals.add(new CommitSeal(commit.author(), ((MessageBody.Commit) commit.body()).sealSignature()));
    }
    state.finalized = true;
    out.finalized = Optional.of(new FinalizedBlock(block, new CommitCertificate(hash, seals)));
  }

  // ---- own messages ----

  private ConsensusMessage ownRoundChange(int round) {
    HeightState.OwnKey key = new HeightState.OwnKey(round, MessageKind.ROUND_CHANGE);
    ConsensusMessage existing = state.own.get(key);
    if (existing != null) {
      return existing; // signed before a restart: re-send it, never sign a second one
    }
    MessageBody.RoundChange body =
        new MessageBody.RoundChange(state.height(), round, state.lock.map(PreparedCertificate::ref));
    ConsensusMessage roundChange = new ConsensusMessage(signOnce(body), List.of(), state.lock);
    rememberOwn(roundChange);
    record(roundChange);
    return roundChange;
  }

  /**
   * Signs {@code body} unless we already signed a message of its kind in its round. Signing a different one
   * would be equivocation: that is a bug in this engine, so it halts instead.
   */
  private SignedMessage signOnce(MessageBody body) {
    ConsensusMessage existing = state.own.get(new HeightState.OwnKey(body.round(), body.kind()));
    if (existing != null) {
      if (!existing.body().equals(body)) {
        throw new IllegalStateException(
            "refusing to sign a second " + body.kind() + " at height " + body.height() + " round " + body.round());
      }
      return existing.signed();
    }
    return SignedMessage.sign(key, body);
  }

  /** Re-sends every message we signed in {@code round}: the same signed bytes, never a new signature. */
  private void rebroadcastOwn(int round) {
    for (MessageKind kind : MessageKind.values()) {
      ConsensusMessage own = state.own.get(new HeightState.OwnKey(round, kind));
      if (own != null) {
        out.broadcast.add(own);
      }
    }
  }

  private void rememberOwn(ConsensusMessage message) {
    state.own.putIfAbsent(new HeightState.OwnKey(message.round(), message.kind()), message);
    persistDirty = true;
  }
}
