package dev.cairn.rpc.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** A final block reduced to what finality tracking and audits need: height, hash and its transaction ids (hex). */
public record BlockTxIds(long height, String hash, List<String> txIds) {
  public BlockTxIds {
    txIds = List.copyOf(txIds);
  }

  static BlockTxIds of(JsonNode block) {
    List<String> ids = new ArrayList<>(block.path("transactions").size());
    for (JsonNode tx : block.path("transactions")) {
      ids.add(tx.isTextual() ? tx.asText() : tx.path("id").asText());
    }
    return new BlockTxIds(Answers.requireLong(block, "height"), block.path("hash").asText(), ids);
  }
}
