package dev.cairn.consensus;

import dev.cairn.consensus.message.ConsensusMessage;
import dev.cairn.consensus.message.MessageBody;
import dev.cairn.consensus.message.PreparedCertificate;
import dev.cairn.consensus.message.SignedMessage;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.crypto.DomainTag;
import dev.cairn.ledger.crypto.Hashing;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.model.Block;
import dev.cairn.ledger.model.BlockHeader;
import dev.cairn.ledger.model.CommitSeal;
import dev.cairn.ledger.model.MerkleRoot;
import dev.cairn.ledger.model.ValidatorSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** n deterministic validators, a genesis header and helpers to sign messages as any of them. */
final class Fixture {
  final List<KeyPair> keys = new ArrayList<>();
  final ValidatorSet validators;
  final BlockHeader genesis;
  final ConsensusConfig config = ConsensusConfig.defaults().withTimeouts(1_000, 8_000);

  Fixture(int n) {
    List<PublicKey> publicKeys = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      publicKeys.add(KeyPair.fromSeedText("fixture-" + i).publicKey());
    }
    validators = new ValidatorSet(publicKeys);
    // keys in the validator set's (sorted) order, so keys.get(i) is validators.validators().get(i)
    for (PublicKey key : validators.validators()) {
      for (int i = 0; i < n; i++) {
        KeyPair pair = KeyPair.fromSeedText("fixture-" + i);
        if (pair.publicKey().equals(key)) {
          keys.add(pair);
        }
      }
    }
    genesis = new BlockHeader(0, Hash.ZERO, 0, publicKeys.get(0), 0, Block.txRoot(List.of()),
        MerkleRoot.ofReceipts(List.of()), Hashing.hash(DomainTag.GENESIS, new byte[] {1}), validators.hash());
  }

  HeightContext context() {
    return HeightContext.of(1, genesis.hash(), validators);
  }

  KeyPair proposer(long height, int round) {
    return keyOf(validators.proposer(height, round));
  }

  KeyPair keyOf(PublicKey key) {
    return keys.get(validators.indexOf(key));
  }

  Block block(int round, long salt) {
    PublicKey proposer = validators.proposer(1, round);
    BlockHeader header = new BlockHeader(1, genesis.hash(), 1 + salt, proposer, round, Block.txRoot(List.of()),
        MerkleRoot.ofReceipts(List.of()), genesis.stateRoot(), validators.hash());
    return new Block(header, List.of());
  }

  ConsensusMessage proposal(int round, Block block, List<SignedMessage> roundChanges,
      Optional<PreparedCertificate> certificate) {
    SignedMessage signed = SignedMessage.sign(proposer(1, round), new MessageBody.Proposal(1, round, block));
    return new ConsensusMessage(signed, roundChanges, certificate);
  }

  SignedMessage prepare(int signer, int round, Hash blockHash) {
    return SignedMessage.sign(keys.get(signer), new MessageBody.Prepare(1, round, blockHash));
  }

  SignedMessage commit(int signer, int round, Hash blockHash) {
    KeyPair key = keys.get(signer);
    return SignedMessage.sign(
        key, new MessageBody.Commit(1, round, blockHash, CommitSeal.sign(key, blockHash).signature()));
  }

  PreparedCertificate certificate(Block block, int round) {
    List<SignedMessage> prepares = new ArrayList<>();
    for (int i = 0; i < validators.quorum(); i++) {
      prepares.add(prepare(i, round, block.hash()));
    }
    return new PreparedCertificate(block, prepares);
  }

  ConsensusMessage roundChange(int signer, int round, Optional<PreparedCertificate> certificate) {
    SignedMessage signed = SignedMessage.sign(
        keys.get(signer), new MessageBody.RoundChange(1, round, certificate.map(PreparedCertificate::ref)));
    return new ConsensusMessage(signed, List.of(), certificate);
  }

  List<SignedMessage> roundChanges(int round, int count, Optional<PreparedCertificate> certificateOfFirst) {
    List<SignedMessage> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(roundChange(i, round, i == 0 ? certificateOfFirst : Optional.empty()).signed());
    }
    return out;
  }
}
