package dev.cairn.node.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.consensus.message.MessageCodec;
import dev.cairn.genesis.ConsensusParameters;
import dev.cairn.ledger.model.Limits;
import dev.cairn.node.config.NodeConfig.TxBatching;
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
          .isGreaterThan(NetworkLimits.BATCH_BYTES_MAX);
      assertThat(limits.gossip().signaturePolicy()).isEqualTo(SignaturePolicy.STRICT_NO_SIGN);
    }
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
