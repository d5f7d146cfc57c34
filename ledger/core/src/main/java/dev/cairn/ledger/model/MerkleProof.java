package dev.cairn.ledger.model;

import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.crypto.DomainTag;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An inclusion proof in a block's transaction or receipt tree ({@link MerkleRoot}): the leaf's index, the
 * number of leaves, and the siblings met on the way up, lowest first. The leaf count fixes where the odd node
 * of a level is promoted (it then has no sibling at that level), so a verifier knows at each level whether a
 * sibling comes and on which side.
 *
 * <p>What a valid proof establishes: the leaf is in the tree under the root. The index and the leaf count
 * are the prover's claim (the header does not commit to a list's length, and a promoted node hashes like a
 * subtree of another shape), so never rely on the position alone: a receipt names its transaction by id,
 * which is what binds a receipt to its transaction.
 */
public record MerkleProof(int index, int leafCount, List<Hash> siblings) {
  /** The deepest tree a block can have: ceil(log2(Limits.BLOCK_TXS_MAX)) levels. */
  public static final int SIBLINGS_MAX = 32 - Integer.numberOfLeadingZeros(Limits.BLOCK_TXS_MAX - 1);

  public MerkleProof {
    siblings = List.copyOf(siblings);
    if (leafCount < 1 || leafCount > Limits.BLOCK_TXS_MAX) {
      throw new IllegalArgumentException("leafCount must be 1.." + Limits.BLOCK_TXS_MAX + ", got " + leafCount);
    }
    if (index < 0 || index >= leafCount) {
      throw new IllegalArgumentException("index must be 0.." + (leafCount - 1) + ", got " + index);
    }
    if (siblings.size() != siblingCount(index, leafCount)) {
      throw new IllegalArgumentException("a proof of leaf " + index + " of " + leafCount + " has "
          + siblingCount(index, leafCount) + " siblings, got " + siblings.size());
    }
  }

  /** The proof of leaf {@code index} of the tree over {@code leafHashes} under {@code tag}. */
  public static MerkleProof prove(DomainTag tag, List<Hash> leafHashes, int index) {
    Objects.checkIndex(index, leafHashes.size());
    List<Hash> level = new ArrayList<>(leafHashes.size());
    for (Hash leaf : leafHashes) {
      level.add(MerkleRoot.leaf(tag, leaf));
    }
    List<Hash> siblings = new ArrayList<>();
    int at = index;
    while (level.size() > 1) {
      int sibling = at ^ 1;
      if (sibling < level.size()) {
        siblings.add(level.get(sibling));
      }
      level = MerkleRoot.nextLevel(tag, level);
      at >>>= 1;
    }
    return new MerkleProof(index, leafHashes.size(), siblings);
  }

  /** The proof that transaction {@code index} of a block with these transaction ids is under its tx root. */
  public static MerkleProof ofTransaction(List<Hash> txIds, int index) {
    return prove(DomainTag.TX_ROOT, txIds, index);
  }

  /** The proof that receipt {@code index} of a block's receipts is under its receipts root. */
  public static MerkleProof ofReceipt(List<Receipt> receipts, int index) {
    List<Hash> leaves = new ArrayList<>(receipts.size());
    for (Receipt receipt : receipts) {
      leaves.add(MerkleRoot.receiptLeaf(receipt));
    }
    return prove(DomainTag.RECEIPTS_ROOT, leaves, index);
  }

  /** Checks that transaction {@code txId} is in the tree whose root is {@code txRoot} (a header's). */
  public Validation verifyTransaction(Hash txRoot, Hash txId) {
    return verify(DomainTag.TX_ROOT, txRoot, txId);
  }

  /** Checks that {@code receipt} is in the tree whose root is {@code receiptsRoot} (a header's). */
  public Validation verifyReceipt(Hash receiptsRoot, Receipt receipt) {
    return verify(DomainTag.RECEIPTS_ROOT, receiptsRoot, MerkleRoot.receiptLeaf(receipt));
  }

  /** Walks from the leaf up to a root and compares it with {@code root}. */
  public Validation verify(DomainTag tag, Hash root, Hash leafHash) {
    Hash node = MerkleRoot.leaf(tag, leafHash);
    int at = index;
    int width = leafCount;
    int next = 0;
    while (width > 1) {
      if ((at & 1) == 1) {
        node = MerkleRoot.inner(tag, siblings.get(next++), node);
      } else if (at + 1 < width) {
        node = MerkleRoot.inner(tag, node, siblings.get(next++));
      }
      at >>>= 1;
      width = (width + 1) >>> 1;
    }
    if (!node.equals(root)) {
      return Validation.invalid("root_mismatch", "the proof leads to " + node.shortHex() + ", not to the root "
          + root.shortHex());
    }
    return Validation.VALID;
  }

  /** How many siblings the path of leaf {@code index} among {@code leafCount} meets (promoted levels have none). */
  static int siblingCount(int index, int leafCount) {
    int count = 0;
    int at = index;
    int width = leafCount;
    while (width > 1) {
      if ((at & 1) == 1 || at + 1 < width) {
        count++;
      }
      at >>>= 1;
      width = (width + 1) >>> 1;
    }
    return count;
  }
}
