package dev.cairn.ledger.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StoreConfigTest {
  private static final long MIB = 1024L * 1024L;

  @Test
  void defaultsAndSmallAreValid() {
    assertThat(StoreConfig.DEFAULTS.blockCacheBytes()).isEqualTo(256 * MIB);
    assertThat(StoreConfig.small().nodeCacheEntriesMax()).isPositive();
    assertThat(StoreConfig.DEFAULTS.withNodeCacheEntriesMax(0).nodeCacheEntriesMax()).isZero();
  }

  @Test
  void refusesLimitsThatContradictEachOther() {
    assertThatThrownBy(() -> new StoreConfig(256 * MIB, 64 * MIB, 32 * MIB, 256 * MIB, 1024, 4, 10, 1000))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("writeBuffersTotalBytesMax");
    assertThatThrownBy(() -> new StoreConfig(256 * MIB, 64 * MIB, 512 * MIB, 16 * MIB, 1024, 4, 10, 1000))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("walBytesMax");
    assertThatThrownBy(() -> new StoreConfig(1024, 64 * MIB, 512 * MIB, 256 * MIB, 1024, 4, 10, 1000))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blockCacheBytes");
    assertThatThrownBy(() -> new StoreConfig(256 * MIB, 64 * MIB, 512 * MIB, 256 * MIB, 3, 4, 10, 1000))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("openFilesMax");
    assertThatThrownBy(() -> new StoreConfig(256 * MIB, 64 * MIB, 512 * MIB, 256 * MIB, -1, 0, 10, 1000))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("backgroundJobsMax");
    assertThatThrownBy(() -> new StoreConfig(256 * MIB, 64 * MIB, 512 * MIB, 256 * MIB, -1, 4, 10, -1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nodeCacheEntriesMax");
  }
}
