package dev.cairn.consensus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.cairn.consensus.message.ConsensusMessage;
import dev.cairn.consensus.message.MessageBody;
import dev.cairn.consensus.message.MessageCodec;
import dev.cairn.consensus.message.PreparedCertificate;
import dev.cairn.consensus.message.SignedMessage;
import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.crypto.Signature;
import dev.cairn.ledger.model.Block;
import dev.cairn.ledger.model.Limits;
import dev.cairn.ledger.testing.LargeBlocks;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Finding 1 of the Byzantine review: a locked block is re-proposed in a later round with its prepared
 * certificate. The worst legal message (a re-proposal of a block at the largest size, with the largest
 * justification the codec admits) must fit the message limit, decode, and persist: otherwise a locked large
 * block can never be re-proposed and the chain stops for good.
 */
class LockedBlockSizeTest {
  private final Fixture fx = new Fixture(4);

  /** Round changes and prepares as many as the codec admits, with placeholder keys and signatures. */
  private static List<SignedMessage> filler(int count, MessageBody body) {
    List<SignedMessage> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      byte[] key = new byte[PublicKey.SIZE];
      key[0] = (byte) (i >>> 8);
      key[1] = (byte) i;
      out.add(new SignedMessage(body, new PublicKey(Bytes.wrap(key)), new Signature(Bytes.wrap(new byte[Signature.SIZE]))));
    }
    return out;
  }

  /** The largest legal PROPOSAL: a locked block of {@code blockBytes} re-proposed with a full justification. */
  static ConsensusMessage worstReProposal(Fixture fx, int blockBytes) {
    Block block = LargeBlocks.filled(fx.block(0, 0).header(), blockBytes);
    int round = Integer.MAX_VALUE - 1;
    List<SignedMessage> prepares =
        filler(MessageCodec.JUSTIFICATION_MESSAGES_MAX, new MessageBody.Prepare(Long.MAX_VALUE, 0, block.hash()));
    PreparedCertificate certificate = new PreparedCertificate(block, prepares);
    List<SignedMessage> roundChanges = filler(MessageCodec.JUSTIFICATION_MESSAGES_MAX,
        new MessageBody.RoundChange(Long.MAX_VALUE, round, Optional.of(certificate.ref())));
    SignedMessage signed = SignedMessage.sign(fx.proposer(1, round), new MessageBody.Proposal(1, round, block));
    return new ConsensusMessage(signed, roundChanges, Optional.of(certificate));
  }

  @Test
  void aReProposalOfALockedBlockAtTheLargestBlockSizeFitsTheMessageLimitAndDecodes() {
    ConsensusMessage proposal = worstReProposal(fx, Limits.BLOCK_BYTES_MAX);
    byte[] encoded = MessageCodec.encode(proposal);
    assertThat(encoded.length).isLessThanOrEqualTo(MessageCodec.MESSAGE_BYTES_MAX);
    MessageCodec.Decoding decoding = MessageCodec.decode(encoded);
    assertThat(decoding).isInstanceOf(MessageCodec.Decoding.Decoded.class);
    assertThat(((MessageCodec.Decoding.Decoded) decoding).message()).isEqualTo(proposal);
  }

  @Test
  void persistingOurOwnReProposalOfALockedBlockAtTheLargestBlockSizeDoesNotThrow() {
    ConsensusMessage proposal = worstReProposal(fx, Limits.BLOCK_BYTES_MAX);
    PersistedState state = new PersistedState(1, List.of(proposal), proposal.prepared());
    byte[][] encoded = new byte[1][];
    assertThatCode(() -> encoded[0] = PersistedStateCodec.encode(state)).doesNotThrowAnyException();
    assertThat(PersistedStateCodec.decode(encoded[0])).isEqualTo(state);
  }

  @Test
  void theMessageLimitIsTheSizeOfTheWorstLegalMessageForAnyBlockLimit() {
    for (int blockBytes : List.of(16 * 1024, 1024 * 1024)) {
      ConsensusMessage proposal = worstReProposal(fx, blockBytes);
      assertThat(MessageCodec.encode(proposal).length).as("block limit %d", blockBytes)
          .isEqualTo(MessageCodec.messageBytesMax(blockBytes));
      ConsensusMessage roundChange = new ConsensusMessage(proposal.roundChanges().get(0), List.of(), proposal.prepared());
      assertThat(MessageCodec.encode(roundChange).length).isLessThan(MessageCodec.messageBytesMax(blockBytes));
    }
  }

  @Test
  void persistedStateKeepsOnlyTheLatestOwnProposalSoItHoldsAtMostTwoBlocks() {
    Fixture four = new Fixture(4);
    Block block = four.block(0, 0);
    PreparedCertificate certificate = four.certificate(block, 0);
    // The same validator re-proposes the lock in rounds 4 and 8 (n = 4); state with both, as the engine holds it.
    HeightState state = new HeightState(four.context());
    ConsensusMessage early = four.proposal(4, block, four.roundChanges(4, 3, Optional.of(certificate)), Optional.of(certificate));
    ConsensusMessage late = four.proposal(8, block, four.roundChanges(8, 3, Optional.of(certificate)), Optional.of(certificate));
    ConsensusMessage vote = ConsensusMessage.vote(four.prepare(0, 4, block.hash()));
    state.own.put(new HeightState.OwnKey(4, dev.cairn.consensus.message.MessageKind.PROPOSAL), early);
    state.own.put(new HeightState.OwnKey(4, dev.cairn.consensus.message.MessageKind.PREPARE), vote);
    state.own.put(new HeightState.OwnKey(8, dev.cairn.consensus.message.MessageKind.PROPOSAL), late);
    state.lock = Optional.of(certificate);
    assertThat(state.persisted().ownMessages()).containsExactly(vote, late);
  }

  @Test
  void consensusStateOfTheFirstLayoutIsStillRead() {
    // First layout: sub-tag 0x80, and a proposal's certificate carried the block a second time.
    Block block = fx.block(0, 0);
    PreparedCertificate certificate = fx.certificate(block, 0);
    ConsensusMessage proposal = fx.proposal(1, block, fx.roundChanges(1, 3, Optional.of(certificate)), Optional.of(certificate));
    dev.cairn.ledger.encoding.CanonicalWriter message = new dev.cairn.ledger.encoding.CanonicalWriter();
    dev.cairn.ledger.encoding.TypeTag.CONSENSUS_MESSAGE.writeTo(message);
    MessageCodec.writeSigned(message, proposal.signed());
    message.u32(proposal.roundChanges().size());
    proposal.roundChanges().forEach(rc -> MessageCodec.writeSigned(message, rc));
    message.bool(true);
    MessageCodec.writeCertificate(message, certificate);
    dev.cairn.ledger.encoding.CanonicalWriter state = new dev.cairn.ledger.encoding.CanonicalWriter();
    dev.cairn.ledger.encoding.TypeTag.CONSENSUS_MESSAGE.writeTo(state);
    state.u8(0x80).u64(1).u32(1).bytes(message.toBytes(), MessageCodec.MESSAGE_BYTES_MAX).bool(false);
    assertThat(PersistedStateCodec.decode(state.toByteArray()))
        .isEqualTo(new PersistedState(1, List.of(proposal), Optional.empty()));
  }
}
