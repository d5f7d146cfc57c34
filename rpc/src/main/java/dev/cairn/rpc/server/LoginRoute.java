package dev.cairn.rpc.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.rpc.auth.RpcAuth;
import dev.cairn.rpc.jsonrpc.ClientRateLimits;
import dev.cairn.rpc.jsonrpc.ErrorCode;
import dev.cairn.rpc.jsonrpc.Json;
import dev.cairn.rpc.jsonrpc.JsonRpcProcessor;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.Arrays;

/**
 * {@code POST /login} with {@code {"username": ..., "password": ...}}: answers {@code {"token": JWT,
 * "expiresAt": millis}} (200), or a JSON-RPC error object with 401 (wrong name or password), 404 (no
 * credentials file on this node), 429 (this address's login budget is spent, or too many checks are running
 * at once), 400 (malformed body). Attempts are limited per client address before the body is even read:
 * each costs a bcrypt check, slow on purpose.
 */
final class LoginRoute {
  /** A name and a password of at most 72 bytes, in JSON, fit many times over. */
  static final int BODY_BYTES_MAX = 4 * 1024;
  private static final int LOGIN_IPS_TRACKED_MAX = 10_000;

  private final RpcAuth auth;
  private final ClientRateLimits attempts;

  LoginRoute(RpcAuth auth) {
    this.auth = auth;
    this.attempts = new ClientRateLimits(auth.config().loginsPerMinutePerIp() / 60.0, auth.config().loginBurstMax(),
        LOGIN_IPS_TRACKED_MAX, System::nanoTime);
  }

  void handle(Context ctx) {
    if (!attempts.bucketFor(ctx.ip()).tryTake(1)) {
      reply(ctx, 429, ErrorCode.RATE_LIMITED, "too many login attempts from this address");
      return;
    }
    byte[] body;
    try {
      body = ctx.req().getContentLengthLong() > BODY_BYTES_MAX ? null : ctx.req().getInputStream().readNBytes(BODY_BYTES_MAX + 1);
    } catch (IOException e) {
      reply(ctx, 400, ErrorCode.PARSE_ERROR, "unreadable body");
      return;
    }
    if (body == null || body.length > BODY_BYTES_MAX) {
      reply(ctx, 413, ErrorCode.REQUEST_TOO_LARGE, "login body exceeds " + BODY_BYTES_MAX + " bytes");
      return;
    }
    JsonNode request;
    try {
      request = Json.MAPPER.readTree(body);
    } catch (IOException e) {
      reply(ctx, 400, ErrorCode.PARSE_ERROR, "not valid JSON");
      return;
    } finally {
      Arrays.fill(body, (byte) 0);
    }
    JsonNode user = request == null ? null : request.get("username");
    JsonNode password = request == null ? null : request.get("password");
    if (user == null || !user.isTextual() || password == null || !password.isTextual()) {
      reply(ctx, 400, ErrorCode.INVALID_REQUEST, "expected {\"username\": string, \"password\": string}");
      return;
    }
    char[] chars = password.textValue().toCharArray();
    switch (auth.login(user.textValue(), chars)) {
      case RpcAuth.Login.Issued issued -> {
        ObjectNode answer = Json.MAPPER.createObjectNode()
            .put("token", issued.token())
            .put("expiresAt", issued.expiresAt().toEpochMilli());
        ctx.header("Cache-Control", "no-store");
        write(ctx, 200, answer);
      }
      case RpcAuth.Login.Refused refused ->
          reply(ctx, refused.code() == ErrorCode.LOGIN_DISABLED ? 404 : 401, refused.code(), "");
      case RpcAuth.Login.Busy busy -> reply(ctx, 429, ErrorCode.RATE_LIMITED, "too many logins in progress; retry shortly");
    }
  }

  private static void reply(Context ctx, int status, ErrorCode code, String detail) {
    write(ctx, status, JsonRpcProcessor.error(NullNode.instance, code, detail, null));
  }

  private static void write(Context ctx, int status, JsonNode body) {
    try {
      ctx.status(status).contentType("application/json").result(Json.MAPPER.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree built here must serialize", e);
    }
  }
}
