package dev.cairn.adversary;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.genesis.ConsensusParameters;
import dev.cairn.genesis.GenesisAccount;
import dev.cairn.ledger.crypto.Address;
import dev.cairn.ledger.crypto.KeyFiles;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.model.Role;
import dev.cairn.node.cli.CairnCli;
import dev.cairn.p2p.identity.Multiaddr;
import dev.cairn.rpc.client.RpcClient;
import dev.cairn.testsupport.Await;
import dev.cairn.testsupport.CliRun;
import dev.cairn.tools.testnet.TestnetProcesses;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * State sync against Byzantine peers over real libp2p: four validator processes serve snapshots every
 * {@link #INTERVAL} heights, five {@link ByzantineSnapshotPeer}s (in this JVM, each with an observer key genesis
 * admits, following the chain from the validators) listen as peers, and a fresh observer process started with
 * {@code sync.mode = "state"} and genesis as its only trust anchor names some of them as bootnodes.
 *
 * <ol>
 *   <li>Only the two {@code set-change-forged} peers as bootnodes: each serves a snapshot header of a made-up
 *       validator set and forged evidence of the change to it (its seals, or a set the state does not hold). The
 *       joiner refuses each with its reason, installs nothing and exits.</li>
 *   <li>The same data dir, restarted with {@code snapshot-corrupt-chunks}, {@code snapshot-forged-root} and
 *       {@code snapshot-stall} among the four validators: the corrupt and forged peers are punished at their
 *       first chunk and disconnected, the stalled one is scored down to the drop threshold by its unanswered
 *       requests, their chunks come from the validators, and the joiner ends on the validators' chain: same
 *       block hashes and state roots from its base on, and {@code cairn verify-chain} passes on its store.</li>
 * </ol>
 * Logs: {@code adversary/target/snapshot-attacks-it/node-<i>/node.log}; the attackers' reports go to standard output.
 */
class SnapshotAttacksIT {
  private static final int VALIDATORS = 4;
  private static final List<Integer> HONEST = List.of(0, 1, 2, 3);
  private static final int JOINER = 4;
  /** Observer keys genesis admits, one per Byzantine peer; those nodes never run, their p2p ports are the peers'. */
  private static final int CORRUPT = 5;
  private static final int FORGED_ROOT = 6;
  private static final int STALL = 7;
  private static final int SET_CERTIFICATE = 8;
  private static final int SET_UNHELD = 9;
  private static final int OBSERVERS = 6;
  private static final long INTERVAL = 10;
  private static final int ACCOUNTS = 400;
  /** 128 chunks: enough that the stalled peer is asked more often than its answered chunks earn back. */
  private static final int CHUNK_PREFIX_BITS = 7;
  private static final long CHUNK_REQUEST_TIMEOUT_MILLIS = 2_000;
  private static final Duration STEP_TIMEOUT = Duration.ofSeconds(90);
  private static final Pattern INSTALLED = Pattern.compile("event=snapshot_installed height=(\\d+)");

