package dev.cairn.ledger.model;

import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.crypto.DomainTag;
import dev.cairn.ledger.crypto.Hashing;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Binary Merkle roots of a block's transactions and receipts. Leaves and inner nodes are hashed with a
 * leading 0 or 1 byte under the list's own tag, so a leaf can never pass for an inner node; an odd node is
 * promoted unchanged; the root of an empty list is the tag's hash of nothing.
 */
public final class MerkleRoot {
  private MerkleRoot() {}

  public static Hash ofTransactions(List<Transaction> transactions) {
    List<Hash> leaves = new ArrayList<>(transactions.size());
    for (Transaction tx : transactions) {
      leaves.add(tx.id());
    }
    return of(DomainTag.TX_ROOT, leaves);
  }

  public static Hash ofReceipts(List<Receipt> receipts) {
    List<Hash> leaves = new ArrayList<>(receipts.size());
    for (Receipt receipt : receipts) {
      leaves.add(receiptLeaf(receipt));
    }
    return of(DomainTag.RECEIPTS_ROOT, leaves);
  }

  public static Hash of(DomainTag tag, List<Hash> leaves) {
    if (leaves.isEmpty()) {
      return Hashing.hash(tag, new byte[0]);
    }
    List<Hash> level = new ArrayList<>(leaves.size());
    for (Hash leaf : leaves) {
      level.add(leaf(tag, leaf));
    }
    while (level.size() > 1) {
      level = nextLevel(tag, level);
    }
    return level.get(0);
  }

  /** The receipt's leaf hash: its canonical encoding hashed under the receipts tag (then hashed again as a leaf). */
  public static Hash receiptLeaf(Receipt receipt) {
    return Hashing.hash(DomainTag.RECEIPTS_ROOT, CanonicalForm.receipt(receipt));
  }

  /** The level above {@code level}: pairs combined, an odd last node promoted unchanged. */
  static List<Hash> nextLevel(DomainTag tag, List<Hash> level) {
    List<Hash> next = new ArrayList<>((level.size() + 1) / 2);
    for (int i = 0; i < level.size(); i += 2) {
      next.add(i + 1 < level.size() ? inner(tag, level.get(i), level.get(i + 1)) : level.get(i));
    }
    return next;
  }

  static Hash leaf(DomainTag tag, Hash leafHash) {
    return node(tag, 0, leafHash, null);
  }

  static Hash inner(DomainTag tag, Hash left, Hash right) {
    return node(tag, 1, left, right);
  }

  private static Hash node(DomainTag tag, int kind, Hash left, Hash right) {
    MessageDigest digest = Hashing.start(tag);
    digest.update((byte) kind);
    digest.update(left.unsafeArray());
    if (right != null) {
      digest.update(right.unsafeArray());
    }
    return Hashing.finish(digest);
  }
}
