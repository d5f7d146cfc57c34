package dev.cairn.ledger.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.crypto.DomainTag;
import dev.cairn.ledger.crypto.Hashing;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Inclusion proofs against the roots {@link MerkleRoot} builds (the roots block headers carry): every leaf of
 * every tree shape up to 70 leaves proves, and a changed leaf, sibling, root, tag or shape does not.
 */
class MerkleProofTest {
  private static List<Hash> leaves(int count) {
    List<Hash> leaves = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      leaves.add(Hashing.hash(DomainTag.TX_ID, ("tx " + i).getBytes(StandardCharsets.UTF_8)));
    }
    return leaves;
  }

  @Test
  void everyLeafOfEveryShapeProvesAgainstTheRoot() {
    for (int count = 1; count <= 70; count++) {
      List<Hash> leaves = leaves(count);
      Hash root = MerkleRoot.of(DomainTag.TX_ROOT, leaves);
      for (int i = 0; i < count; i++) {
        MerkleProof proof = MerkleProof.ofTransaction(leaves, i);
        assertThat(proof.verifyTransaction(root, leaves.get(i))).as("leaf %d of %d", i, count).isEqualTo(Validation.VALID);
        assertThat(proof.siblings()).hasSizeLessThanOrEqualTo(MerkleProof.SIBLINGS_MAX);
        Hash other = leaves.get((i + 1) % count);
        if (count > 1) {
          assertThat(proof.verifyTransaction(root, other)).as("another leaf at %d of %d", i, count)
              .isInstanceOf(Validation.Invalid.class);
        }
      }
    }
  }

  @Test
  void aTamperedLeafSiblingRootOrTagIsRefused() {
    List<Hash> leaves = leaves(11);
    Hash root = MerkleRoot.of(DomainTag.TX_ROOT, leaves);
    MerkleProof proof = MerkleProof.ofTransaction(leaves, 6);
    Hash tampered = Hashing.hash(DomainTag.TX_ID, "forged".getBytes(StandardCharsets.UTF_8));
    assertThat(proof.verifyTransaction(root, tampered))
        .isInstanceOfSatisfying(Validation.Invalid.class, v -> assertThat(v.reason()).isEqualTo("root_mismatch"));
    assertThat(proof.verifyTransaction(tampered, leaves.get(6))).isInstanceOf(Validation.Invalid.class);
    List<Hash> siblings = new ArrayList<>(proof.siblings());
    siblings.set(1, tampered);
    assertThat(new MerkleProof(6, 11, siblings).verifyTransaction(root, leaves.get(6))).isInstanceOf(Validation.Invalid.class);
    // The same tree under the receipts tag is another tree: a tx proof never passes as a receipt proof.
    assertThat(proof.verify(DomainTag.RECEIPTS_ROOT, root, leaves.get(6))).isInstanceOf(Validation.Invalid.class);
    // A leaf hash is not an inner node: proving an inner node as if it were a leaf fails.
    MerkleProof upper = MerkleProof.ofTransaction(leaves, 0);
    assertThat(new MerkleProof(0, 6, upper.siblings().subList(1, upper.siblings().size())).verifyTransaction(root,
        leaves.get(0))).isInstanceOf(Validation.Invalid.class);
  }

  @Test
  void receiptProofsCoverTheReceiptEncodingAndItsCode() {
    List<Receipt> receipts = new ArrayList<>();
    for (Hash id : leaves(5)) {
      receipts.add(new Receipt(id, ReceiptCode.OK));
    }
    Hash root = MerkleRoot.ofReceipts(receipts);
    MerkleProof proof = MerkleProof.ofReceipt(receipts, 4);
    assertThat(proof.verifyReceipt(root, receipts.get(4))).isEqualTo(Validation.VALID);
    assertThat(proof.verifyReceipt(root, new Receipt(receipts.get(4).txId(), ReceiptCode.INSUFFICIENT_BALANCE)))
        .as("the same transaction with another outcome").isInstanceOf(Validation.Invalid.class);
  }

  @Test
  void aProofOfTheWrongShapeDoesNotConstruct() {
    List<Hash> leaves = leaves(5);
    MerkleProof proof = MerkleProof.ofTransaction(leaves, 4);
    // Leaf 4 of 5 is promoted twice: one sibling only.
    assertThat(proof.siblings()).hasSize(1);
    assertThatThrownBy(() -> new MerkleProof(4, 5, List.of())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("has 1 siblings, got 0");
    assertThatThrownBy(() -> new MerkleProof(5, 5, proof.siblings())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new MerkleProof(-1, 5, proof.siblings())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new MerkleProof(0, 0, List.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new MerkleProof(0, Limits.BLOCK_TXS_MAX + 1, List.of())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theIndexIsTheProversClaimNotTheTrees() {
    // Leaf 2 of 3 is promoted past the first level, so its path is that of leaf 1 of 2: the same siblings
    // prove both claims. Membership holds either way; the position is what the docs say it is, a claim.
    List<Hash> leaves = leaves(3);
    Hash root = MerkleRoot.of(DomainTag.TX_ROOT, leaves);
    MerkleProof real = MerkleProof.ofTransaction(leaves, 2);
    assertThat(new MerkleProof(1, 2, real.siblings()).verifyTransaction(root, leaves.get(2))).isEqualTo(Validation.VALID);
  }
}
