package dev.cairn.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.codec.LedgerCodec;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.model.Block;
import dev.cairn.ledger.model.BlockHeader;
import dev.cairn.ledger.model.CommitCertificate;
import dev.cairn.ledger.model.CommitSeal;
import dev.cairn.ledger.model.FinalizedBlock;
import dev.cairn.ledger.model.Validation;
import dev.cairn.ledger.model.ValidatorSet;
import dev.cairn.ledger.state.MemoryNodeStore;
import dev.cairn.ledger.state.SparseMerkleTree;
import dev.cairn.ledger.state.StateChanges;
import dev.cairn.ledger.state.StateKeys;
import dev.cairn.ledger.state.TreeUpdate;
import dev.cairn.network.ports.ValidatorSetChange;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A 21-block chain whose validator set changes three times (4 validators, then a fifth joins from height 5, the
 * first leaves from height 9, a sixth joins from height 14), built with real keys, real seals and real state
 * trees: each header names the set that finalizes it and its state root commits to the set of the next height.
 * The follower must reach the head's set from genesis's only, and refuse each way a peer can lie with its reason.
 */
class ValidatorSetFollowerTest {
  private static final int HEAD = 20;
  private final List<KeyPair> keys = IntStream.range(0, 7)
      .mapToObj(i -> KeyPair.fromSeedText("follower-test-validator-" + i)).toList();
  private final ValidatorSet s0 = set(0, 1, 2, 3);
  private final ValidatorSet s1 = set(0, 1, 2, 3, 4);
  private final ValidatorSet s2 = set(1, 2, 3, 4);
  private final ValidatorSet s3 = set(1, 2, 3, 4, 5);
  private final MemoryNodeStore store = new MemoryNodeStore();
  private final List<BlockHeader> headers = new ArrayList<>();
  private final List<Hash> roots = new ArrayList<>();

  ValidatorSetFollowerTest() {
    Hash root = SparseMerkleTree.EMPTY_ROOT;
    Hash parent = Hash.ZERO;
    for (int height = 0; height <= HEAD; height++) {
      TreeMap<Hash, Optional<Bytes>> writes = new TreeMap<>();
      writes.put(StateKeys.VALIDATOR_SET, Optional.of(Bytes.wrap(LedgerCodec.encode(inForceAt(height + 1)))));
      writes.put(Hash.wrap(java.util.Arrays.copyOf(("account-" + height).getBytes(StandardCharsets.UTF_8), Hash.SIZE)), Optional.of(Bytes.wrap(new byte[] {(byte) height})));
      TreeUpdate update = new SparseMerkleTree(store, root).apply(new StateChanges(writes));
      store.putAll(update);
      root = update.root();
      BlockHeader header = new BlockHeader(height, parent, 1_000L * height, keys.get(1).publicKey(), 0, Hash.ZERO, Hash.ZERO,
          root, inForceAt(height).hash());
      headers.add(header);
      roots.add(root);
      parent = header.hash();
    }
  }

  private ValidatorSet inForceAt(long height) {
    return height >= 14 ? s3 : height >= 9 ? s2 : height >= 5 ? s1 : s0;
  }

  private ValidatorSet set(int... members) {
    return new ValidatorSet(IntStream.of(members).mapToObj(i -> keys.get(i).publicKey()).toList());
  }

  private CommitCertificate certify(BlockHeader header, ValidatorSet signers) {
    List<CommitSeal> seals = keys.stream().filter(k -> signers.contains(k.publicKey()))
        .map(k -> CommitSeal.sign(k, header.hash())).toList();
    return new CommitCertificate(header.hash(), seals);
  }

  /** The honest evidence for the change to the set in force from {@code height}. */
  private ValidatorSetChange change(int height) {
    BlockHeader last = headers.get(height - 1);
    return new ValidatorSetChange(last, certify(last, inForceAt(height - 1)), inForceAt(height),
        new SparseMerkleTree(store, roots.get(height - 1)).prove(StateKeys.VALIDATOR_SET));
  }

  private FinalizedBlock finalized(BlockHeader header, ValidatorSet signers) {
    return new FinalizedBlock(new Block(header, List.of()), certify(header, signers));
  }

  private ValidatorSetFollower fromGenesis() {
    return new ValidatorSetFollower(s0, 0, 100);
  }

  private static String reason(Validation validation) {
    return validation instanceof Validation.Invalid invalid ? invalid.reason() : "valid";
  }

  @Test
  void followsEveryChangeFromGenesisAndTrustsTheHead() {
    ValidatorSetFollower follower = fromGenesis();
    for (int height : new int[] {5, 9, 14}) {
      assertThat(follower.follow(change(height)).isValid()).as("change at %d", height).isTrue();
    }
    assertThat(follower.trusted()).isEqualTo(s3);
    assertThat(follower.inForceFrom()).isEqualTo(14);
    assertThat(follower.changesFollowed()).isEqualTo(3);
    assertThat(follower.trust(finalized(headers.get(HEAD), s3)).isValid()).isTrue();
  }

  @Test
  void theChangesSurviveTheWire() {
    List<ValidatorSetChange> changes = List.of(change(5), change(9), change(14));
    byte[] wire = ValidatorSetChangeCodec.encode(changes);
    assertThat(ValidatorSetChangeCodec.decodeChanges(wire)).isEqualTo(new SyncCodec.Decoding.Ok<>(changes));
    ValidatorSetChangeCodec.Request request = new ValidatorSetChangeCodec.Request(9, 16);
    assertThat(ValidatorSetChangeCodec.decodeRequest(ValidatorSetChangeCodec.encode(request)))
        .isEqualTo(new SyncCodec.Decoding.Ok<>(request));
  }

