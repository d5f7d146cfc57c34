package dev.cairn.ledger.model;

import dev.cairn.ledger.bytes.Hash;
import java.util.List;
import java.util.Objects;

/** A header and the transactions its {@code txRoot} commits to, in execution order. */
public record Block(BlockHeader header, List<Transaction> transactions) {
  public Block {
    Objects.requireNonNull(header, "header");
    transactions = List.copyOf(transactions);
    if (transactions.size() > Limits.BLOCK_TXS_MAX) {
      throw new IllegalArgumentException("block has more than " + Limits.BLOCK_TXS_MAX + " transactions");
    }
  }

  public Hash hash() {
    return header.hash();
  }

  public long height() {
    return header.height();
  }

  /** The root a header must carry for these transactions. */
  public static Hash txRoot(List<Transaction> transactions) {
    return MerkleRoot.ofTransactions(transactions);
  }
}
