package dev.cairn.p2p.reqresp;

/**
 * Bounds of request/response.
 *
 * @param requestTimeoutMillis from opening the stream to the complete response (requester); a responder
 *     abandons an unanswered request after twice this, so the requester's own timeout always comes first
 * @param requestBytesMax largest request body either side accepts
 * @param responseBytesMax largest response body either side accepts; must fit the host's stream write queue
 * @param outboundRequestsPerPeerMax our requests in flight to one peer; beyond it requests fail at once
 * @param inboundRequestsPerPeerMax a peer's requests we serve at once; beyond it we answer BUSY
 */
public record RequestResponseConfig(
    long requestTimeoutMillis,
    int requestBytesMax,
    int responseBytesMax,
    int outboundRequestsPerPeerMax,
    int inboundRequestsPerPeerMax) {
  public RequestResponseConfig {
    if (requestTimeoutMillis <= 0 || requestBytesMax <= 0 || responseBytesMax <= 0
        || outboundRequestsPerPeerMax <= 0 || inboundRequestsPerPeerMax <= 0) {
      throw new IllegalArgumentException("every RequestResponseConfig bound must be > 0: " + this);
    }
  }

  public static RequestResponseConfig defaults() {
    return new RequestResponseConfig(10_000, 4 << 20, 6 << 20, 16, 16);
  }
}