  @Test
  void hostileBytesAreMalformedNotThrown() {
    byte[] wire = ValidatorSetChangeCodec.encode(List.of(change(5)));
    byte[] truncated = java.util.Arrays.copyOf(wire, wire.length - 3);
    assertThat(ValidatorSetChangeCodec.decodeChanges(truncated)).isInstanceOf(SyncCodec.Decoding.Malformed.class);
    byte[] tooMany = new dev.cairn.ledger.encoding.CanonicalWriter().u32(ValidatorSetChangeCodec.CHANGES_PER_RESPONSE_MAX + 1).toByteArray();
    assertThat(ValidatorSetChangeCodec.decodeChanges(tooMany)).isInstanceOf(SyncCodec.Decoding.Malformed.class);
    assertThat(ValidatorSetChangeCodec.decodeChanges(new byte[ValidatorSetChangeCodec.RESPONSE_BYTES_MAX + 1]))
        .isInstanceOf(SyncCodec.Decoding.Malformed.class);
    assertThat(ValidatorSetChangeCodec.decodeRequest(new byte[8])).isInstanceOf(SyncCodec.Decoding.Malformed.class);
  }

  @Test
  void aForgedCertificateIsRefused() {
    ValidatorSetChange honest = change(5);
    // Seals from keys outside the trusted set, over the real header: a peer minting its own majority.
    ValidatorSetChange forged = new ValidatorSetChange(honest.lastHeader(), certify(honest.lastHeader(), set(4, 5, 6)),
        honest.next(), honest.proof());
    ValidatorSetFollower follower = fromGenesis();
    assertThat(reason(follower.follow(forged))).isEqualTo("set_change_certificate_invalid");
    assertThat(follower.trusted()).isEqualTo(s0);
  }

  @Test
  void aSetTheStateDoesNotHoldIsRefused() {
    ValidatorSetChange honest = change(5);
    ValidatorSetChange forged = new ValidatorSetChange(honest.lastHeader(), honest.lastCertificate(), set(4, 5, 6),
        honest.proof());
    assertThat(reason(fromGenesis().follow(forged))).isEqualTo("set_change_proof_invalid");
  }

  @Test
  void aPeerThatSkipsAChangeIsRefused() {
    ValidatorSetFollower follower = fromGenesis();
    assertThat(follower.follow(change(5)).isValid()).isTrue();
    assertThat(reason(follower.follow(change(14)))).isEqualTo("skipped_validator_set_change");
    assertThat(follower.trusted()).isEqualTo(s1);
  }

  @Test
  void aChangeTwiceOrOutOfOrderIsRefused() {
    ValidatorSetFollower follower = fromGenesis();
    assertThat(follower.follow(change(9)).isValid()).isFalse();
    assertThat(follower.follow(change(5)).isValid()).isTrue();
    assertThat(reason(follower.follow(change(5)))).isEqualTo("change_not_ascending");
  }

  @Test
  void aBlockWithoutAChangeIsNotAChange() {
    BlockHeader last = headers.get(2);
    ValidatorSetChange none = new ValidatorSetChange(last, certify(last, s0), s0,
        new SparseMerkleTree(store, roots.get(2)).prove(StateKeys.VALIDATOR_SET));
    assertThat(reason(fromGenesis().follow(none))).isEqualTo("not_a_change");
  }

  @Test
  void aHeaderSignedByTheOldSetAfterItChangedIsRefused() {
    ValidatorSetFollower follower = fromGenesis();
    follower.follow(change(5));
    follower.follow(change(9));
    follower.follow(change(14));
    BlockHeader real = headers.get(HEAD);
    // The genesis validators, who no longer finalize anything, sign a header that names them at height 20.
    BlockHeader byOldSet = new BlockHeader(real.height(), real.parentHash(), real.timestampMillis(), keys.get(0).publicKey(),
        0, real.txRoot(), real.receiptsRoot(), Hash.wrap(new byte[Hash.SIZE]), s0.hash());
    assertThat(reason(follower.trust(finalized(byOldSet, s0)))).isEqualTo("stale_validator_set");
    assertThat(follower.trust(finalized(real, s3)).isValid()).isTrue();
  }

  @Test
  void aHeadBeyondTheChangesFollowedIsNotTrustedYet() {
    ValidatorSetFollower follower = fromGenesis();
    follower.follow(change(5));
    assertThat(reason(follower.trust(finalized(headers.get(HEAD), s3)))).isEqualTo("validator_set_not_followed");
    assertThat(reason(follower.trust(finalized(headers.get(3), s0)))).isEqualTo("block_before_trusted_set");
    assertThat(reason(follower.trust(finalized(headers.get(7), set(0, 1))))).isEqualTo("certificate_below_quorum");
  }

  @Test
  void followingIsBounded() {
    ValidatorSetFollower follower = new ValidatorSetFollower(s0, 0, 2);
    assertThat(follower.follow(change(5)).isValid()).isTrue();
    assertThat(follower.follow(change(9)).isValid()).isTrue();
    assertThat(reason(follower.follow(change(14)))).isEqualTo("too_many_set_changes");
  }
}
