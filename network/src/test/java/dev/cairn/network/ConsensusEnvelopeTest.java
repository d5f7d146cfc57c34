package dev.cairn.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.p2p.gossip.MessageIdFunction;
import dev.cairn.p2p.gossip.PubsubMessage;
import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsensusEnvelopeTest {
  private static final Bytes VOTE = Bytes.wrap(new byte[] {9, 8, 7, 6});

  private static ConsensusEnvelope.Opening.Opened opened(byte[] bytes) {
    return (ConsensusEnvelope.Opening.Opened) ConsensusEnvelope.open(bytes);
  }

  @Test
  void reSendingTheSameMessageGivesDistinctEnvelopesAndContentIds() {
    List<byte[]> sent = new ArrayList<>();
    GossipConsensusNetwork network = new GossipConsensusNetwork(1_700_000_000_000_000L, sent::add);
    network.broadcast(VOTE);
    network.broadcast(VOTE);
    assertThat(sent).hasSize(2);
    assertThat(opened(sent.get(0)).message()).isEqualTo(VOTE);
    assertThat(opened(sent.get(1)).message()).isEqualTo(VOTE);
    assertThat(opened(sent.get(1)).sequence()).isEqualTo(opened(sent.get(0)).sequence() + 1);
    MessageIdFunction ids = MessageIdFunction.contentHash();
    assertThat(ids.apply(PubsubMessage.unsigned("c", ByteString.copyFrom(sent.get(0)))))
        .isNotEqualTo(ids.apply(PubsubMessage.unsigned("c", ByteString.copyFrom(sent.get(1)))));
  }

  @Test
  void roundTripsAndRefusesBadFraming() {
    byte[] sealed = ConsensusEnvelope.seal(42, VOTE);
    assertThat(sealed).hasSize(ConsensusEnvelope.HEADER_BYTES + VOTE.size());
    assertThat(opened(sealed)).isEqualTo(new ConsensusEnvelope.Opening.Opened(42, VOTE));

    byte[] wrongVersion = sealed.clone();
    wrongVersion[0] = 2;
    byte[] negativeSequence = sealed.clone();
    negativeSequence[1] = (byte) 0x80;
    for (byte[] bad : List.of(new byte[0], wrongVersion, negativeSequence,
        java.util.Arrays.copyOf(sealed, ConsensusEnvelope.HEADER_BYTES), java.util.Arrays.copyOf(sealed, 5),
        VOTE.toArray())) {
      assertThat(ConsensusEnvelope.open(bad)).isInstanceOf(ConsensusEnvelope.Opening.Malformed.class);
    }
  }
}
