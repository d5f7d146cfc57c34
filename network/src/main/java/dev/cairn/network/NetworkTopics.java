package dev.cairn.network;

import java.util.Objects;

/**
 * Gossip topics and request/response protocol IDs of one chain. Every name carries the chain id, so nodes of
 * two chains that happen to connect never mix transactions, votes or blocks.
 */
public record NetworkTopics(String chainId) {
  public NetworkTopics {
    Objects.requireNonNull(chainId, "chainId");
  }

  /**
   * Batches of signed transactions ({@link TransactionBatchCodec}), relayed only after mempool admission.
   * Version 2: version 1 carried one transaction per message.
   */
  public String transactions() {
    return "/cairn/" + chainId + "/tx/2";
  }

  /**
   * Encoded consensus messages (proposal, prepare, commit, round change), each in a {@link ConsensusEnvelope}.
   * Version 3: a proposal's certificate no longer carries a second copy of the block (MessageCodec). Version
   * 2 carried it; version 1 carried the bare message (StrictSign gossip made re-sends distinct).
   */
  public String consensus() {
    return "/cairn/" + chainId + "/consensus/3";
  }

  /** Finalized blocks with their commit certificates, published by each block's proposer. */
  public String blocks() {
    return "/cairn/" + chainId + "/blocks/1";
  }

  /** Request/response: a peer's finalized head (height and hash). */
  public String statusProtocol() {
    return "/cairn/" + chainId + "/status/1";
  }

  /** Request/response: finalized blocks with certificates from a height, in a bounded batch. */
  public String blocksProtocol() {
    return "/cairn/" + chainId + "/blocks-by-range/1";
  }

  /** A topic's kind for metric labels (transactions, consensus, blocks), or "other": labels stay chain-agnostic. */
  public String kind(String topic) {
    if (topic.equals(transactions())) {
      return "transactions";
    }
    if (topic.equals(consensus())) {
      return "consensus";
    }
    return topic.equals(blocks()) ? "blocks" : "other";
  }

  /** A protocol ID for metric labels: this chain's own lose the chain id ({@code /cairn/status/1}). */
  public String protocolLabel(String protocol) {
    String own = "/cairn/" + chainId + "/";
    return protocol.startsWith(own) ? "/cairn/" + protocol.substring(own.length()) : protocol;
  }

  /** Request/response: one chunk of the state tree at a snapshot height, with its proof ({@link SnapshotCodec}). */
  public String snapshotProtocol() {
    return "/cairn/" + chainId + "/snapshot/1";
  }

  /** Request/response: where the validator set changed, with the proofs a joining node follows ({@link ValidatorSetChangeCodec}). */
  public String validatorSetChangesProtocol() {
    return "/cairn/" + chainId + "/set-changes/1";
  }
}
