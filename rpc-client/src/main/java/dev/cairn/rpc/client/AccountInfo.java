package dev.cairn.rpc.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * {@code cairn_getAccount}: an account as of the head. {@code balance} is an unsigned u64; {@code json} is the
 * answer as sent, for callers that print it.
 *
 * @param pendingNonce past the sender's pending transactions, when the node reports it
 */
public record AccountInfo(String address, long balance, long nonce, List<String> roles, OptionalLong pendingNonce,
    JsonNode json) {
  public AccountInfo {
    roles = List.copyOf(roles);
  }

  /** The nonce the account's next transaction should carry. */
  public long nextNonce() {
    return pendingNonce.orElse(nonce);
  }

  static AccountInfo of(JsonNode json) {
    List<String> roles = new ArrayList<>();
    json.path("roles").forEach(r -> roles.add(r.asText()));
    JsonNode pending = json.get("pendingNonce");
    String balance = json.path("balance").asText("0");
    try {
      return new AccountInfo(json.path("address").asText(), Long.parseUnsignedLong(balance), Answers.requireLong(json, "nonce"),
          roles, pending != null && pending.canConvertToLong() ? OptionalLong.of(pending.asLong()) : OptionalLong.empty(), json);
    } catch (NumberFormatException e) {
      throw new RpcTransportException("account balance is not a u64: " + Answers.abbreviate(json), e);
    }
  }
}
