package dev.cairn.node.consensus;

import dev.cairn.chain.ChainPort;
import dev.cairn.network.ConsensusNetwork;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.consensus.ConsensusConfig;
import dev.cairn.consensus.ConsensusEngine;
import dev.cairn.consensus.SignatureVerifier;
import dev.cairn.consensus.HeightContext;
import dev.cairn.consensus.Preverified;
import dev.cairn.consensus.driver.DriverConfig;
import dev.cairn.consensus.driver.DriverEvent;
import dev.cairn.consensus.message.ConsensusMessage;
import dev.cairn.consensus.message.MessageBody;
import dev.cairn.consensus.message.MessageCodec;
import dev.cairn.consensus.message.SignedMessage;
import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.crypto.DomainTag;
import dev.cairn.ledger.crypto.Hashing;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.model.Block;
import dev.cairn.ledger.model.BlockHeader;
import dev.cairn.ledger.model.CommitSeal;
import dev.cairn.ledger.model.FinalizedBlock;
import dev.cairn.ledger.model.MerkleRoot;
import dev.cairn.ledger.model.Validation;
import dev.cairn.ledger.model.ValidatorSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: honest votes travel their own lane of the consensus queue's inbox, so a flood of other consensus
 * messages from one peer is dropped (and counted) without costing a single vote, and the height finalizes.
 */
class VotePathUnderFloodTest {
  private final List<KeyPair> keys = new java.util.ArrayList<>();
  private final ValidatorSet validators;
  private final BlockHeader genesis;

  VotePathUnderFloodTest() {
    List<PublicKey> publicKeys = new java.util.ArrayList<>();
    for (int i = 0; i < 4; i++) {
      publicKeys.add(KeyPair.fromSeedText("flood-validator-" + i).publicKey());
    }
    validators = new ValidatorSet(publicKeys);
    for (PublicKey key : validators.validators()) {
      for (int i = 0; i < 4; i++) {
        if (KeyPair.fromSeedText("flood-validator-" + i).publicKey().equals(key)) {
          keys.add(KeyPair.fromSeedText("flood-validator-" + i));
        }
      }
    }
    genesis = new BlockHeader(0, Hash.ZERO, 0, publicKeys.get(0), 0, Block.txRoot(List.of()),
        MerkleRoot.ofReceipts(List.of()), Hashing.hash(DomainTag.GENESIS, new byte[] {1}), validators.hash());
  }

  private KeyPair keyOf(PublicKey key) {
    return keys.get(validators.indexOf(key));
  }

  private static Bytes encoded(ConsensusMessage message) {
    return Bytes.wrap(MessageCodec.encode(message));
  }

  /** A chain at genesis that validates every block and records commits. */
  private final class StubChain implements ChainPort {
    final List<FinalizedBlock> committed = new CopyOnWriteArrayList<>();

    @Override
    public BlockHeader head() {
      return committed.isEmpty() ? genesis : committed.get(committed.size() - 1).block().header();
    }

    @Override
    public ValidatorSet nextValidators() {
      return validators;
    }

    @Override
    public boolean hasPendingTransactions() {
      return false;
    }

    @Override
    public Block buildCandidate(int round, PublicKey proposer, long timestampMillis) {
      throw new IllegalStateException("not the proposer in this test");
    }

    @Override
    public Validation validate(Block block) {
      return Validation.VALID;
    }

    @Override
    public void commit(FinalizedBlock block) {
      committed.add(block);
    }

    @Override
    public Validation importFinalized(FinalizedBlock block) {
      return Validation.invalid("not_here", "no import in this test");
    }

    @Override
    public Optional<Bytes> loadConsensusState() {
      return Optional.empty();
    }

    @Override
    public void saveConsensusState(Bytes state) {}
  }

  @Test
  void aFloodOfOtherMessagesFromOnePeerCostsNoHonestVoteAndTheHeightFinalizes() throws Exception {
    floodThenHonestHeight(false);
  }

