package dev.cairn.p2p.reqresp;

import com.google.protobuf.ByteString;
import dev.cairn.p2p.identity.PeerId;
import java.util.concurrent.CompletionStage;

/**
 * Serves one protocol's requests. Called on a connection's event loop: return at once with a stage completed
 * now or later by the application's own executor. A stage completed exceptionally answers REMOTE_ERROR with
 * the exception's message; a {@link RequestRefusedException} is the intended way to refuse a bad request.
 */
@FunctionalInterface
public interface RequestHandler {
  CompletionStage<ByteString> handle(PeerId from, ByteString request);
}
