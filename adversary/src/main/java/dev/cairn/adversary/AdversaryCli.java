package dev.cairn.adversary;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cairn-adversary <attack> [options]}: runs one named attack against a network the operator owns and
 * prints its report as one {@code key=value} line. See docs/security.md.
 */
@Command(name = "cairn-adversary", mixinStandardHelpOptions = true,
    description = "Runs a named attack against your own Cairn network (drills; see docs/security.md).",
    subcommands = {AdversaryCli.HandshakeFloodCommand.class, AdversaryCli.OversizedFramesCommand.class,
        AdversaryCli.NeverReadCommand.class, AdversaryCli.RpcHugeResponsesCommand.class, AdversaryCli.WsCrossOriginCommand.class,
        AdversaryCli.ReplayFloodCommand.class, AdversaryCli.ProposalEquivocationCommand.class,
        AdversaryCli.LockLargeBlockThenSilentCommand.class, AdversaryCli.TxFloodCommand.class,
        AdversaryCli.SnapshotCorruptChunksCommand.class, AdversaryCli.SnapshotForgedRootCommand.class,
        AdversaryCli.SnapshotStallCommand.class, AdversaryCli.SetChangeForgedCommand.class})
public final class AdversaryCli implements Runnable {
  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new AdversaryCli()).execute(args));
  }

  /** Options every attack shares. */
  static final class Common {
    @Option(names = "--duration-s", defaultValue = "60", description = "How long to attack, seconds (default ${DEFAULT-VALUE}).")
    long durationSeconds;
  }

  static int report(Attack attack, long durationSeconds) throws InterruptedException {
    System.out.println(attack.run(Duration.ofSeconds(durationSeconds)).line());
    return 0;
  }

  @Command(name = "handshake-flood", mixinStandardHelpOptions = true,
      description = "Opens connections to a p2p port, sends a partial multistream header and holds them (outsider).")
  static final class HandshakeFloodCommand implements Callable<Integer> {
    @CommandLine.Mixin Common common = new Common();
    @Option(names = "--target", required = true, description = "host:port of the node's p2p listener.")
    String target;
    @Option(names = "--source", description = "Local address to connect from (e.g. 127.0.0.2).")
    String source;
    @Option(names = "--rate", defaultValue = "2000", description = "New connections per second (default ${DEFAULT-VALUE}).")
    int rate;
    @Option(names = "--hold-ms", defaultValue = "15000", description = "How long each connection is held, ms (default ${DEFAULT-VALUE}).")
    long holdMillis;
    @Option(names = "--open-max", defaultValue = "10000", description = "Most connections held at once (default ${DEFAULT-VALUE}).")
    int openMax;

    @Override
    public Integer call() throws Exception {
      return report(new HandshakeFlood(hostPort(target), source == null ? null : InetAddress.getByName(source), rate,
          holdMillis, openMax), common.durationSeconds);
    }
  }

  /** The identity of an allow-listed peer: a node key file (64 hex digits, as `cairn keys` writes). */
  static final class PeerKey {
    @Option(names = "--key-file", required = true, description = "Node key file of an allow-listed peer (e.g. an observer's node.key).")
    java.nio.file.Path keyFile;

    dev.cairn.p2p.identity.HostKey hostKey() throws java.io.IOException {
      String hex = java.nio.file.Files.readString(keyFile).trim();
      return dev.cairn.p2p.identity.HostKey.fromSeed(java.util.HexFormat.of().parseHex(hex));
    }
  }

  @Command(name = "oversized-frames", mixinStandardHelpOptions = true,
      description = "Announces large application frames on many streams, then breaks the Yamux window (allow-listed peer).")
  static final class OversizedFramesCommand implements Callable<Integer> {
    @CommandLine.Mixin Common common = new Common();
    @CommandLine.Mixin PeerKey key = new PeerKey();
    @Option(names = "--target", required = true, description = "host:port of the node's p2p listener.")
    String target;
    @Option(names = "--protocol", defaultValue = "/meshsub/1.1.0", description = "Stream protocol (default ${DEFAULT-VALUE}).")
    String protocol;
    @Option(names = "--streams", defaultValue = "64", description = "Streams (default ${DEFAULT-VALUE}).")
    int streams;
    @Option(names = "--announced-bytes", defaultValue = "8388608", description = "Frame length announced per stream (default ${DEFAULT-VALUE}).")
    int announcedBytes;

    @Override
    public Integer call() throws Exception {
      return report(new OversizedFrames(hostPort(target), key.hostKey(), protocol, streams, announcedBytes), common.durationSeconds);
    }
  }

  @Command(name = "never-read", mixinStandardHelpOptions = true,
      description = "Sends pings as fast as possible and never reads the answers (allow-listed peer).")
  static final class NeverReadCommand implements Callable<Integer> {
    @CommandLine.Mixin Common common = new Common();
    @CommandLine.Mixin PeerKey key = new PeerKey();
    @Option(names = "--target", required = true, description = "host:port of the node's p2p listener.")
    String target;
    @Option(names = "--sent-bytes-max", defaultValue = "1073741824", description = "Stop after this many bytes of pings (default ${DEFAULT-VALUE}).")
    long sentBytesMax;

    @Override
    public Integer call() throws Exception {
      return report(new NeverRead(hostPort(target), key.hostKey(), sentBytesMax), common.durationSeconds);
    }
  }

  @Command(name = "rpc-huge-responses", mixinStandardHelpOptions = true,
      description = "Sends batches of full-block reads to the JSON-RPC endpoint (any client).")
  static final class RpcHugeResponsesCommand implements Callable<Integer> {
    @CommandLine.Mixin Common common = new Common();
    @Option(names = "--rpc", required = true, description = "JSON-RPC URL, e.g. http://127.0.0.1:8545/.")
    java.net.URI rpc;
    @Option(names = "--batch-length", defaultValue = "100", description = "Calls per batch (default ${DEFAULT-VALUE}).")
    int batchLength;

    @Override
    public Integer call() throws Exception {
      return report(new RpcHugeResponses(rpc, batchLength), common.durationSeconds);
    }
  }

  @Command(name = "ws-cross-origin", mixinStandardHelpOptions = true,
      description = "Opens a WebSocket with a web page's Origin header, as a page in the operator's browser would.")
  static final class WsCrossOriginCommand implements Callable<Integer> {
    @CommandLine.Mixin Common common = new Common();
    @Option(names = "--ws", required = true, description = "WebSocket URL, e.g. ws://127.0.0.1:8545/ws.")
    java.net.URI ws;
    @Option(names = "--origin", defaultValue = "https://attacker.example", description = "Origin header (default ${DEFAULT-VALUE}).")
    String origin;

    @Override
    public Integer call() throws Exception {
      return report(new WsCrossOrigin(ws, origin), common.durationSeconds);
    }
  }

  /** An attacker inside the network: the chain's genesis, an admitted key, the honest nodes to connect to. */
  static final class Inside {
    @Option(names = "--genesis", required = true, description = "The network's genesis.json.")
    java.nio.file.Path genesis;
    @Option(names = "--key-file", required = true, description = "Node key file the network admits (a validator's for the Byzantine attacks, an observer's otherwise).")
    java.nio.file.Path keyFile;
    @Option(names = "--peer", required = true, split = ",",
        description = "Honest nodes to connect to, /ip4/<host>/tcp/<port>/p2p/<peer id> (repeat or comma-separate; each gets its own connection).")
    java.util.List<String> peers;
    @Option(names = "--scratch-dir", defaultValue = "cairn-adversary-chain",
        description = "Scratch directory for the attacker's copy of the chain; kept between runs and resumed when it holds the same genesis, else emptied (default ${DEFAULT-VALUE}).")
    java.nio.file.Path scratchDir;

    NetworkAccess access() {
      return NetworkAccess.load(genesis, keyFile, peers, scratchDir);
    }
  }

  @Command(name = "replay-flood", mixinStandardHelpOptions = true,
      description = "Records real consensus messages and re-sends them in fresh envelopes at a high rate (allow-listed peer).")
  static final class ReplayFloodCommand implements Callable<Integer> {
    @CommandLine.Mixin Common common = new Common();
    @CommandLine.Mixin Inside inside = new Inside();
    @Option(names = "--rate", defaultValue = "2000", description = "Messages re-sent per second, to each peer (default ${DEFAULT-VALUE}).")
    int rate;
    @Option(names = "--captured-max", defaultValue = "512", description = "Distinct messages kept for replay (default ${DEFAULT-VALUE}).")
    int capturedMax;

    @Override
    public Integer call() throws Exception {
      return report(new ReplayFlood(inside.access(), rate, capturedMax), common.durationSeconds);
    }
  }

  @Command(name = "proposal-equivocation", mixinStandardHelpOptions = true,
      description = "As a validator: at each of its turns, a different valid block to each peer, many more to all, a prepare and a commit for each (Byzantine validator).")
  static final class ProposalEquivocationCommand implements Callable<Integer> {
    @CommandLine.Mixin Common common = new Common();
    @CommandLine.Mixin Inside inside = new Inside();
    @Option(names = "--blocks-per-round", defaultValue = "50", description = "Distinct blocks signed per turn (default ${DEFAULT-VALUE}).")
    int blocksPerRound;
    @Option(names = "--heights-max", defaultValue = "1000000", description = "Stop after attacking this many heights (default ${DEFAULT-VALUE}).")
    int heightsMax;

    @Override
    public Integer call() throws Exception {
      return report(new ProposalEquivocation(inside.access(), blocksPerRound, heightsMax), common.durationSeconds);
    }
  }

  @Command(name = "lock-large-block-then-silent", mixinStandardHelpOptions = true,
      description = "As a validator: gets a block of the largest size locked but not committed, then falls silent (Byzantine validator).")
  static final class LockLargeBlockThenSilentCommand implements Callable<Integer> {
    @CommandLine.Mixin Common common = new Common();
    @CommandLine.Mixin Inside inside = new Inside();
    @Option(names = "--member-key-file", required = true, description = "Key of a member account that signs the block's records.")
    java.nio.file.Path memberKeyFile;
    @Option(names = "--attempts-max", defaultValue = "5", description = "Turns to try before giving up (default ${DEFAULT-VALUE}).")
    int attemptsMax;

    @Override
    public Integer call() throws Exception {
      return report(new LockLargeBlockThenSilent(inside.access(), dev.cairn.ledger.crypto.KeyFiles.readNodeKey(memberKeyFile),
          attemptsMax), common.durationSeconds);
    }
  }

  @Command(name = "tx-flood", mixinStandardHelpOptions = true,
      description = "Member accounts flood useless valid-signature transactions (largest records, 1-unit transfers, nonce gaps) over JSON-RPC and gossip.")
  static final class TxFloodCommand implements Callable<Integer> {
    @CommandLine.Mixin Common common = new Common();
    @Option(names = "--rpc", required = true, split = ",", description = "JSON-RPC URLs to send to, round-robin.")
    java.util.List<java.net.URI> rpc;
    @Option(names = "--chain-id", required = true, description = "The chain id.")
    String chainId;
    @Option(names = "--sender-key-file", required = true, split = ",", description = "Member account keys: at least two per path (each --rpc URL, and gossip if given); every other one only leaves nonce gaps.")
    java.util.List<java.nio.file.Path> senderKeyFiles;
    @Option(names = "--rate", defaultValue = "2000", description = "Transactions per second (default ${DEFAULT-VALUE}).")
    int rate;
    @Option(names = "--gossip-genesis", description = "With --gossip-key-file and --gossip-peer: also gossip batches as this allow-listed peer.")
    java.nio.file.Path gossipGenesis;
    @Option(names = "--gossip-key-file", description = "Node key of an allow-listed peer (an observer's).")
    java.nio.file.Path gossipKeyFile;
    @Option(names = "--gossip-peer", split = ",", description = "Honest nodes to gossip to, /ip4/../tcp/../p2p/...")
    java.util.List<String> gossipPeers;

    @Override
    public Integer call() throws Exception {
      java.util.List<dev.cairn.ledger.crypto.KeyPair> senders = new java.util.ArrayList<>();
      for (java.nio.file.Path file : senderKeyFiles) {
        senders.add(dev.cairn.ledger.crypto.KeyFiles.readNodeKey(file));
      }
      java.util.Optional<NetworkAccess> gossip = gossipGenesis == null ? java.util.Optional.empty()
          : java.util.Optional.of(NetworkAccess.load(gossipGenesis, gossipKeyFile, gossipPeers,
              java.nio.file.Path.of("cairn-adversary-unused")));
      return report(new TxFlood(rpc, chainId, senders, rate, gossip), common.durationSeconds);
    }
  }

  /** A Byzantine snapshot peer: where joiners reach it; it follows the chain from the {@link Inside} peers. */
  static final class SnapshotPeer {
    @CommandLine.Mixin Inside inside = new Inside();
    @Option(names = "--listen", required = true,
        description = "host:port to listen on; give the printed /ip4/../p2p/.. address to the joining node as a bootnode.")
    String listen;

    int run(SnapshotLie lie, long durationSeconds) throws InterruptedException {
      ByzantineSnapshotPeer peer = new ByzantineSnapshotPeer(inside.access(), lie, hostPort(listen));
      System.out.println("attack=" + peer.name() + " listening=" + peer.address());
      return report(peer, durationSeconds);
    }
  }

  @Command(name = "snapshot-corrupt-chunks", mixinStandardHelpOptions = true,
      description = "Serves snapshots to joining nodes with one leaf (or sibling) of every chunk changed (allow-listed peer).")
  static final class SnapshotCorruptChunksCommand implements Callable<Integer> {
    @CommandLine.Mixin Common common = new Common();
    @CommandLine.Mixin SnapshotPeer peer = new SnapshotPeer();

    @Override
    public Integer call() throws Exception {
      return peer.run(new SnapshotLie.CorruptChunks(), common.durationSeconds);
    }
  }

  @Command(name = "snapshot-forged-root", mixinStandardHelpOptions = true,
      description = "Serves the chunks of a forged state (its own account credited), each proving itself against the forged root (allow-listed peer).")
  static final class SnapshotForgedRootCommand implements Callable<Integer> {
    @CommandLine.Mixin Common common = new Common();
    @CommandLine.Mixin SnapshotPeer peer = new SnapshotPeer();

    @Override
    public Integer call() throws Exception {
      return peer.run(new SnapshotLie.ForgedRoot(), common.durationSeconds);
    }
  }

  @Command(name = "snapshot-stall", mixinStandardHelpOptions = true,
      description = "Answers the first snapshot chunk requests honestly, then none (a peer that stops mid-transfer; allow-listed peer).")
  static final class SnapshotStallCommand implements Callable<Integer> {
    @CommandLine.Mixin Common common = new Common();
    @CommandLine.Mixin SnapshotPeer peer = new SnapshotPeer();
    @Option(names = "--answered-chunks", defaultValue = "2", description = "Chunk requests answered before the stall (default ${DEFAULT-VALUE}).")
    int answeredChunks;

    @Override
    public Integer call() throws Exception {
      return peer.run(new SnapshotLie.Stall(answeredChunks), common.durationSeconds);
    }
  }

  @Command(name = "set-change-forged", mixinStandardHelpOptions = true,
      description = "Serves a snapshot header of a made-up validator set and forged set-change evidence leading to it (allow-listed peer).")
  static final class SetChangeForgedCommand implements Callable<Integer> {
    @CommandLine.Mixin Common common = new Common();
    @CommandLine.Mixin SnapshotPeer peer = new SnapshotPeer();
    @Option(names = "--forge", defaultValue = "CERTIFICATE",
        description = "CERTIFICATE: the made-up set seals the real block; SET: the real certificate and proof for a set the state does not hold (default ${DEFAULT-VALUE}).")
    SnapshotLie.Forgery forgery;

    @Override
    public Integer call() throws Exception {
      return peer.run(new SnapshotLie.ForgedSetChange(forgery), common.durationSeconds);
    }
  }

  static InetSocketAddress hostPort(String text) {
    int colon = text.lastIndexOf(':');
    if (colon < 0) throw new CommandLine.ParameterException(new CommandLine(new AdversaryCli()), "expected host:port, got " + text);
    return new InetSocketAddress(text.substring(0, colon), Integer.parseInt(text.substring(colon + 1)));
  }
}
