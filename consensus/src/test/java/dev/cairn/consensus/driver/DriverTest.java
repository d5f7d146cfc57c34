package dev.cairn.consensus.driver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.consensus.ConsensusConfig;
import dev.cairn.consensus.ConsensusEngine;
import dev.cairn.consensus.SignatureVerifier;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.crypto.DomainTag;
import dev.cairn.ledger.crypto.Hashing;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.model.Block;
import dev.cairn.ledger.model.BlockHeader;
import dev.cairn.ledger.model.MerkleRoot;
import dev.cairn.ledger.model.ValidatorSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The driver's ordering rules, one validator at a time (the simulator covers the rest). */
class DriverTest {
  private static final KeyPair KEY = KeyPair.fromSeedText("driver-test");
  private static final ValidatorSet ALONE = new ValidatorSet(List.of(KEY.publicKey()));
  private static final BlockHeader GENESIS = new BlockHeader(0, Hash.ZERO, 0, KEY.publicKey(), 0,
      Block.txRoot(List.of()), MerkleRoot.ofReceipts(List.of()), Hashing.hash(DomainTag.GENESIS, "g".getBytes()),
      ALONE.hash());

  private static final class View implements DriverView {
    BlockHeader head = GENESIS;

    @Override
    public BlockHeader head() {
      return head;
    }

    @Override
    public ValidatorSet nextValidators() {
      return ALONE;
    }

    @Override
    public boolean hasPendingTransactions() {
      return true;
    }

    @Override
    public boolean isReachable(PublicKey validator) {
      return true;
    }
  }

  private final View view = new View();
  private final Driver driver = new Driver(new DriverConfig(1, false),
      new ConsensusEngine(ConsensusConfig.defaults(), KEY, SignatureVerifier.ED25519, Optional.empty()), view);

  /** Starts, builds the block, and returns the commands that follow the candidate. */
  private List<DriverCommand> proposeOwnBlock() {
    List<DriverCommand> started = driver.step(new DriverEvent.Start(false), 10);
    DriverCommand.BuildBlock build = started.stream().filter(DriverCommand.BuildBlock.class::isInstance)
        .map(DriverCommand.BuildBlock.class::cast).findFirst().orElseThrow();
    BlockHeader header = new BlockHeader(1, GENESIS.hash(), build.timestampMillis(), KEY.publicKey(), build.round(),
        Block.txRoot(List.of()), MerkleRoot.ofReceipts(List.of()), GENESIS.stateRoot(), ALONE.hash());
    return driver.step(new DriverEvent.BlockBuilt(new Block(header, List.of())), 11);
  }

  @Test
  void ownVotesWaitForTheirPersistAndAreSentOnlyOnceItIsDurable() {
    List<DriverCommand> afterCandidate = proposeOwnBlock();
    assertThat(afterCandidate).last().isInstanceOf(DriverCommand.Persist.class);
    assertThat(afterCandidate).noneMatch(DriverCommand.Broadcast.class::isInstance);
    assertThat(driver.step(new DriverEvent.TransactionsAvailable(), 12)).as("held while the write is outstanding").isEmpty();
    List<DriverCommand> afterPersist = driver.step(new DriverEvent.Persisted(), 13);
    assertThat(afterPersist).anyMatch(DriverCommand.Broadcast.class::isInstance);
  }

  @Test
  void aFailedPersistHaltsInsteadOfSending() {
    proposeOwnBlock();
    List<DriverCommand> afterFailure = driver.step(new DriverEvent.PersistFailed("disk full"), 13);
    assertThat(afterFailure).singleElement().isInstanceOf(DriverCommand.Halt.class);
    assertThat(driver.halted()).isTrue();
    assertThat(driver.step(new DriverEvent.TransactionsAvailable(), 14)).isEmpty();
  }

  @Test
  void aLoneValidatorCommitsThenWaitsForTheCommitBeforeTheNextHeight() {
    proposeOwnBlock();
    List<DriverCommand> commands = driver.step(new DriverEvent.Persisted(), 13);
    // Persisting the commit vote and lock comes first again; the block is final once that is on disk.
    while (!(commands.get(commands.size() - 1) instanceof DriverCommand.Commit)) {
      assertThat(commands).last().isInstanceOf(DriverCommand.Persist.class);
      commands = driver.step(new DriverEvent.Persisted(), 14);
    }
    DriverCommand.Commit commit = (DriverCommand.Commit) commands.get(commands.size() - 1);
    assertThat(commit.block().height()).isEqualTo(1);
    view.head = commit.block().block().header();
    List<DriverCommand> next = driver.step(new DriverEvent.Committed(), 15);
    assertThat(driver.engine().height()).isEqualTo(2);
    assertThat(next).anyMatch(c -> c instanceof DriverCommand.ArmTimer || c instanceof DriverCommand.BuildBlock);
  }

  @Test
  void aParentStampedInOurFutureHoldsTheProposerOnlyOneBlockPeriod() {
    // A validator whose clock ran 30 s ahead proposed the head; ours is true. Before, the next proposer waited
    // until its clock reached the stamp plus the period (30 s), stalling the chain at each such block.
    View ahead = new View();
    ahead.head = new BlockHeader(0, Hash.ZERO, 30_000, KEY.publicKey(), 0, Block.txRoot(List.of()),
        MerkleRoot.ofReceipts(List.of()), GENESIS.stateRoot(), ALONE.hash());
    Driver paced = new Driver(new DriverConfig(250, true),
        new ConsensusEngine(ConsensusConfig.defaults(), KEY, SignatureVerifier.ED25519, Optional.empty()), ahead);
    List<DriverCommand> started = paced.step(new DriverEvent.Start(false), 1_000);
    assertThat(started).filteredOn(DriverCommand.ArmTimer.class::isInstance).map(DriverCommand.ArmTimer.class::cast)
        .filteredOn(t -> t.timer() instanceof DriverTimer.BuildTick).singleElement()
        .satisfies(t -> assertThat(t.delayMillis()).isEqualTo(250));
    assertThat(paced.step(new DriverEvent.TimerFired(new DriverTimer.BuildTick()), 1_250))
        .anyMatch(DriverCommand.BuildBlock.class::isInstance);

    // A parent stamped in our past keeps the usual pacing: its stamp plus the period.
    View behind = new View();
    behind.head = new BlockHeader(0, Hash.ZERO, 900, KEY.publicKey(), 0, Block.txRoot(List.of()),
        MerkleRoot.ofReceipts(List.of()), GENESIS.stateRoot(), ALONE.hash());
    Driver usual = new Driver(new DriverConfig(250, true),
        new ConsensusEngine(ConsensusConfig.defaults(), KEY, SignatureVerifier.ED25519, Optional.empty()), behind);
    assertThat(usual.step(new DriverEvent.Start(false), 1_000)).filteredOn(DriverCommand.ArmTimer.class::isInstance)
        .map(DriverCommand.ArmTimer.class::cast).filteredOn(t -> t.timer() instanceof DriverTimer.BuildTick)
        .singleElement().satisfies(t -> assertThat(t.delayMillis()).isEqualTo(150));
  }
}
