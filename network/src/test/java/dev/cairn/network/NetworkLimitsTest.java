package dev.cairn.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.consensus.message.ConsensusMessage;
import dev.cairn.consensus.message.MessageBody;
import dev.cairn.consensus.message.MessageCodec;
import dev.cairn.consensus.message.PreparedCertificate;
import dev.cairn.consensus.message.SignedMessage;
import dev.cairn.genesis.ConsensusParameters;
import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.crypto.DomainTag;
import dev.cairn.ledger.crypto.Hashing;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.crypto.Signature;
import dev.cairn.ledger.model.Block;
import dev.cairn.ledger.model.BlockHeader;
import dev.cairn.ledger.model.Limits;
import dev.cairn.ledger.model.MerkleRoot;
import dev.cairn.ledger.testing.LargeBlocks;
import dev.cairn.p2p.gossip.GossipRouter;
import dev.cairn.p2p.gossip.GossipTransport;
import dev.cairn.p2p.gossip.MessageIdFunction;
import dev.cairn.p2p.gossip.PublishResult;
import dev.cairn.p2p.gossip.SignaturePolicy;
import dev.cairn.p2p.identity.HostKey;
import dev.cairn.p2p.identity.PeerId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NetworkLimitsTest {
  @Test
  void theLargestBlockFitsAGossipRpcASyncResponseAndAStreamQueue() {
    for (int blockBytesMax : List.of(ConsensusParameters.BLOCK_BYTES_MIN, ConsensusParameters.DEFAULTS.blockBytesMax(),
        Limits.BLOCK_BYTES_MAX)) {
      NetworkLimits limits = NetworkLimits.forBlockBytesMax(blockBytesMax);
      int consensusMessageMax = MessageCodec.messageBytesMax(blockBytesMax) + ConsensusEnvelope.HEADER_BYTES;
      assertThat(limits.gossip().rpc().rpcBytesMax()).as("block %d", blockBytesMax).isGreaterThan(consensusMessageMax);
      assertThat((long) limits.requests().responseBytesMax())
          .isGreaterThanOrEqualTo(BlockSync.RESPONSE_BYTES_MAX + blockBytesMax);
      assertThat(limits.p2p().streamWriteQueueBytesMax())
          .isGreaterThan(limits.requests().responseBytesMax())
          .isGreaterThan(limits.gossip().rpc().rpcBytesMax());
      assertThat(limits.gossip().outboundQueueBytesMax()).isGreaterThanOrEqualTo(limits.gossip().rpc().rpcBytesMax());
      assertThat(limits.gossip().rpc().rpcBytesMax()).as("largest tx batch in one RPC")
          .isGreaterThan(NetworkLimits.BATCH_BYTES_MAX);
      assertThat(limits.gossip().signaturePolicy()).isEqualTo(SignaturePolicy.STRICT_NO_SIGN);
    }
  }

  /**
   * Finding 1: a locked block at the genesis limit, re-proposed with the largest justification the codec
   * admits, sealed in its envelope, is published by a router configured with the chain's limits (before the
   * fix the re-proposal carried the block twice and was refused as too large).
   */
  @Test
  void theWorstLegalReProposalAtBlockBytesMaxIsPublishedByARouterWithTheChainsLimits() {
    for (int blockBytesMax : List.of(ConsensusParameters.BLOCK_BYTES_MIN, ConsensusParameters.DEFAULTS.blockBytesMax())) {
      NetworkLimits limits = NetworkLimits.forBlockBytesMax(blockBytesMax);
      byte[] encoded = MessageCodec.encode(worstReProposal(blockBytesMax));
      assertThat(encoded.length).isEqualTo(MessageCodec.messageBytesMax(blockBytesMax));
      byte[] envelope = ConsensusEnvelope.seal(1, Bytes.wrap(encoded));
      GossipRouter router = new GossipRouter(limits.gossip(), HostKey.fromSeed(new byte[32]),
          MessageIdFunction.contentHash(), new NoTransport(), Runnable::run, new SplittableRandom(1), 0);
      PublishResult result = router.publish(new NetworkTopics("limits").consensus(), envelope);
      assertThat(result).as("block limit %d", blockBytesMax).isInstanceOf(PublishResult.Published.class);
    }
  }

  private static ConsensusMessage worstReProposal(int blockBytes) {
    KeyPair proposer = KeyPair.fromSeedText("limits-proposer");
    BlockHeader template = new BlockHeader(1, Hash.ZERO, 1, proposer.publicKey(), 0, Block.txRoot(List.of()),
        MerkleRoot.ofReceipts(List.of()), Hashing.hash(DomainTag.GENESIS, new byte[] {1}), Hash.ZERO);
    Block block = LargeBlocks.filled(template, blockBytes);
    int round = Integer.MAX_VALUE - 1;
    PreparedCertificate certificate = new PreparedCertificate(block,
        filler(new MessageBody.Prepare(Long.MAX_VALUE, 0, block.hash())));
    List<SignedMessage> roundChanges =
        filler(new MessageBody.RoundChange(Long.MAX_VALUE, round, Optional.of(certificate.ref())));
    SignedMessage signed = SignedMessage.sign(proposer, new MessageBody.Proposal(1, round, block));
    return new ConsensusMessage(signed, roundChanges, Optional.of(certificate));
  }

  private static List<SignedMessage> filler(MessageBody body) {
    List<SignedMessage> out = new ArrayList<>();
    for (int i = 0; i < MessageCodec.JUSTIFICATION_MESSAGES_MAX; i++) {
      byte[] key = new byte[PublicKey.SIZE];
      key[0] = (byte) (i >>> 8);
      key[1] = (byte) i;
      out.add(new SignedMessage(body, new PublicKey(Bytes.wrap(key)), new Signature(Bytes.wrap(new byte[Signature.SIZE]))));
    }
    return out;
  }

  private static final class NoTransport implements GossipTransport {
    @Override
    public void send(PeerId to, byte[] rpc, Priority priority) {}

    @Override
    public void disconnect(PeerId peer, String reason) {}
  }

  @Test
  void txBatchingMustFitTheBatchFormatAndHoldTheLargestTransaction() {
    assertThat(NetworkLimits.checkTxBatching(TxBatching.DEFAULT)).isEqualTo(TxBatching.DEFAULT);
    int oneLargest = (int) TransactionBatchCodec.encodedBytes(1, Limits.TX_BYTES_MAX);
    assertThat(NetworkLimits.checkTxBatching(new TxBatching(NetworkLimits.TXS_PER_BATCH_MAX, oneLargest, 10, 1)))
        .isNotNull();
    // Smaller than one transaction of the largest size: such a transaction could never be gossiped.
    assertThatThrownBy(() -> NetworkLimits.checkTxBatching(new TxBatching(1_000, oneLargest - 1, 10, 64)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("p2p.tx-batch-bytes-max");
    assertThatThrownBy(() -> NetworkLimits.checkTxBatching(new TxBatching(1_000, NetworkLimits.BATCH_BYTES_MAX + 1, 10, 64)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("p2p.tx-batch-bytes-max");
    assertThatThrownBy(() -> NetworkLimits.checkTxBatching(new TxBatching(NetworkLimits.TXS_PER_BATCH_MAX + 1, oneLargest, 10, 64)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("p2p.tx-batch-txs-max");
  }
}
