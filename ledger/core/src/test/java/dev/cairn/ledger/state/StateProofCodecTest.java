package dev.cairn.ledger.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.encoding.CodecException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class StateProofCodecTest {

  /** The decoder's complaint about {@code bytes}, or null when they decode. */
  static String decodeFailure(byte[] bytes) {
    try {
      StateProof.decode(Bytes.wrap(bytes));
      return null;
    } catch (CodecException e) {
      return e.getMessage();
    }
  }

  private static Hash filled(int b) {
    byte[] bytes = new byte[Hash.SIZE];
    java.util.Arrays.fill(bytes, (byte) b);
    return Hash.wrap(bytes);
  }

  @Test
  void emptySiblingsCostOneBitEach() {
    List<Hash> siblings = new ArrayList<>(Collections.nCopies(10, Hash.ZERO));
    siblings.set(3, filled(0x11));
    StateProof proof = new StateProof(siblings, new StateProof.LeafSlot(filled(0x22), filled(0x33)));

    Bytes encoded = proof.encode();

    // version, depth, 2 bitmap bytes, one sibling, end kind, key and value digest
    assertThat(encoded.size()).isEqualTo(1 + 2 + 2 + 32 + 1 + 64);
    assertThat(encoded.slice(0, 5).toHex()).isEqualTo("01000a1000");
    assertThat(StateProof.decode(encoded)).isEqualTo(proof);
  }

  @Test
  void theEmptyTreeProofIsFourBytes() {
    StateProof proof = new StateProof(List.of(), new StateProof.EmptySlot());

    assertThat(proof.encode().toHex()).isEqualTo("01000000");
    assertThat(StateProof.decode(proof.encode())).isEqualTo(proof);
  }

  @Test
  void nonCanonicalFormsAreRejected() {
    assertThat(decodeFailure(Bytes.fromHex("02000000").toArray())).contains("version");
    assertThat(decodeFailure(Bytes.fromHex("01000002").toArray())).contains("end kind");
    // depth 3 with a padding bit set in the bitmap
    assertThat(decodeFailure(Bytes.fromHex("0100030100").toArray())).contains("padding");
    // a sibling flagged non-empty but given as 32 zero bytes
    assertThat(decodeFailure(Bytes.fromHex("01000180" + "00".repeat(32) + "00").toArray())).contains("bitmap");
    // deeper than a key has bits
    assertThat(decodeFailure(Bytes.fromHex("010101" + "00".repeat(33) + "00").toArray())).contains("exceeds");
  }

  @Test
  void oversizedInputIsRejectedBeforeParsing() {
    byte[] huge = new byte[StateProof.ENCODED_BYTES_MAX + 1];
    huge[0] = 1;

    assertThat(decodeFailure(huge)).contains("exceeds limit");
  }

  @Test
  void theLongestProofFitsTheLimit() {
    List<Hash> siblings = new ArrayList<>(Collections.nCopies(StateProof.SIBLINGS_MAX, filled(0x44)));
    StateProof proof = new StateProof(siblings, new StateProof.LeafSlot(filled(1), filled(2)));

    assertThat(proof.encode().size()).isEqualTo(StateProof.ENCODED_BYTES_MAX);
    assertThat(StateProof.decode(proof.encode())).isEqualTo(proof);
    assertThatThrownBy(() -> new StateProof(Collections.nCopies(StateProof.SIBLINGS_MAX + 1, Hash.ZERO), new StateProof.EmptySlot()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
