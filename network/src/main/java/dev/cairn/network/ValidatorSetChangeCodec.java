package dev.cairn.network;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.codec.LedgerCodec;
import dev.cairn.ledger.encoding.CanonicalReader;
import dev.cairn.ledger.encoding.CanonicalWriter;
import dev.cairn.ledger.encoding.CodecException;
import dev.cairn.ledger.model.Limits;
import dev.cairn.ledger.state.StateProof;
import dev.cairn.network.ports.ValidatorSetChange;
import java.util.ArrayList;
import java.util.List;

/**
 * Wire encoding of the validator-set-changes protocol ({@link NetworkTopics#validatorSetChangesProtocol}), version 1.
 * Request: {@code u64 after_height | u8 count_max} (9 bytes, exactly): the changes whose new set is in force from
 * a height above {@code after_height}, ascending, at most {@code count_max} (capped at {@link #CHANGES_PER_RESPONSE_MAX}).
 * Response: {@code u32 count | count x (bytes header | bytes certificate | bytes validator set | bytes state proof)},
 * each {@code bytes} a u32 length then the canonical encoding, bounded by the limits below; an empty list means
 * no change above the height. Decoding untrusted bytes never throws: it returns {@link SyncCodec.Decoding.Malformed}.
 */
public final class ValidatorSetChangeCodec {
  public static final int REQUEST_BYTES = 9;
  public static final int CHANGES_PER_RESPONSE_MAX = 16;
  /** A header's canonical encoding is about 250 bytes; this leaves room for the type tag and future fields. */
  public static final int HEADER_BYTES_MAX = 1024;
  /** Tag, block hash, count, then one 32-byte key and 64-byte signature per seal. */
  public static final int CERTIFICATE_BYTES_MAX = 64 + Limits.VALIDATORS_MAX * 96;
  public static final int VALIDATOR_SET_BYTES_MAX = 64 + Limits.VALIDATORS_MAX * 32;
  public static final int CHANGE_BYTES_MAX =
      HEADER_BYTES_MAX + CERTIFICATE_BYTES_MAX + VALIDATOR_SET_BYTES_MAX + StateProof.ENCODED_BYTES_MAX + 16;
  /** The largest response a joining node reads: a little over 2 MiB. */
  public static final int RESPONSE_BYTES_MAX = 4 + CHANGES_PER_RESPONSE_MAX * CHANGE_BYTES_MAX;

  /** What a server puts in one response, beyond its first change: well under the requests' response limit. */
  public static final int RESPONSE_BUDGET_BYTES = 1024 * 1024;

  private ValidatorSetChangeCodec() {}

  /** Changes whose new set is in force from a height above {@code afterHeight}. */
  public record Request(long afterHeight, int countMax) {
    public Request {
      if (afterHeight < 0 || countMax < 1 || countMax > CHANGES_PER_RESPONSE_MAX) {
        throw new IllegalArgumentException("after height >= 0 and count in [1, " + CHANGES_PER_RESPONSE_MAX + "] required");
      }
    }
  }

  public static byte[] encode(Request request) {
    return new CanonicalWriter(REQUEST_BYTES).u64(request.afterHeight()).u8(request.countMax()).toByteArray();
  }

  public static SyncCodec.Decoding<Request> decodeRequest(byte[] bytes) {
    try {
      CanonicalReader r = new CanonicalReader(bytes);
      long after = r.u64("after_height");
      int count = r.u8("count_max");
      r.finish("set_changes_request");
      return new SyncCodec.Decoding.Ok<>(new Request(after, Math.min(Math.max(count, 1), CHANGES_PER_RESPONSE_MAX)));
    } catch (CodecException | IllegalArgumentException e) {
      return new SyncCodec.Decoding.Malformed<>("set_changes_request_malformed: " + e.getMessage());
    }
  }

  public static byte[] encode(List<ValidatorSetChange> changes) {
    if (changes.size() > CHANGES_PER_RESPONSE_MAX) {
      throw new IllegalArgumentException("at most " + CHANGES_PER_RESPONSE_MAX + " changes per response");
    }
    CanonicalWriter out = new CanonicalWriter().u32(changes.size());
    for (ValidatorSetChange change : changes) {
      out.bytes(Bytes.wrap(LedgerCodec.encode(change.lastHeader())), HEADER_BYTES_MAX)
          .bytes(Bytes.wrap(LedgerCodec.encode(change.lastCertificate())), CERTIFICATE_BYTES_MAX)
          .bytes(Bytes.wrap(LedgerCodec.encode(change.next())), VALIDATOR_SET_BYTES_MAX)
          .bytes(change.proof().encode(), StateProof.ENCODED_BYTES_MAX);
    }
    return out.toByteArray();
  }

  public static SyncCodec.Decoding<List<ValidatorSetChange>> decodeChanges(byte[] bytes) {
    if (bytes.length > RESPONSE_BYTES_MAX) {
      return new SyncCodec.Decoding.Malformed<>("set_changes_malformed: " + bytes.length + " bytes, limit " + RESPONSE_BYTES_MAX);
    }
    try {
      CanonicalReader r = new CanonicalReader(bytes);
      int count = r.u32Bounded("count", CHANGES_PER_RESPONSE_MAX);
      List<ValidatorSetChange> changes = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        changes.add(new ValidatorSetChange(
            LedgerCodec.decodeHeader(r.bytes("header", HEADER_BYTES_MAX).unsafeArray()),
            LedgerCodec.decodeCertificate(r.bytes("certificate", CERTIFICATE_BYTES_MAX).unsafeArray()),
            LedgerCodec.decodeValidatorSet(r.bytes("validator_set", VALIDATOR_SET_BYTES_MAX).unsafeArray()),
            StateProof.decode(r.bytes("proof", StateProof.ENCODED_BYTES_MAX))));
      }
      r.finish("set_changes");
      return new SyncCodec.Decoding.Ok<>(changes);
    } catch (CodecException | IllegalArgumentException e) {
      return new SyncCodec.Decoding.Malformed<>("set_changes_malformed: " + e.getMessage());
    }
  }
}
