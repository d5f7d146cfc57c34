package dev.cairn.consensus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.consensus.message.ConsensusMessage;
import dev.cairn.consensus.message.MessageCodec;
import dev.cairn.consensus.message.PreparedCertificate;
import dev.cairn.ledger.model.Block;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MessageCodecTest {
  private final Fixture fx = new Fixture(4);

  private List<ConsensusMessage> samples() {
    Block block = fx.block(0, 0);
    PreparedCertificate certificate = fx.certificate(block, 0);
    return List.of(
        fx.proposal(0, block, List.of(), Optional.empty()),
        fx.proposal(1, block, fx.roundChanges(1, 3, Optional.of(certificate)), Optional.of(certificate)),
        ConsensusMessage.vote(fx.prepare(1, 0, block.hash())),
        ConsensusMessage.vote(fx.commit(2, 0, block.hash())),
        fx.roundChange(3, 1, Optional.of(certificate)),
        fx.roundChange(3, 2, Optional.empty()));
  }

  @Test
  void everyKindRoundTripsToAnEqualRecordAndTheSameBytes() {
    for (ConsensusMessage message : samples()) {
      byte[] bytes = MessageCodec.encode(message);
      MessageCodec.Decoding decoding = MessageCodec.decode(bytes);
      assertThat(decoding).isInstanceOf(MessageCodec.Decoding.Decoded.class);
      ConsensusMessage decoded = ((MessageCodec.Decoding.Decoded) decoding).message();
      assertThat(decoded).isEqualTo(message);
      assertThat(MessageCodec.encode(decoded)).isEqualTo(bytes);
    }
  }

  @Test
  void truncatedOrTrailingOrRandomBytesAreRejectedWithAReason() {
    SplittableRandom random = new SplittableRandom(42);
    for (ConsensusMessage message : samples()) {
      byte[] bytes = MessageCodec.encode(message);
      for (int cut = 0; cut < bytes.length; cut += 1 + bytes.length / 40) {
        assertThat(MessageCodec.decode(Arrays.copyOf(bytes, cut))).isInstanceOf(MessageCodec.Decoding.Rejected.class);
      }
      byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
      assertThat(MessageCodec.decode(longer)).isInstanceOf(MessageCodec.Decoding.Rejected.class);
    }
    for (int i = 0; i < 500; i++) {
      byte[] noise = new byte[random.nextInt(400)];
      random.nextBytes(noise);
      assertThat(MessageCodec.decode(noise)).isInstanceOf(MessageCodec.Decoding.Rejected.class);
    }
  }

  @Test
  void persistedStateRoundTrips() {
    Block block = fx.block(0, 0);
    PersistedState state = new PersistedState(1, samples(), Optional.of(fx.certificate(block, 0)));
    assertThat(PersistedStateCodec.decode(PersistedStateCodec.encode(state))).isEqualTo(state);
  }
}
