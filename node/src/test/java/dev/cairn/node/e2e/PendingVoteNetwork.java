package dev.cairn.node.e2e;

import dev.cairn.genesis.ConsensusParameters;
import dev.cairn.genesis.network.GeneratedNetwork;
import dev.cairn.genesis.network.NetworkGenerator;
import dev.cairn.genesis.network.NetworkSpec;
import dev.cairn.ledger.codec.TransactionCodec;
import dev.cairn.ledger.crypto.KeyFiles;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.model.Payload;
import dev.cairn.ledger.model.Transaction;
import dev.cairn.node.Node;
import dev.cairn.node.config.ConfigLoader;
import dev.cairn.node.config.NodeConfig;
import dev.cairn.rpc.client.RpcClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Two real validators in this JVM (libp2p on loopback, RocksDB), the first serving the explorer, where one of
 * them voted to add a key: one vote of two is not enough (more than 2/3 are needed), so the tally stays pending
 * in state. The devnet has a single validator, whose own vote always passes at once.
 */
final class PendingVoteNetwork implements AutoCloseable {
  private static final String CHAIN_ID = "explorer-votes";
  private static final long BLOCK_PERIOD_MILLIS = 200;
  private static final Duration PENDING_TIMEOUT = Duration.ofSeconds(60);

  private final List<Node> running = new ArrayList<>();
  private final URI rpc;
  private final PublicKey candidate = KeyPair.fromSeedText("explorer-it-candidate").publicKey();
  private final PublicKey voter;

  private PendingVoteNetwork(Path dir) throws Exception {
    int base = freePortRange(2);
    int rpcBase = freePortRange(2);
    ConsensusParameters d = ConsensusParameters.DEFAULTS;
    NetworkSpec spec = new NetworkSpec(2, 0, CHAIN_ID, (System.currentTimeMillis() / 1000) * 1000,
        new ConsensusParameters(BLOCK_PERIOD_MILLIS, d.roundTimeoutMillis(), d.roundTimeoutMillisMax(), d.blockTxsMax(),
            d.blockBytesMax(), true), base, rpcBase, NetworkSpec.DEFAULT_DEV_BALANCE);
    GeneratedNetwork network = new NetworkGenerator(KeyPair::generate).generate(spec, dir);
    GeneratedNetwork.Node first = network.nodes().get(0);
    try {
      running.add(Node.start(load(first.dir(), "explorer.enabled", "true")));
      running.add(Node.start(load(network.nodes().get(1).dir())));
    } catch (RuntimeException | Error e) {
      close();
      throw e;
    }
    rpc = URI.create("http://127.0.0.1:" + first.rpcPort());
    KeyPair key = KeyFiles.readNodeKey(first.dir().resolve(NetworkGenerator.NODE_KEY_FILE));
    voter = key.publicKey();
    RpcClient client = new RpcClient(rpc, Duration.ofSeconds(10));
    client.sendTransaction(TransactionCodec.encode(Transaction.sign(CHAIN_ID, key, 0,
        new Payload.ValidatorVote(candidate, Payload.VoteAction.ADD))));
    long deadline = System.nanoTime() + PENDING_TIMEOUT.toNanos();
    while (client.call("cairn_getValidatorVotes").path("votes").isEmpty()) {
      if (System.nanoTime() > deadline) {
        close();
        throw new AssertionError("the vote was not pending within " + PENDING_TIMEOUT);
      }
      Thread.sleep(50);
    }
  }

  static PendingVoteNetwork start(Path dir) throws Exception {
    return new PendingVoteNetwork(dir);
  }

  URI rpc() {
    return rpc;
  }

  PublicKey candidate() {
    return candidate;
  }

  PublicKey voter() {
    return voter;
  }

  private static NodeConfig load(Path nodeDir, String... settings) throws Exception {
    ConfigLoader loader = ConfigLoader.defaults().withFile(nodeDir.resolve(NetworkGenerator.CONFIG_FILE));
    for (int i = 0; i < settings.length; i += 2) {
      loader = loader.with(settings[i], settings[i + 1]);
    }
    return loader.build(nodeDir);
  }

  private static int freePortRange(int count) throws IOException {
    for (int attempt = 0; attempt < 100; attempt++) {
      int first = ThreadLocalRandom.current().nextInt(20_000, 60_000);
      boolean free = true;
      for (int p = first; p < first + count && free; p++) {
        try (ServerSocket socket = new ServerSocket(p)) {
          socket.setReuseAddress(true);
        } catch (IOException e) {
          free = false;
        }
      }
      if (free) {
        return first;
      }
    }
    throw new IOException("no free port range of " + count);
  }

  @Override
  public void close() {
    for (int i = running.size() - 1; i >= 0; i--) {
      running.get(i).close();
    }
    running.clear();
  }
}