  @Test
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  void aJoinerEndsOnTheHonestStateWhateverItsByzantinePeersServe() throws Exception {
    long started = System.nanoTime();
    Path dir = Path.of("target", "snapshot-attacks-it").toAbsolutePath();
    List<GenesisAccount> accounts = new ArrayList<>();
    for (int i = 0; i < ACCOUNTS; i++) {
      accounts.add(new GenesisAccount(Address.of(KeyPair.generate().publicKey()), 1_000_000, Set.of(Role.MEMBER)));
    }
    ExecutorService attacks = Executors.newCachedThreadPool();
    try (LocalNetwork net = LocalNetwork.generate(dir, VALIDATORS, OBSERVERS, accounts,
        ConsensusParameters.DEFAULTS.roundTimeoutMillis(), "256m")) {
      for (int i : HONEST) {
        append(dir, i, "\n[sync]\nsnapshot-interval = " + INTERVAL + "\n");
        net.processes.start(i);
      }
      append(dir, JOINER, "\n[sync]\nmode = \"state\"\nsnapshot-interval = " + INTERVAL + "\nchunk-prefix-bits = "
          + CHUNK_PREFIX_BITS + "\nchunk-requests-in-flight-max = 6\nchunk-request-timeout-millis = "
          + CHUNK_REQUEST_TIMEOUT_MILLIS + "\npeer-wait-millis = 30000\nno-peer-grace-millis = 10000\n");
      LocalNetwork.await("the validators pass the first snapshot height", STEP_TIMEOUT,
          () -> net.allAtLeast(HONEST, INTERVAL + 2));

      List<Multiaddr> validators = HONEST.stream().map(net::p2pAddress).toList();
      Map<Integer, ByzantineSnapshotPeer> peers = new LinkedHashMap<>();
      peers.put(CORRUPT, peer(net, CORRUPT, validators, new SnapshotLie.CorruptChunks()));
      peers.put(FORGED_ROOT, peer(net, FORGED_ROOT, validators, new SnapshotLie.ForgedRoot()));
      peers.put(STALL, peer(net, STALL, validators, new SnapshotLie.Stall(2)));
      peers.put(SET_CERTIFICATE, peer(net, SET_CERTIFICATE, validators,
          new SnapshotLie.ForgedSetChange(SnapshotLie.Forgery.CERTIFICATE)));
      peers.put(SET_UNHELD, peer(net, SET_UNHELD, validators,
          new SnapshotLie.ForgedSetChange(SnapshotLie.Forgery.SET)));
      Map<Integer, Future<AttackReport>> reports = new LinkedHashMap<>();
      peers.forEach((node, peer) -> reports.put(node, attacks.submit(() -> peer.run(Duration.ofMinutes(5)))));
      for (ByzantineSnapshotPeer peer : peers.values()) {
        assertThat(peer.awaitServing(STEP_TIMEOUT)).as("%s follows the chain and listens", peer.name()).isTrue();
      }
      Path log = net.log(JOINER);

      // 1. Forged validator-set evidence only: refused with its reasons, nothing installed, the node exits.
      setBootnodes(dir, JOINER, List.of(peers.get(SET_CERTIFICATE).address(), peers.get(SET_UNHELD).address()));
      net.processes.start(JOINER);
      Await.until("the joiner gives up on forged set changes", STEP_TIMEOUT, () -> !net.processes.isAlive(JOINER));
      String refused = LocalNetwork.read(log);
      assertThat(refused)
          .containsPattern("event=state_sync_set_change_refused peer=" + short6(peers.get(SET_CERTIFICATE))
              + " in_force_from=\\d+ reason=\"set_change_certificate_invalid")
          .containsPattern("event=state_sync_set_change_refused peer=" + short6(peers.get(SET_UNHELD))
              + " in_force_from=\\d+ reason=\"set_change_proof_invalid")
          .contains("no peer served a trusted block")
          .doesNotContain("event=snapshot_installed");

      // 2. Corrupt, forged-root and stalling peers among the validators: the joiner ends on the validators' state.
      List<Multiaddr> bootnodes = new ArrayList<>(List.of(peers.get(CORRUPT).address(), peers.get(FORGED_ROOT).address(),
          peers.get(STALL).address()));
      bootnodes.addAll(validators);
      setBootnodes(dir, JOINER, bootnodes);
      net.processes.start(JOINER);
      long joinedAt = net.height(0);
      LocalNetwork.await("the joiner reaches the validators' height " + joinedAt, STEP_TIMEOUT,
          () -> net.height(JOINER) >= joinedAt);
      String synced = LocalNetwork.read(log).substring(refused.length());
      assertThat(synced).doesNotContain("event=state_sync_skipped");
      Matcher installed = INSTALLED.matcher(synced);
      assertThat(installed.find()).as("the joiner installed a snapshot").isTrue();
      long base = Long.parseLong(installed.group(1));
      assertThat(base % INTERVAL).isZero();
      for (int liar : List.of(CORRUPT, FORGED_ROOT)) {
        String id = peers.get(liar).peerId().toString();
        assertThat(synced).as("node-%d's lie", liar)
            .containsPattern("event=state_sync_chunk_rejected peer=" + id + " height=" + base + " chunk=\\d+ reason=")
            .containsPattern("event=state_sync_peer_dropped peer=" + id + " height=" + base + " score=-\\d+ threshold=-100")
            .containsPattern("event=state_sync_peer_disconnected peer=" + short6(peers.get(liar)) + " reason=\"bad_state_chunk");
      }
      String stalled = peers.get(STALL).peerId().toString();
      assertThat(synced)
          .containsPattern("event=state_sync_peer_scored peer=" + stalled + " height=" + base + " chunk=\\d+ delta=-25 ")
          .containsPattern("event=state_sync_peer_dropped peer=" + stalled + " height=" + base + " score=-\\d+ threshold=-100")
          .doesNotContainPattern("event=state_sync_chunk_rejected peer=" + stalled)
          .containsPattern("event=state_sync_downloaded height=" + base + " .* punished=2 ");
      // Exactly the liars are dropped and exactly the two whose chunks failed are disconnected: no validator.
      assertThat(ids(synced, "event=state_sync_peer_dropped peer=(\\S+)")).containsExactlyInAnyOrder(
          peers.get(CORRUPT).peerId().toString(), peers.get(FORGED_ROOT).peerId().toString(), stalled);
      assertThat(ids(synced, "event=state_sync_peer_disconnected peer=(\\S+)")).containsExactlyInAnyOrder(
          short6(peers.get(CORRUPT)), short6(peers.get(FORGED_ROOT)));

      long later = net.height(0) + 3;
      LocalNetwork.await("the joiner follows new blocks to " + later, STEP_TIMEOUT, () -> net.height(JOINER) >= later);
      RpcClient joiner = net.rpc.get(JOINER);
      RpcClient honest = net.rpc.get(0);
      // The base itself has no body (state sync fetches its header and certificate only): compare from base + 1.
      for (long h = base + 1; h <= later; h++) {
        JsonNode ours = joiner.getBlockByNumber(h, false).orElseThrow();
        JsonNode theirs = honest.getBlockByNumber(h, false).orElseThrow();
        assertThat(ours.get("hash").asText()).as("hash at %d", h).isEqualTo(theirs.get("hash").asText());
        assertThat(stateRoot(ours)).as("state root at %d", h).isEqualTo(stateRoot(theirs));
      }
      net.processes.kill(JOINER);
      CliRun verify = CliRun.of(CairnCli.commandLine(), "verify-chain", "--data-dir",
          dir.resolve("node-" + JOINER).resolve("data").toString());
      assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();

      attacks.shutdownNow(); // interrupts the peers: each stops and reports
      Map<Integer, AttackReport> done = new LinkedHashMap<>();
      for (var report : reports.entrySet()) {
        done.put(report.getKey(), report.getValue().get(30, TimeUnit.SECONDS));
        System.out.println(done.get(report.getKey()).line());
      }
      assertThat(done.get(CORRUPT).counter("chunks_corrupted")).isPositive();
      assertThat(done.get(FORGED_ROOT).counter("chunks_forged")).isPositive();
      assertThat(done.get(STALL).counter("chunks_honest")).isEqualTo(2);
      assertThat(done.get(STALL).counter("chunks_stalled")).isPositive();
      assertThat(done.get(SET_CERTIFICATE).counter("set_changes_forged")).isPositive();
      assertThat(done.get(SET_UNHELD).counter("set_changes_forged")).isPositive();
      System.out.printf("SnapshotAttacksIT base=%d followed_to=%d wall_s=%d%n", base, later,
          TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
    } finally {
      attacks.shutdownNow();
    }
  }

  private static ByzantineSnapshotPeer peer(LocalNetwork net, int node, List<Multiaddr> validators,
      SnapshotLie lie) {
    NetworkAccess access = new NetworkAccess(net.genesis(), KeyFiles.readNodeKey(net.nodeKey(node)), validators,
        net.dir.resolve("scratch-" + node));
    return new ByzantineSnapshotPeer(access, lie, new InetSocketAddress("127.0.0.1", net.p2pBasePort + node));
  }

  /** The distinct first groups of {@code regex} in {@code log}. */
  private static Set<String> ids(String log, String regex) {
    Set<String> found = new java.util.TreeSet<>();
    Matcher m = Pattern.compile(regex).matcher(log);
    while (m.find()) {
      found.add(m.group(1));
    }
    return found;
  }

  /** The last six characters of the peer's ID: how the node's logs name a peer in short. */
  private static String short6(ByzantineSnapshotPeer peer) {
    return peer.peerId().shortText();
  }

  private static String stateRoot(JsonNode block) {
    return block.path("header").path("stateRoot").asText(block.path("stateRoot").asText());
  }

  private static void append(Path dir, int node, String toml) throws IOException {
    Files.writeString(TestnetProcesses.configFile(dir, node), toml, StandardOpenOption.APPEND);
  }

  private static void setBootnodes(Path dir, int node, List<Multiaddr> bootnodes) throws IOException {
    Path config = TestnetProcesses.configFile(dir, node);
    StringBuilder list = new StringBuilder("bootnodes = [");
    for (Multiaddr bootnode : bootnodes) {
      list.append("\"").append(bootnode).append("\", ");
    }
    list.append("]");
    String text = Files.readString(config).replaceFirst("(?s)bootnodes = \\[.*?\\]", Matcher.quoteReplacement(list.toString()));
    Files.writeString(config, text);
  }
}
