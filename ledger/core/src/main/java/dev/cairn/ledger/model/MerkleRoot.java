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
      leaves.add(Hashing.hash(DomainTag.RECEIPTS_ROOT, CanonicalForm.receipt(receipt)));
    }
    return of(DomainTag.RECEIPTS_ROOT, leaves);
  }

  public static Hash of(DomainTag tag, List<Hash> leaves) {
    if (leaves.isEmpty()) {
      return Hashing.hash(tag, new byte[0]);
    }
    List<Hash> level = new ArrayList<>(leaves.size());
    for (Hash leaf : leaves) {
      level.add(node(tag, 0, leaf, null));
    }
    while (level.size() > 1) {
      List<Hash> next = new ArrayList<>((level.size() + 1) / 2);
      for (int i = 0; i < level.size(); i += 2) {
        next.add(i + 1 < level.size() ? node(tag, 1, level.get(i), level.get(i + 1)) : level.get(i));
      }
      level = next;
    }
    return level.get(0);
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
