package dev.cairn.consensus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.model.ValidatorSet;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The quorum and proposer rules the engine relies on, for every n = 1..10. */
class QuorumAndProposerTest {
  @Test
  void quorumIsCeilingOfTwoThirds() {
    int[] expected = {0, 1, 2, 2, 3, 4, 4, 5, 6, 6, 7};
    for (int n = 1; n <= 10; n++) {
      assertThat(ValidatorSet.quorum(n)).as("n=%d", n).isEqualTo(expected[n]);
      assertThat(ValidatorSet.quorum(n)).isEqualTo((int) Math.ceil(2.0 * n / 3));
    }
  }

  @Test
  void twoQuorumsShareAnHonestValidatorAndHonestValidatorsAloneFormAQuorum() {
    for (int n = 1; n <= 10; n++) {
      int q = ValidatorSet.quorum(n);
      int f = (n - 1) / 3;
      assertThat(2 * q - n).as("quorum intersection n=%d", n).isGreaterThanOrEqualTo(f + 1);
      assertThat(n - f).as("honest validators are a quorum, n=%d", n).isGreaterThanOrEqualTo(q);
      assertThat(new Fixture(n).validators.maxFaulty()).isEqualTo(f);
    }
  }

  @Test
  void proposerRotatesThroughEveryValidatorWithHeightAndRound() {
    for (int n = 1; n <= 10; n++) {
      ValidatorSet validators = new Fixture(n).validators;
      for (long height = 1; height <= 3; height++) {
        Set<PublicKey> seen = new HashSet<>();
        for (int round = 0; round < n; round++) {
          seen.add(validators.proposer(height, round));
          if (round > 0) {
            assertThat(validators.proposer(height, round)).isEqualTo(validators.proposer(height + 1, round - 1));
          }
        }
        assertThat(seen).hasSize(n);
      }
    }
  }

  @Test
  void consecutiveHeightsStartWithTheNextProposer() {
    ValidatorSet validators = new Fixture(4).validators;
    for (long height = 1; height < 9; height++) {
      int index = validators.indexOf(validators.proposer(height, 0));
      int next = validators.indexOf(validators.proposer(height + 1, 0));
      assertThat(next).isEqualTo((index + 1) % 4);
      assertThat(validators.proposer(height, 1)).isEqualTo(validators.proposer(height + 1, 0));
    }
  }
}
