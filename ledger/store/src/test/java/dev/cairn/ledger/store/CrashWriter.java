package dev.cairn.ledger.store;

import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.bytes.Hash;
import dev.cairn.ledger.execution.ExecutedBlock;
import dev.cairn.ledger.model.ValidatorSet;
import dev.cairn.ledger.store.fixtures.ChainFixture;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * The child process of {@link ChainStoreCrashIT}: opens (or creates) a store and commits blocks as fast as it
 * can until it is killed, printing "committed HEIGHT" after each commit returns. Blocks mix transfers,
 * flat-state writes and deletes, and validator-set changes, so a kill can land in any kind of batch.
 */
public final class CrashWriter {
  static final int VALIDATORS = 4;
  static final int ACCOUNTS = 8;

  private CrashWriter() {}

  /** With "prune": small retention and tiny pruning steps on a second thread, so kills land inside them too. */
  static final Retention PRUNING = new Retention(5, 5, 7);

  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    long seed = Long.parseLong(args[1]);
    boolean prune = args.length > 2 && args[2].equals("prune");
    Random random = new Random(seed);
    try (ChainStore store = ChainStore.open(dir, config(prune))) {
      if (prune) {
        Thread pruner = new Thread(() -> {
          try {
            while (true) {
              if (!store.prune().moreWork()) {
                Thread.sleep(1);
              }
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }, "pruner");
        pruner.setDaemon(true);
        pruner.start();
      }
      ChainFixture fixture;
      if (store.head().isEmpty()) {
        fixture = ChainFixture.create(VALIDATORS, ACCOUNTS, seed);
        ExecutedBlock genesis = fixture.genesis();
        store.commit(genesis, fixture.certify(genesis));
        report(0);
      } else {
        fixture = ChainFixture.resume(store, VALIDATORS, ACCOUNTS, seed);
      }
      fixture.knowValidators(VALIDATORS + 1);
      while (true) {
        ExecutedBlock next = fixture.next(random.nextInt(20), scratchWrites(fixture.nextHeight(), random),
            validatorChange(fixture.nextHeight(), fixture.validators()));
        store.commit(next, fixture.certify(next));
        report(next.height());
      }
    }
  }

  static StoreConfig config(boolean prune) {
    return prune ? StoreConfig.small().withRetention(PRUNING) : StoreConfig.small();
  }

  private static Map<Hash, Optional<Bytes>> scratchWrites(long height, Random random) {
    Map<Hash, Optional<Bytes>> writes = new HashMap<>();
    for (int i = 0; i < 3; i++) {
      byte[] key = new byte[Hash.SIZE];
      key[0] = (byte) 0xEE;
      key[1] = (byte) random.nextInt(16);
      // A small value space: values come back, and with them tree nodes that an earlier block replaced.
      byte[] value = new byte[] {(byte) random.nextInt(3)};
      writes.put(Hash.wrap(key), random.nextInt(3) == 0 ? Optional.empty() : Optional.of(Bytes.wrap(value)));
    }
    return writes;
  }

  /** Every seventh height toggles validator 4 in or out of the set. */
  private static Optional<ValidatorSet> validatorChange(long height, ValidatorSet current) {
    if (height % 7 != 0) {
      return Optional.empty();
    }
    var extra = ChainFixture.validatorKey(VALIDATORS).publicKey();
    return Optional.of(current.contains(extra) ? current.without(extra) : current.with(extra));
  }

  private static void report(long height) {
    System.out.println("committed " + height);
    System.out.flush();
  }
}
