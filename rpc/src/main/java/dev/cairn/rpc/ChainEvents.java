package dev.cairn.rpc;

import dev.cairn.ledger.model.FinalizedBlock;
import dev.cairn.ledger.model.Receipt;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Where the node announces finalized blocks. Listeners run on the node's thread after the block is durable and
 * readable through {@link ChainView}; they must only enqueue, never block (the RPC's listener copies the
 * event into bounded per-connection queues).
 */
public interface ChainEvents {
  /** Registers a listener; closing the returned handle removes it. */
  Listening onBlockFinalized(Consumer<BlockFinalized> listener);

  /** A finalized block and its receipts, in transaction order. */
  record BlockFinalized(FinalizedBlock block, List<Receipt> receipts) {
    public BlockFinalized {
      Objects.requireNonNull(block, "block");
      receipts = List.copyOf(receipts);
      if (receipts.size() != block.block().transactions().size()) {
        throw new IllegalArgumentException("one receipt per transaction expected");
      }
    }
  }

  /** A registration that can be cancelled; closing twice is harmless. */
  interface Listening extends AutoCloseable {
    @Override
    void close();
  }
}
