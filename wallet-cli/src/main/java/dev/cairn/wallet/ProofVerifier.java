package dev.cairn.wallet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.codec.LedgerCodec;
import dev.cairn.ledger.crypto.Address;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.crypto.Signature;
import dev.cairn.ledger.encoding.CodecException;
import dev.cairn.ledger.model.BlockHeader;
import dev.cairn.ledger.model.CommitCertificate;
import dev.cairn.ledger.model.CommitSeal;
import dev.cairn.ledger.model.Validation;
import dev.cairn.ledger.model.ValidatorSet;
import dev.cairn.ledger.state.StateKeys;
import dev.cairn.ledger.state.StateProof;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Checks a {@code cairn_getProof} answer trusting nothing but a validator set: the state key is recomputed
 * from what was asked (never read from the answer), the header is decoded from its canonical bytes (its JSON
 * fields are only compared, never used), the commit certificate must carry a quorum of the trusted set's seals
 * over that header's hash, and the state proof must lead from the value to the header's state root.
 */
public final class ProofVerifier {
  /** A certificate has at most one seal per validator; an answer with more is refused before any verification. */
  private static final int SEALS_MAX = dev.cairn.ledger.model.Limits.VALIDATORS_MAX;

  private ProofVerifier() {}

  /** Which link of the chain of trust failed. */
  public enum Step {
    MALFORMED_ANSWER,
    WRONG_SUBJECT,
    WRONG_HEIGHT,
    HEADER_MISMATCH,
    VALIDATOR_SET,
    CERTIFICATE,
    STATE_PROOF,
    TX_PROOF,
    RECEIPT_PROOF,
    /** The node's record history names no transaction that wrote the proven value (verify-file). */
    HISTORY
  }

  /** What the proof established, or the first failed step. */
  public sealed interface Verdict {
    record Verified(long height, Hash blockHash, Hash stateRoot, Optional<Bytes> value) implements Verdict {
      public Verified {
        Objects.requireNonNull(blockHash, "blockHash");
        Objects.requireNonNull(stateRoot, "stateRoot");
        Objects.requireNonNull(value, "value");
      }
    }

    record Rejected(Step step, String detail) implements Verdict {
      public Rejected {
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(detail, "detail");
      }
    }
  }

  /**
   * @param answer the {@code result} of {@code cairn_getProof}
   * @param address the account asked about
   * @param recordKey the record asked about, or empty for the account itself
   * @param height the height asked for, or empty for "latest"
   * @param trusted the validator set the caller trusts for that height
   */
  public static Verdict verify(JsonNode answer, Address address, Optional<String> recordKey, OptionalLong height,
      ValidatorSet trusted) {
    try {
      return verifyParsed(answer, address, recordKey, height, trusted);
    } catch (CodecException | IllegalArgumentException | IllegalStateException e) {
      return new Verdict.Rejected(Step.MALFORMED_ANSWER, String.valueOf(e.getMessage()));
    }
  }

