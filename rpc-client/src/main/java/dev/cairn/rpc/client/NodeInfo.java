package dev.cairn.rpc.client;

import com.fasterxml.jackson.databind.JsonNode;

/** {@code cairn_nodeInfo}: what a node says about itself (docs/json-rpc.md). */
public record NodeInfo(String version, String peerId, String chainId, long headHeight, boolean validator, int peerCount,
    long pendingTransactions) {

  static NodeInfo of(JsonNode json) {
    return new NodeInfo(json.path("version").asText(), json.path("peerId").asText(), json.path("chainId").asText(),
        Answers.requireLong(json, "headHeight"), json.path("validator").asBoolean(), (int) Answers.requireLong(json, "peerCount"),
        Answers.requireLong(json, "pendingTransactions"));
  }
}
