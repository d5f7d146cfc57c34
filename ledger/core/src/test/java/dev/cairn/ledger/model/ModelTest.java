package dev.cairn.ledger.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.crypto.DomainTag;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.testing.Fixtures;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ModelTest {
  private static final List<KeyPair> KEYS = Fixtures.keys("model", 4);
  private static final ValidatorSet FOUR = new ValidatorSet(KEYS.stream().map(KeyPair::publicKey).toList());
  private static final Hash BLOCK = Hash.fromHex("11".repeat(32));

  @Test
  void quorumIsCeilingOfTwoThirds() {
    int[][] expected = {{1, 1}, {2, 2}, {3, 2}, {4, 3}, {5, 4}, {6, 4}, {7, 5}, {10, 7}, {100, 67}};
    for (int[] row : expected) {
      assertThat(ValidatorSet.quorum(row[0])).as("n=" + row[0]).isEqualTo(row[1]);
    }
    assertThat(FOUR.maxFaulty()).isEqualTo(1);
  }

  @Test
  void validatorSetIsSortedWhateverTheInputOrderAndRefusesDuplicates() {
    List<PublicKey> reversed = new ArrayList<>(FOUR.validators());
    java.util.Collections.reverse(reversed);
    assertThat(new ValidatorSet(reversed)).isEqualTo(FOUR);
    assertThat(new ValidatorSet(reversed).hash()).isEqualTo(FOUR.hash());
    assertThatThrownBy(() -> new ValidatorSet(List.of(KEYS.get(0).publicKey(), KEYS.get(0).publicKey())))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ValidatorSet(List.of())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void proposerRotatesWithHeightAndRound() {
    Set<PublicKey> seen = new HashSet<>();
    for (int h = 0; h < 4; h++) {
      seen.add(FOUR.proposer(h, 0));
    }
    assertThat(seen).hasSize(4);
    assertThat(FOUR.proposer(5, 1)).isEqualTo(FOUR.proposer(6, 0));
  }

  @Test
  void certificateNeedsAQuorumOfValidSealsFromValidators() {
    List<CommitSeal> three = KEYS.subList(0, 3).stream().map(k -> CommitSeal.sign(k, BLOCK)).toList();
    assertThat(new CommitCertificate(BLOCK, three).verify(BLOCK, FOUR).isValid()).isTrue();
    assertThat(reason(new CommitCertificate(BLOCK, three.subList(0, 2)), BLOCK)).isEqualTo("certificate_below_quorum");
    assertThat(reason(new CommitCertificate(BLOCK, three), Hash.ZERO)).isEqualTo("certificate_wrong_block");
    List<CommitSeal> outsider = new ArrayList<>(three);
    outsider.add(CommitSeal.sign(Fixtures.key("outsider"), BLOCK));
    assertThat(reason(new CommitCertificate(BLOCK, outsider), BLOCK)).isEqualTo("seal_from_non_validator");
    List<CommitSeal> forged = new ArrayList<>(three.subList(0, 2));
    forged.add(new CommitSeal(KEYS.get(3).publicKey(), KEYS.get(0).sign(BLOCK.toArray())));
    assertThat(reason(new CommitCertificate(BLOCK, forged), BLOCK)).isEqualTo("seal_bad_signature");
    assertThatThrownBy(() -> new CommitCertificate(BLOCK, List.of(three.get(0), three.get(0))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static String reason(CommitCertificate certificate, Hash expected) {
    return ((Validation.Invalid) certificate.verify(expected, FOUR)).reason();
  }

  @Test
  void merkleRootsDependOnOrderAndContent() {
    Hash a = Hash.fromHex("01".repeat(32));
    Hash b = Hash.fromHex("02".repeat(32));
    Hash c = Hash.fromHex("03".repeat(32));
    assertThat(MerkleRoot.of(DomainTag.TX_ROOT, List.of(a, b))).isNotEqualTo(MerkleRoot.of(DomainTag.TX_ROOT, List.of(b, a)));
    assertThat(MerkleRoot.of(DomainTag.TX_ROOT, List.of(a, b, c))).isNotEqualTo(MerkleRoot.of(DomainTag.TX_ROOT, List.of(a, b)));
    assertThat(MerkleRoot.of(DomainTag.TX_ROOT, List.of())).isNotEqualTo(MerkleRoot.of(DomainTag.RECEIPTS_ROOT, List.of()));
    // A single leaf is hashed as a leaf, so the root is never the leaf itself.
    assertThat(MerkleRoot.of(DomainTag.TX_ROOT, List.of(a))).isNotEqualTo(a);
  }

  @Test
  void accountRolesAndLimits() {
    Account account = Account.EMPTY.withRole(Role.MEMBER).withBalance(5);
    assertThat(account.has(Role.MEMBER)).isTrue();
    assertThat(account.withoutRole(Role.MEMBER).withBalance(0).isEmpty()).isTrue();
    assertThatThrownBy(() -> new Account(-1, 0, Set.of())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void receiptCodesAreStableAndUnique() {
    Set<Integer> codes = new HashSet<>();
    for (ReceiptCode code : ReceiptCode.values()) {
      assertThat(codes.add(code.code())).isTrue();
      assertThat(ReceiptCode.fromCode(code.code())).isEqualTo(code);
    }
    // Pinned: these numbers are in stored receipts and hashes.
    assertThat(ReceiptCode.OK.code()).isZero();
    assertThat(ReceiptCode.LAST_VALIDATOR.code()).isEqualTo(11);
    assertThat(ReceiptCode.VALIDATOR_SET_FULL.code()).isEqualTo(12);
  }

  @Test
  void voteTallyIsSortedUniqueAndCountsOnlyCurrentValidators() {
    List<PublicKey> voters = new ArrayList<>(List.of(KEYS.get(2).publicKey(), KEYS.get(0).publicKey(), Fixtures.key("gone").publicKey()));
    VoteTally tally = new VoteTally(voters);
    assertThat(tally.voters()).isSorted();
    assertThat(tally.countIn(FOUR)).isEqualTo(2);
    assertThatThrownBy(() -> new VoteTally(List.of())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void signedTransactionVerifiesAndAnyChangeBreaksIt() {
    Transaction tx = Fixtures.transfer(KEYS.get(0), 3, KEYS.get(1).address(), 10);
    assertThat(tx.hasValidSignature()).isTrue();
    Transaction otherNonce = new Transaction(tx.chainId(), tx.sender(), 4, tx.payload(), tx.signature());
    Transaction otherChain = new Transaction("other", tx.sender(), 3, tx.payload(), tx.signature());
    assertThat(otherNonce.hasValidSignature()).isFalse();
    assertThat(otherChain.hasValidSignature()).isFalse();
    assertThat(otherNonce.id()).isNotEqualTo(tx.id());
  }
}