  private static Verdict verifyParsed(JsonNode answer, Address address, Optional<String> recordKey, OptionalLong height,
      ValidatorSet trusted) {
    if (answer == null || !answer.isObject()) {
      return new Verdict.Rejected(Step.MALFORMED_ANSWER, "the answer is not a JSON object");
    }
    Hash stateKey = recordKey.map(k -> StateKeys.record(address, k)).orElseGet(() -> StateKeys.account(address));
    String answeredKey = answer.path("stateKey").asText("");
    if (!answeredKey.isEmpty() && !Hash.fromHex(answeredKey).equals(stateKey)) {
      return new Verdict.Rejected(Step.WRONG_SUBJECT, "the node proved state key " + answeredKey
          + ", not the one for " + address + recordKey.map(k -> " record '" + k + "'").orElse(""));
    }
    BlockHeader header = LedgerCodec.decodeHeader(hex(answer.path("header"), "encoded").toArray());
    Hash blockHash = header.hash();
    if (height.isPresent() && header.height() != height.getAsLong()) {
      Verdict.Rejected fields = headerFieldsAgree(answer.path("header"), header);
      return fields != null ? fields
          : new Verdict.Rejected(Step.WRONG_HEIGHT, "asked for height " + height.getAsLong() + ", got " + header.height());
    }
    Verdict.Rejected certified = certified(answer, header, trusted);
    if (certified != null) {
      return certified;
    }
    JsonNode valueNode = answer.path("value");
    Optional<Bytes> value = valueNode.isNull() || valueNode.isMissingNode()
        ? Optional.empty() : Optional.of(Bytes.fromHex(text(answer, "value")));
    StateProof proof = StateProof.decode(hex(answer, "proof"));
    Validation proven = StateProof.verify(header.stateRoot(), stateKey, value, proof);
    if (proven instanceof Validation.Invalid invalid) {
      return new Verdict.Rejected(Step.STATE_PROOF, invalid.toString());
    }
    return new Verdict.Verified(header.height(), blockHash, header.stateRoot(), value);
  }

  /**
   * The links from a trusted validator set to a header, for any proof against one: the header's JSON fields
   * say what its canonical bytes say, it names the trusted set, and a quorum of that set sealed its hash.
   * Null when all hold, else the first that does not.
   */
  static Verdict.Rejected certified(JsonNode answer, BlockHeader header, ValidatorSet trusted) {
    Verdict.Rejected fields = headerFieldsAgree(answer.path("header"), header);
    if (fields != null) {
      return fields;
    }
    if (!header.validatorSetHash().equals(trusted.hash())) {
      return new Verdict.Rejected(Step.VALIDATOR_SET, "block " + header.height() + " names validator set "
          + header.validatorSetHash().shortHex() + ", the trusted set is " + trusted.hash().shortHex()
          + " (the set changed since, or the file is for another chain)");
    }
    CommitCertificate certificate = certificate(answer.path("certificate"));
    Validation sealed = certificate.verify(header.hash(), trusted);
    if (sealed instanceof Validation.Invalid invalid) {
      return new Verdict.Rejected(Step.CERTIFICATE, invalid.toString());
    }
    return null;
  }

  /** The JSON header fields are for humans; if present they must say what the encoded header says. */
  private static Verdict.Rejected headerFieldsAgree(JsonNode json, BlockHeader header) {
    if (json.has("hash") && !Hash.fromHex(text(json, "hash")).equals(header.hash())) {
      return new Verdict.Rejected(Step.HEADER_MISMATCH, "header.hash differs from the hash of header.encoded");
    }
    if (json.has("stateRoot") && !Hash.fromHex(text(json, "stateRoot")).equals(header.stateRoot())) {
      return new Verdict.Rejected(Step.HEADER_MISMATCH, "header.stateRoot differs from header.encoded");
    }
    if (json.has("height") && json.path("height").asLong(-1) != header.height()) {
      return new Verdict.Rejected(Step.HEADER_MISMATCH, "header.height differs from header.encoded");
    }
    return null;
  }

  private static CommitCertificate certificate(JsonNode json) {
    JsonNode seals = json.path("seals");
    if (!seals.isArray() || seals.size() > SEALS_MAX) {
      throw new IllegalArgumentException("certificate.seals must be an array of at most " + SEALS_MAX);
    }
    List<CommitSeal> list = new ArrayList<>(seals.size());
    for (JsonNode seal : seals) {
      list.add(new CommitSeal(PublicKey.fromHex(text(seal, "validator")), new Signature(hex(seal, "signature"))));
    }
    return new CommitCertificate(Hash.fromHex(text(json, "blockHash")), list);
  }

  static Bytes hex(JsonNode node, String field) {
    return Bytes.fromHex(text(node, field));
  }

  static String text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    if (!value.isTextual()) {
      throw new IllegalArgumentException("missing or non-text field '" + field + "'");
    }
    return value.asText();
  }
}
