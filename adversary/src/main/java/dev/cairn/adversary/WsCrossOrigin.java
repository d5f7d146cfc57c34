package dev.cairn.adversary;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;

/**
 * What a web page open in the operator's browser would do: open a WebSocket to the node's JSON-RPC with the
 * page's {@code Origin} and, if let in, call a method. A node without an Origin allowlist lets any page read
 * and submit through the operator's local node.
 *
 * @param ws the node's WebSocket URL (ws://host:port/ws)
 * @param origin the Origin header a page would send (e.g. https://attacker.example)
 */
public record WsCrossOrigin(URI ws, String origin) implements Attack {
  @Override
  public String name() {
    return "ws-cross-origin";
  }

  @Override
  public AttackReport run(Duration duration) {
    long start = System.nanoTime();
    Map<String, Long> m = new LinkedHashMap<>();
    try {
      WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
          .header("Origin", origin).buildAsync(ws, new WebSocket.Listener() { }).join();
      socket.sendText("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"cairn_blockNumber\",\"params\":[]}", true).join();
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
      m.put("connected", 1L);
      m.put("refused", 0L);
    } catch (CompletionException e) {
      m.put("connected", 0L);
      m.put("refused", 1L);
      int status = e.getCause() instanceof java.net.http.WebSocketHandshakeException h ? h.getResponse().statusCode() : -1;
      m.put("refused_with_403", status == 403 ? 1L : 0L);
    }
    return new AttackReport(name(), (System.nanoTime() - start) / 1_000_000, m);
  }
}
