package dev.cairn.network;

import dev.cairn.consensus.message.MessageCodec;
import dev.cairn.ledger.model.Limits;
import dev.cairn.p2p.P2pConfig;
import dev.cairn.p2p.gossip.GossipConfig;
import dev.cairn.p2p.gossip.RpcLimits;
import dev.cairn.p2p.gossip.SignaturePolicy;
import dev.cairn.p2p.reqresp.RequestResponseConfig;

/**
 * The p2p bounds a chain needs, derived from its genesis block size limit: the worst legal consensus message
 * ({@link MessageCodec#messageBytesMax}: a re-proposal of a locked block of the largest size with the
 * largest justification, which carries its block once) in its envelope, and a finalized block with the
 * largest commit certificate, must fit one gossip RPC, a sync response (a batch plus one block of the largest size, which
 * {@code ChainStore.blocks} always returns whole) must fit a response, and either must fit a stream's write
 * queue; a transaction batch of the protocol's largest size must fit one gossip RPC too. The p2p defaults are
 * kept wherever they are already large enough.
 *
 * <p>Gossip runs StrictNoSign (with content ids, see {@code P2pNetwork}): every payload on Cairn's topics is
 * signed already (transactions by their senders, consensus messages by validators, blocks carry commit
 * certificates), and the Noise-authenticated, allowlisted connection names the peer that relayed a message.
 * A libp2p signature per message would add an Ed25519 sign and a verify per node (~120 us of CPU) and prove
 * nothing these do not.
 *
 * @param wireMessageBytesMax the largest consensus message or finalized block, with the pubsub envelope
 */
public record NetworkLimits(int wireMessageBytesMax, P2pConfig p2p, GossipConfig gossip, RequestResponseConfig requests) {
  /** Protobuf envelope of a pubsub message (from, seqno, topic, signature, key) and the RPC around it. */
  static final int ENVELOPE_BYTES_MAX = 64 * 1024;
  static final int STREAM_QUEUE_SLACK_BYTES = 1024 * 1024;
  /** A finalized block's certificate (block hash, one seal per validator) and its framing, beyond the block. */
  static final int FINALIZED_BLOCK_OVERHEAD_BYTES_MAX = Limits.VALIDATORS_MAX * (32 + 64) + 4096;

  /** The largest payload on the consensus or blocks topic, before the pubsub envelope. */
  public static int topicPayloadBytesMax(int blockBytesMax) {
    return Math.max(MessageCodec.messageBytesMax(blockBytesMax) + ConsensusEnvelope.HEADER_BYTES,
        blockBytesMax + FINALIZED_BLOCK_OVERHEAD_BYTES_MAX);
  }

  /** Most transactions in one gossiped batch, whatever a peer is configured with; {@code p2p.tx-batch-txs-max} <= this. */
  public static final int TXS_PER_BATCH_MAX = 10_000;
  /** Largest encoded transaction batch, whatever a peer is configured with; {@code p2p.tx-batch-bytes-max} <= this. */
  public static final int BATCH_BYTES_MAX = 2 * 1024 * 1024;

  /**
   * Checks the configured transaction batching against the protocol's batch limits: at most
   * {@link #TXS_PER_BATCH_MAX} transactions and {@link #BATCH_BYTES_MAX} bytes, and room for one transaction of
   * the largest size (else such a transaction could never be gossiped). Runs when the network is built, at
   * start-up; the config checks what it can know by itself.
   */
  public static TxBatching checkTxBatching(TxBatching batching) {
    if (batching.txsPerBatchMax() > TXS_PER_BATCH_MAX) {
      throw new IllegalArgumentException("p2p.tx-batch-txs-max must be in [1, " + TXS_PER_BATCH_MAX + "], got "
          + batching.txsPerBatchMax());
    }
    long oneLargestTx = TransactionBatchCodec.encodedBytes(1, Limits.TX_BYTES_MAX);
    if (batching.batchBytesMax() < oneLargestTx || batching.batchBytesMax() > BATCH_BYTES_MAX) {
      throw new IllegalArgumentException("p2p.tx-batch-bytes-max must be in [" + oneLargestTx + ", " + BATCH_BYTES_MAX
          + "] (one transaction of the largest size fits), got " + batching.batchBytesMax());
    }
    return batching;
  }

  public static NetworkLimits forBlockBytesMax(int blockBytesMax) {
    int message = topicPayloadBytesMax(blockBytesMax) + ENVELOPE_BYTES_MAX;
    GossipConfig g = GossipConfig.defaults();
    RpcLimits r = g.rpc();
    int largest = Math.max(message, BATCH_BYTES_MAX + ENVELOPE_BYTES_MAX);
    RpcLimits rpc = new RpcLimits(Math.max(r.rpcBytesMax(), largest), r.subscriptionsPerRpcMax(), r.messagesPerRpcMax(),
        r.controlEntriesPerRpcMax(), r.messageIdsPerRpcMax(), r.topicBytesMax(), r.messageIdBytesMax(), r.keyBytesMax());
    GossipConfig gossip = new GossipConfig(g.d(), g.dLow(), g.dHigh(), g.dLazy(), g.gossipFactor(),
        g.heartbeatInitialDelayMillis(), g.heartbeatIntervalMillis(), g.fanoutTtlMillis(), g.mcacheLength(),
        g.mcacheGossip(), g.seenTtlMillis(), g.seenEntriesMax(), g.pruneBackoffMillis(), g.unsubscribeBackoffMillis(),
        g.gossipRetransmissionMax(), g.ihaveIdsPerHeartbeatMax(), g.ihavePerHeartbeatMax(), g.topicsPerPeerMax(),
        g.topicsMax(), g.outboundRpcQueueMax(), Math.max(g.outboundQueueBytesMax(), 4L * rpc.rpcBytesMax()),
        g.validationsPendingMax(), g.eventQueueMax(), g.floodPublish(), SignaturePolicy.STRICT_NO_SIGN, rpc);
    RequestResponseConfig q = RequestResponseConfig.defaults();
    int response = Math.max(q.responseBytesMax(), (int) BlockSync.RESPONSE_BYTES_MAX + message);
    RequestResponseConfig requests = new RequestResponseConfig(q.requestTimeoutMillis(), q.requestBytesMax(), response,
        q.outboundRequestsPerPeerMax(), q.inboundRequestsPerPeerMax());
    P2pConfig p = P2pConfig.defaults();
    int streamQueue = Math.max(p.streamWriteQueueBytesMax(), Math.max(response, rpc.rpcBytesMax()) + STREAM_QUEUE_SLACK_BYTES);
    P2pConfig p2p = new P2pConfig(p.handshakeTimeoutMillis(), p.streamNegotiationTimeoutMillis(), p.mssProposalsMax(),
        p.yamuxWindowBytes(), p.yamuxSendWindowBytesMax(), p.yamuxInboundStreamsMax(), p.yamuxOutboundStreamsMax(),
        p.yamuxPingIntervalMillis(), streamQueue, p.connectionsMax(), p.identifyMessageBytesMax(),
        p.identifyTimeoutMillis(), p.pingIntervalMillis(), p.pingTimeoutMillis());
    return new NetworkLimits(message, p2p, gossip, requests);
  }
}
