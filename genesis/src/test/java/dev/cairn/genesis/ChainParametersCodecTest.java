package dev.cairn.genesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.encoding.CodecException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChainParametersCodecTest {

  @Test
  void encodingRoundTripsAndSortsObservers() {
    List<PublicKey> observers = new ArrayList<>(GenesisFixtures.keys("observer-", 5));
    ChainParameters parameters = new ChainParameters("cairn-test", ConsensusParameters.DEFAULTS, observers);
    ChainParameters back = ChainParametersCodec.decode(ChainParametersCodec.encode(parameters));
    assertThat(back).isEqualTo(parameters);
    assertThat(back.observers()).isSorted();
  }

  @Test
  void observerOrderDoesNotChangeTheEncoding() {
    List<PublicKey> observers = GenesisFixtures.keys("observer-", 5);
    List<PublicKey> reversed = new ArrayList<>(observers);
    java.util.Collections.reverse(reversed);
    assertThat(ChainParametersCodec.encode(new ChainParameters("c", ConsensusParameters.DEFAULTS, observers)))
        .isEqualTo(ChainParametersCodec.encode(new ChainParameters("c", ConsensusParameters.DEFAULTS, reversed)));
  }

  @Test
  void theLayoutIsTheDocumentedOne() {
    ConsensusParameters c = new ConsensusParameters(1000, 2000, 60000, 10000, 8388608, true);
    Bytes encoded = ChainParametersCodec.encode(new ChainParameters("ab", c, List.of()));
    assertThat(encoded.toHex()).isEqualTo(
        "3001" + "00000002" + "6162"
            + "00000000000003e8" + "00000000000007d0" + "000000000000ea60"
            + "00002710" + "00800000" + "01"
            + "00000000");
  }

  @Test
  void decodeRefusesTrailingBytesUnsortedObserversAndBadParameters() {
    Bytes good = ChainParametersCodec.encode(ChainParameters.of(GenesisFixtures.config()));
    assertThatThrownBy(() -> ChainParametersCodec.decode(good.concat(Bytes.wrap(new byte[] {0}))))
        .isInstanceOf(CodecException.class);

    byte[] swapped = good.toArray();
    int observersAt = swapped.length - 2 * PublicKey.SIZE;
    byte[] first = java.util.Arrays.copyOfRange(swapped, observersAt, observersAt + PublicKey.SIZE);
    System.arraycopy(swapped, observersAt + PublicKey.SIZE, swapped, observersAt, PublicKey.SIZE);
    System.arraycopy(first, 0, swapped, observersAt + PublicKey.SIZE, PublicKey.SIZE);
    assertThatThrownBy(() -> ChainParametersCodec.decode(Bytes.wrap(swapped)))
        .isInstanceOf(CodecException.class).hasMessageContaining("observers not sorted");

    byte[] badPeriod = ChainParametersCodec.encode(new ChainParameters("ab", ConsensusParameters.DEFAULTS, List.of())).toArray();
    int periodAt = 2 + 4 + 2;
    badPeriod[periodAt + 6] = 0;
    badPeriod[periodAt + 7] = 1; // blockPeriodMillis = 1, below the minimum
    assertThatThrownBy(() -> ChainParametersCodec.decode(Bytes.wrap(badPeriod)))
        .isInstanceOf(CodecException.class).hasMessageContaining("blockPeriodMillis");
  }
}