  /** The same with every message handed over as the gossip relay checked it: the same lanes, bounds and outcome. */
  @Test
  void theSameHoldsForMessagesTheRelayAlreadyChecked() throws Exception {
    floodThenHonestHeight(true);
  }

  /** Hands {@code message} to the queue undecoded, or as the gossip relay hands over one it checked. */
  private static void send(ConsensusQueue queue, ConsensusEngine engine, HeightContext context, ConsensusMessage message,
      String source, boolean checked) {
    Bytes wire = encoded(message);
    if (checked) {
      queue.onCheckedPeerMessage(engine.messageValidator().preverify(message, context).preverified().orElseThrow(),
          wire, source);
    } else {
      queue.onPeerMessage(wire, source);
    }
  }

  private void floodThenHonestHeight(boolean checked) throws Exception {
    PublicKey proposer = validators.proposer(1, 0);
    KeyPair self = keys.stream().filter(k -> !k.publicKey().equals(proposer)).findFirst().orElseThrow();
    ConsensusEngine engine = new ConsensusEngine(
        ConsensusConfig.defaults().withTimeouts(60_000, 60_000), self, SignatureVerifier.ED25519, Optional.empty());
    StubChain chain = new StubChain();
    PriorityInbox<DriverEvent> inbox = new PriorityInbox<>(new PriorityInbox.LaneLimits(1_000, 1L << 20, 256L << 10),
        new PriorityInbox.LaneLimits(1_000, 256L << 10, 64L << 10));
    ConsensusQueue queue = new ConsensusQueue(1_000, inbox);
    ConsensusDriver driver = new ConsensusDriver(new DriverConfig(1, false), engine, chain,
        ConsensusNetwork.NONE, System::currentTimeMillis, queue);
    try {
      driver.start(false);
      Block block = new Block(new BlockHeader(1, genesis.hash(), 1, proposer, 0, Block.txRoot(List.of()),
          MerkleRoot.ofReceipts(List.of()), genesis.stateRoot(), validators.hash()), List.of());
      // One peer floods round changes (what a replaying or Byzantine peer could relay): far beyond its share.
      HeightContext context = HeightContext.of(1, genesis.hash(), validators);
      ConsensusMessage roundChange = ConsensusMessage.vote(
          SignedMessage.sign(keyOf(proposer), new MessageBody.RoundChange(1, 5, Optional.empty())));
      Bytes roundChangeWire = encoded(roundChange);
      Preverified roundChangeChecked = engine.messageValidator().preverify(roundChange, context).preverified().orElseThrow();
      for (int i = 0; i < 20_000; i++) {
        if (checked) {
          queue.onCheckedPeerMessage(roundChangeChecked, roundChangeWire, "flooder");
        } else {
          queue.onPeerMessage(roundChangeWire, "flooder");
        }
      }
      // The honest proposal and every other validator's PREPARE and COMMIT, relayed by another peer.
      send(queue, engine, context, new ConsensusMessage(
          SignedMessage.sign(keyOf(proposer), new MessageBody.Proposal(1, 0, block)), List.of(), Optional.empty()),
          "honest", checked);
      for (KeyPair key : keys) {
        if (key != self) {
          send(queue, engine, context, ConsensusMessage.vote(
              SignedMessage.sign(key, new MessageBody.Prepare(1, 0, block.hash()))), "honest", checked);
          send(queue, engine, context, ConsensusMessage.vote(SignedMessage.sign(key, new MessageBody.Commit(1, 0,
              block.hash(), CommitSeal.sign(key, block.hash()).signature()))), "honest", checked);
        }
      }
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (chain.committed.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(chain.committed).extracting(f -> f.block().hash()).containsExactly(block.hash());
      assertThat(driver.droppedConsensusVotes()).isZero();
      assertThat(driver.droppedPeerMessages()).isGreaterThan(15_000);
    } finally {
      driver.close();
    }
  }
}
