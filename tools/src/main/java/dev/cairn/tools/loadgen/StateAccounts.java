package dev.cairn.tools.loadgen;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.crypto.Address;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The receive-only accounts of a large-state bench: account {@code i} of {@code count} has a deterministic
 * address (the first 20 bytes of SHA-256 of {@code cairn-bench-state-<i>}), no key, and is only ever a
 * transfer recipient. Transfer {@code t} of the measured load goes to a pseudo-random one of them, the same
 * one on every run, so state updates land all over a deep tree instead of on the K senders.
 */
public record StateAccounts(int count, long seed) {
  public StateAccounts {
    if (count < 1) {
      throw new IllegalArgumentException("need at least one state account, got " + count);
    }
  }

  public static Address address(int index) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(("cairn-bench-state-" + index).getBytes(StandardCharsets.US_ASCII));
      return new Address(Bytes.wrap(Arrays.copyOf(digest, Address.SIZE)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** The state account transfer {@code txIndex} goes to: a SplitMix64 step of (seed, index), uniform enough. */
  public int recipientIndex(int txIndex) {
    long z = seed + (txIndex + 1L) * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    z = z ^ (z >>> 31);
    return (int) Long.remainderUnsigned(z, count);
  }

  public Address recipient(int txIndex) {
    return address(recipientIndex(txIndex));
  }
}
