package dev.cairn.bench;

import dev.cairn.consensus.CachingSignatureVerifier;
import dev.cairn.consensus.ConsensusConfig;
import dev.cairn.consensus.HeightContext;
import dev.cairn.consensus.MessageValidator;
import dev.cairn.consensus.Preverified;
import dev.cairn.consensus.SignatureVerifier;
import dev.cairn.consensus.message.ConsensusMessage;
import dev.cairn.consensus.message.MessageBody;
import dev.cairn.consensus.message.MessageCodec;
import dev.cairn.consensus.message.SignedMessage;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.crypto.DomainTag;
import dev.cairn.ledger.crypto.Hashing;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.model.Block;
import dev.cairn.ledger.model.BlockHeader;
import dev.cairn.ledger.model.MerkleRoot;
import dev.cairn.ledger.model.Payload;
import dev.cairn.ledger.model.Transaction;
import dev.cairn.ledger.model.Validation;
import dev.cairn.ledger.model.ValidatorSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The consensus thread's work for one relayed message the gossip validator already checked (its signatures
 * in the shared cache): {@code undecoded} decodes it and runs the engine's full check (what it did before),
 * {@code preverified} runs the check the engine repeats for a message handed over decoded and checked. A
 * PREPARE, and a round-0 PROPOSAL carrying {@code txs} transfers (the block is what decoding costs).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ConsensusMessageBenchmark {
  private static final String CHAIN_ID = "cairn-bench";

  @Param({"PREPARE", "PROPOSAL"})
  public String kind;

  @Param({"1000"})
  public int txs;

  private MessageValidator validator;
  private HeightContext context;
  private byte[] encoded;
  private Preverified preverified;

  @Setup
  public void setup() {
    List<KeyPair> keys = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      keys.add(KeyPair.fromSeedText("bench-validator-" + i));
    }
    ValidatorSet validators = new ValidatorSet(keys.stream().map(KeyPair::publicKey).toList());
    Hash parent = Hashing.hash(DomainTag.GENESIS, new byte[] {1});
    context = HeightContext.of(1, parent, validators);
    KeyPair proposer = keys.stream().filter(k -> k.publicKey().equals(validators.proposer(1, 0))).findFirst().orElseThrow();
    List<Transaction> transfers = new ArrayList<>(txs);
    KeyPair sender = KeyPair.fromSeedText("bench-sender");
    for (int i = 0; i < txs; i++) {
      transfers.add(Transaction.sign(CHAIN_ID, sender, i, new Payload.Transfer(proposer.address(), 1 + i)));
    }
    Block block = new Block(new BlockHeader(1, parent, 1_700_000_000_000L, proposer.publicKey(), 0, Block.txRoot(transfers),
        MerkleRoot.ofReceipts(List.of()), Hash.ZERO, validators.hash()), transfers);
    ConsensusMessage message = kind.equals("PROPOSAL")
        ? new ConsensusMessage(SignedMessage.sign(proposer, new MessageBody.Proposal(1, 0, block)), List.of(), Optional.empty())
        : ConsensusMessage.vote(SignedMessage.sign(keys.get(1), new MessageBody.Prepare(1, 0, block.hash())));
    encoded = MessageCodec.encode(message);
    validator = new MessageValidator(ConsensusConfig.defaults(), new CachingSignatureVerifier(SignatureVerifier.ED25519, 1_024));
    // The relay's check, which also puts the signatures in the shared cache.
    preverified = validator.preverify(message, context).preverified().orElseThrow();
  }

  @Benchmark
  public Validation undecoded() {
    MessageCodec.Decoding.Decoded decoded = (MessageCodec.Decoding.Decoded) MessageCodec.decode(encoded);
    return validator.validate(decoded.message(), context, 0);
  }

  @Benchmark
  public Validation preverified() {
    return validator.validatePreverified(preverified, context, 0);
  }
}
