package dev.cairn.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.cairn.consensus.ConsensusConfig;
import dev.cairn.consensus.HeightContext;
import dev.cairn.consensus.MessageValidator;
import dev.cairn.consensus.Preverified;
import dev.cairn.consensus.SignatureVerifier;
import dev.cairn.consensus.message.ConsensusMessage;
import dev.cairn.consensus.message.MessageBody;
import dev.cairn.consensus.message.SignedMessage;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.model.ValidatorSet;
import dev.cairn.p2p.gossip.PubsubMessage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What waits between a verdict and its delivery is bounded in entries and bytes; what falls out is only decoded again. */
class CheckedHandoffTest {
  private final KeyPair key = KeyPair.fromSeedText("handoff");
  private final Preverified checked = new MessageValidator(ConsensusConfig.defaults(), SignatureVerifier.ED25519)
      .preverify(ConsensusMessage.vote(SignedMessage.sign(key, new MessageBody.Prepare(1, 0, Hash.ZERO))),
          HeightContext.of(1, Hash.ZERO, new ValidatorSet(List.of(key.publicKey()))))
      .preverified().orElseThrow();

  private static PubsubMessage message(int i) {
    return PubsubMessage.unsigned("t", ByteString.copyFrom(new byte[] {(byte) i}));
  }

  /** Each entry is counted at the heap bound of its decoded form: {@link Preverified#HEAP_BYTES_PER_WIRE_BYTE} times its wire bytes. */
  @Test
  void theOldestGoFirstBeyondTheEntriesOrTheBytes() {
    int factor = Preverified.HEAP_BYTES_PER_WIRE_BYTE;
    CheckedHandoff handoff = new CheckedHandoff(3, 1_000L * factor);
    List<PubsubMessage> messages = List.of(message(0), message(1), message(2), message(3));
    for (PubsubMessage m : messages) {
      handoff.put(m, new CheckedHandoff.Checked(checked, 100));
    }
    assertThat(handoff.size()).isEqualTo(3);
    assertThat(handoff.take(messages.get(0))).isEmpty();
    assertThat(handoff.take(messages.get(1))).isPresent();
    assertThat(handoff.bytes()).isEqualTo(200L * factor);

    handoff.put(message(4), new CheckedHandoff.Checked(checked, 850));
    assertThat(handoff.bytes()).isLessThanOrEqualTo(1_000L * factor);
    assertThat(handoff.take(messages.get(2))).isEmpty();
    assertThat(handoff.take(messages.get(3))).isPresent();
    assertThat(handoff.bytes()).isEqualTo(850L * factor);
  }

  @Test
  void needsRoom() {
    assertThatThrownBy(() -> new CheckedHandoff(0, 1)).isInstanceOf(IllegalArgumentException.class);
  }
}
