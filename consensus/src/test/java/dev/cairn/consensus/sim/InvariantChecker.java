package dev.cairn.consensus.sim;

import dev.cairn.consensus.Evidence;
import dev.cairn.consensus.SignatureVerifier;
import dev.cairn.ledger.model.CommitSeal;
import dev.cairn.consensus.message.MessageKind;
import dev.cairn.consensus.message.SignedMessage;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.model.BlockHeader;
import dev.cairn.ledger.model.CommitCertificate;
import dev.cairn.ledger.model.FinalizedBlock;
import dev.cairn.ledger.model.Validation;
import dev.cairn.ledger.model.ValidatorSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The invariants, checked as they happen: agreement (one block per height among honest validators),
 * validity (a finalized block executes on its parent and its certificate verifies against the validator
 * set), accountability (evidence never names an honest validator), liveness (checked by the Simulation).
 */
final class InvariantChecker {
  private final Map<Long, Hash> decided = new HashMap<>();
  private final SignatureVerifier verifier;
  final List<String> violations = new ArrayList<>();
  private final Map<OwnSlot, SignedMessage> signedByHonest = new HashMap<>();

  private record OwnSlot(int node, long height, int round, MessageKind kind) {}

  InvariantChecker(SignatureVerifier verifier) {
    this.verifier = verifier;
  }

  void onFinalized(SimNode node, FinalizedBlock finalized, BlockHeader parent, ValidatorSet validators, long now) {
    if (!node.honest()) {
      return;
    }
    long height = finalized.height();
    Hash hash = finalized.block().hash();
    Hash earlier = decided.putIfAbsent(height, hash);
    if (earlier != null && !earlier.equals(hash)) {
      violations.add("agreement: t=" + now + " " + node + " finalized " + hash.shortHex() + " at height " + height
          + " but " + earlier.shortHex() + " was finalized before");
    }
    Validation executes = SimBlocks.execute(finalized.block(), parent, validators);
    if (!executes.isValid()) {
      violations.add("validity: t=" + now + " " + node + " finalized a block that does not execute: " + executes);
    }
    Validation certificate = certificateValidity(finalized, validators);
    if (!certificate.isValid()) {
      violations.add("validity: t=" + now + " " + node + " finalized with a bad certificate: " + certificate);
    }
  }

  /**
   * What {@link CommitCertificate#verify} checks, with each seal's signature checked once per run (through
   * the simulator's cache: n validators finalize with overlapping sets of the same seals).
   */
  Validation certificateValidity(FinalizedBlock finalized, ValidatorSet validators) {
    CommitCertificate certificate = finalized.certificate();
    if (!certificate.blockHash().equals(finalized.block().hash())) {
      return Validation.invalid("certificate_wrong_block", "certificate for another block");
    }
    for (CommitSeal seal : certificate.seals()) {
      if (!validators.contains(seal.validator())) {
        return Validation.invalid("seal_from_non_validator", "seal from " + seal.validator());
      }
      if (!verifier.verifySeal(seal, certificate.blockHash())) {
        return Validation.invalid("seal_bad_signature", "bad seal from " + seal.validator());
      }
    }
    if (certificate.seals().size() < validators.quorum()) {
      return Validation.invalid("certificate_below_quorum", certificate.seals().size() + " seals");
    }
    return Validation.VALID;
  }

  void onEvidence(SimNode reporter, Evidence evidence, Map<dev.cairn.ledger.crypto.PublicKey, SimNode> byKey, long now) {
    SimNode accused = byKey.get(evidence.validator());
    if (reporter.honest() && (accused == null || accused.honest())) {
      violations.add("accountability: t=" + now + " " + reporter + " reported evidence against honest " + accused);
    }
  }

  /** Honest validators never sign two different messages of one kind for one (height, round). */
  void onOwnMessage(SimNode node, SignedMessage signed, long now) {
    if (!signed.author().equals(node.key.publicKey())) {
      violations.add("integrity: t=" + now + " " + node + " sent a message signed by someone else");
      return;
    }
    OwnSlot slot = new OwnSlot(node.index, signed.height(), signed.round(), signed.kind());
    SignedMessage earlier = signedByHonest.putIfAbsent(slot, signed);
    if (earlier != null && !earlier.body().equals(signed.body())) {
      violations.add("equivocation: t=" + now + " honest " + node + " signed two " + signed.kind() + " at height "
          + signed.height() + " round " + signed.round());
    }
  }

  /**
   * A validator restarted with an empty data dir no longer knows what it signed at heights up to {@code
   * height}, which every other honest validator has finalized (the operator waited for that): while it syncs
   * through them it may sign there again. Those heights are decided, and its peers drop messages for them as
   * stale, so only later heights still hold it to one message per slot.
   */
  void forgetBelow(SimNode node, long height) {
    signedByHonest.keySet().removeIf(slot -> slot.node() == node.index && slot.height() <= height);
  }

  void violation(String text) {
    violations.add(text);
  }
}
