package dev.cairn.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.genesis.ConsensusParameters;
import dev.cairn.genesis.GenesisAccount;
import dev.cairn.genesis.GenesisBlock;
import dev.cairn.genesis.GenesisConfig;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.codec.LedgerCodec;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.model.FinalizedBlock;
import dev.cairn.ledger.model.Role;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SyncCodecTest {
  private static FinalizedBlock genesisBlock() {
    KeyPair validator = KeyPair.fromSeed(new byte[32]);
    GenesisConfig config = new GenesisConfig("sync-test", 1_700_000_000_000L, ConsensusParameters.DEFAULTS,
        List.of(validator.publicKey()), List.of(new GenesisAccount(validator.address(), 10, EnumSet.of(Role.MEMBER))),
        List.of());
    return GenesisBlock.of(config).finalizedBlock();
  }

  @Test
  void statusRequestAndBlocksRoundTrip() {
    SyncCodec.Status status = new SyncCodec.Status(42, Hash.of(new byte[32]));
    assertThat(SyncCodec.decodeStatus(SyncCodec.encode(status))).isEqualTo(new SyncCodec.Decoding.Ok<>(status));

    SyncCodec.BlocksRequest request = new SyncCodec.BlocksRequest(7, 64);
    assertThat(SyncCodec.decodeBlocksRequest(SyncCodec.encode(request))).isEqualTo(new SyncCodec.Decoding.Ok<>(request));

    FinalizedBlock block = genesisBlock();
    assertThat(SyncCodec.decodeBlocks(SyncCodec.encodeBlocks(List.of(block, block))))
        .isEqualTo(new SyncCodec.Decoding.Ok<>(List.of(block, block)));
    assertThat(SyncCodec.decodeGossipedBlock(LedgerCodec.encode(block))).isEqualTo(new SyncCodec.Decoding.Ok<>(block));
  }

  @Test
  void aPeerAskingForTooManyBlocksGetsTheCap() {
    byte[] bytes = SyncCodec.encode(new SyncCodec.BlocksRequest(0, 1_000_000));
    assertThat(SyncCodec.decodeBlocksRequest(bytes))
        .isEqualTo(new SyncCodec.Decoding.Ok<>(new SyncCodec.BlocksRequest(0, SyncCodec.BLOCKS_PER_RESPONSE_MAX)));
  }

  @Test
  void garbageIsMalformedNeverAnException() {
    byte[] blocks = SyncCodec.encodeBlocks(List.of(genesisBlock()));
    assertThat(SyncCodec.decodeBlocks(Arrays.copyOf(blocks, blocks.length - 1)))
        .isInstanceOf(SyncCodec.Decoding.Malformed.class);
    assertThat(SyncCodec.decodeStatus(new byte[3])).isInstanceOf(SyncCodec.Decoding.Malformed.class);
    byte[] trailing = Arrays.copyOf(SyncCodec.encode(new SyncCodec.BlocksRequest(1, 1)), 13);
    assertThat(SyncCodec.decodeBlocksRequest(trailing)).isInstanceOf(SyncCodec.Decoding.Malformed.class);
    assertThat(SyncCodec.decodeGossipedBlock(new byte[] {1, 2, 3})).isInstanceOf(SyncCodec.Decoding.Malformed.class);
    long seed = System.nanoTime();
    Random random = new Random(seed);
    for (int i = 0; i < 2_000; i++) {
      byte[] noise = new byte[random.nextInt(200)];
      random.nextBytes(noise);
      // Must return a value for any input; an exception fails the test (seed printed for a rerun).
      assertThat(SyncCodec.decodeBlocks(noise)).as("seed %d", seed).isNotNull();
      assertThat(SyncCodec.decodeStatus(noise)).as("seed %d", seed).isNotNull();
      assertThat(SyncCodec.decodeBlocksRequest(noise)).as("seed %d", seed).isNotNull();
      assertThat(SyncCodec.decodeGossipedBlock(noise)).as("seed %d", seed).isNotNull();
    }
  }
}
