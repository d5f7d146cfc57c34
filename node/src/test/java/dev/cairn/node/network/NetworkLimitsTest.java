package dev.cairn.node.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.consensus.message.MessageCodec;
import dev.cairn.genesis.ConsensusParameters;
import dev.cairn.ledger.model.Limits;
import dev.cairn.p2p.gossip.SignaturePolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

class NetworkLimitsTest {
  @Test
  void theLargestBlockFitsAGossipRpcASyncResponseAndAStreamQueue() {
    for (int blockBytesMax : List.of(ConsensusParameters.BLOCK_BYTES_MIN, ConsensusParameters.DEFAULTS.blockBytesMax(),
        Limits.BLOCK_BYTES_MAX)) {
      NetworkLimits limits = NetworkLimits.forBlockBytesMax(blockBytesMax);
      int consensusMessageMax = blockBytesMax + 2 * MessageCodec.JUSTIFICATION_MESSAGES_MAX * 256 + 4096;
      assertThat(limits.gossip().rpc().rpcBytesMax()).as("block %d", blockBytesMax).isGreaterThan(consensusMessageMax);
      assertThat((long) limits.requests().responseBytesMax())
          .isGreaterThanOrEqualTo(BlockSync.RESPONSE_BYTES_MAX + blockBytesMax);
      assertThat(limits.p2p().streamWriteQueueBytesMax())
          .isGreaterThan(limits.requests().responseBytesMax())
          .isGreaterThan(limits.gossip().rpc().rpcBytesMax());
      assertThat(limits.gossip().outboundQueueBytesMax()).isGreaterThanOrEqualTo(limits.gossip().rpc().rpcBytesMax());
      assertThat(limits.gossip().rpc().rpcBytesMax()).as("largest tx batch in one RPC")
          .isGreaterThan(TransactionBatchCodec.BATCH_BYTES_MAX);
      assertThat(limits.gossip().signaturePolicy()).isEqualTo(SignaturePolicy.STRICT_NO_SIGN);
    }
  }
}
