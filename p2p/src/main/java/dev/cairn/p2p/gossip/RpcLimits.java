package dev.cairn.p2p.gossip;

/**
 * Bounds the RPC decoder enforces on untrusted input, so one RPC cannot make us allocate or loop without
 * limit. Counts are per RPC.
 */
public record RpcLimits(
    int rpcBytesMax,
    int subscriptionsPerRpcMax,
    int messagesPerRpcMax,
    int controlEntriesPerRpcMax,
    int messageIdsPerRpcMax,
    int topicBytesMax,
    int messageIdBytesMax,
    int keyBytesMax) {
  public RpcLimits {
    positive(rpcBytesMax, "rpcBytesMax");
    positive(subscriptionsPerRpcMax, "subscriptionsPerRpcMax");
    positive(messagesPerRpcMax, "messagesPerRpcMax");
    positive(controlEntriesPerRpcMax, "controlEntriesPerRpcMax");
    positive(messageIdsPerRpcMax, "messageIdsPerRpcMax");
    positive(topicBytesMax, "topicBytesMax");
    positive(messageIdBytesMax, "messageIdBytesMax");
    positive(keyBytesMax, "keyBytesMax");
  }

  private static void positive(int value, String name) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be > 0: " + value);
    }
  }
}
