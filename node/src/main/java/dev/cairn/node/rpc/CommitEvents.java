package dev.cairn.node.rpc;

import dev.cairn.ledger.model.FinalizedBlock;
import dev.cairn.ledger.model.Receipt;
import dev.cairn.rpc.ChainEvents;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Fans committed blocks out to JSON-RPC subscribers. Listeners must not block: the caller is the consensus thread. */
public final class CommitEvents implements ChainEvents {
  private static final Logger log = LoggerFactory.getLogger(CommitEvents.class);
  private final List<Consumer<BlockFinalized>> listeners = new CopyOnWriteArrayList<>();

  public void publish(FinalizedBlock block, List<Receipt> receipts) {
    BlockFinalized event = new BlockFinalized(block, receipts);
    for (Consumer<BlockFinalized> listener : listeners) {
      try {
        listener.accept(event);
      } catch (RuntimeException e) {
        log.warn("event=subscriber_failed height={} error=\"{}\"", block.height(), e.toString());
      }
    }
  }

  @Override
  public Listening onBlockFinalized(Consumer<BlockFinalized> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }
}
