package dev.cairn.tools.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.codec.TransactionCodec;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.model.Payload;
import dev.cairn.ledger.model.Role;
import dev.cairn.ledger.model.Transaction;
import dev.cairn.rpc.client.AccountInfo;
import dev.cairn.rpc.client.RpcClient;
import dev.cairn.rpc.client.RpcError;
import dev.cairn.rpc.client.RpcException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The campaign's honest clients. One virtual thread per sender account (transfers and records) paces its share
 * of the offered rate open-loop and keeps up to {@code in-flight-per-sender} transactions in flight
 * ({@link SenderWindow}: consecutive nonces, each signed once, re-sent byte for byte to a live node when its node
 * dies, refuses it or stays silent); one {@link ChainFollower} per node reports them final from the blocks. The
 * genesis admin (role grants and revokes) and each genesis validator (validator-set votes) have one transaction
 * in flight, signed with the next nonce only once the previous one is in the chain, and poll its receipt. One
 * reader. Every step goes to the history.
 *
 * <p>A transaction is never signed twice with one nonce, so nonces stay gapless and no transaction is counted
 * twice; the checker's {@code one-signature} invariant holds the clients to it.
 */
final class Workload {
  /** How often the load looks for a node gone down, to re-send what went there. */
  private static final long NODE_WATCH_MILLIS = 50;

  /** How long a client waits for one node to report its transaction final before asking elsewhere. */
  private static final long FINAL_WAIT_MILLIS = 15_000;

  /** Accounts whose member role the admin grants and revokes; they send nothing, so no sender is refused. */
  static final int ROLE_TARGETS = 4;

  /**
   * The keys of the load's signers.
   *
   * @param admin the genesis admin (grants and revokes roles)
   * @param validators the genesis validators (vote on the validator set)
   * @param candidate the public key voted in and out of the validator set (the first observer's), or null
   */
  record Signers(List<KeyPair> senders, KeyPair admin, List<KeyPair> validators, PublicKey candidate) {
    Signers {
      senders = List.copyOf(senders);
      validators = List.copyOf(validators);
    }
  }

  private final List<ChaosNode> nodes;
  private final List<KeyPair> senders;
  private final Signers signers;
  private final Manifest.Load load;
  private final History history;
  private final long seed;
  /** How often a client asks for its receipt: once per block period, at least every 100 ms. */
  private final long pollMillis;
  private final List<Thread> threads = new ArrayList<>();
  private final List<ChaosSender> transferSenders = new ArrayList<>();
  /** The senders' transactions in flight, by id: the followers report a transaction final by removing it. */
  private final Map<String, ChaosSender> inFlight = new ConcurrentHashMap<>();
  private final Semaphore readPermits = new Semaphore(0);
  private final Semaphore rolePermits = new Semaphore(0);
  private final List<Semaphore> votePermits = new ArrayList<>();
  /** Validator-set changes started: odd ones vote the candidate in, even ones out. */
  private final AtomicLong voteRound = new AtomicLong();
  private final AtomicLong finals = new AtomicLong();
  private final AtomicLong resends = new AtomicLong();
  private volatile boolean running = true;

  Workload(List<ChaosNode> nodes, Signers signers, Manifest.Load load, History history, long seed,
      long blockPeriodMillis) {
    this.pollMillis = Math.max(100, blockPeriodMillis);
    this.nodes = nodes;
    this.senders = signers.senders();
    this.signers = signers;
    this.load = load;
    this.history = history;
    this.seed = seed;
  }

  void start() {
    SplittableRandom root = new SplittableRandom(seed);
    double ratePerSender = (load.transfersPerSecond() + load.recordsPerSecond()) / senders.size();
    // A sender whose share is 0 gets a slot once a day: it is signed only if the run lasts that long.
    long intervalMillis = ratePerSender > 0 ? Math.max(1, Math.round(1000 / ratePerSender)) : 86_400_000L;
    for (int i = 0; i < senders.size(); i++) {
      int index = i;
      SplittableRandom random = root.split();
      SenderWindow window = new SenderWindow(load.inFlightPerSender(), intervalMillis, random.nextLong(intervalMillis),
          FINAL_WAIT_MILLIS, random.split());
      ChaosSender sender = new ChaosSender(senders.get(index), window, (nonce, r) -> transferOrRecord(index, nonce, r),
          random, nodes, history, inFlight, FINAL_WAIT_MILLIS);
      transferSenders.add(sender);
      threads.add(Thread.ofVirtual().name("chaos-client-" + i).start(sender::run));
    }
    for (ChaosNode node : nodes) {
      ChainFollower<ChaosSender> follower = new ChainFollower<>(node, inFlight, (sender, report) -> {
        finals.incrementAndGet();
        sender.finalized(report.txId());
      }, history);
      threads.add(Thread.ofVirtual().name("chaos-follower-" + node.name()).start(() -> follow(follower)));
    }
    threads.add(Thread.ofVirtual().name("chaos-node-watch").start(this::watchNodes));
    if (load.roleChangesPerSecond() > 0) {
      List<KeyPair> targets = roleTargets();
      ChaosSender.PayloadSource roles = (nonce, r) -> {
        KeyPair target = targets.get(r.nextInt(targets.size()));
        return r.nextBoolean() ? new Payload.RoleGrant(target.address(), Role.MEMBER)
            : new Payload.RoleRevoke(target.address(), Role.MEMBER);
      };
      SplittableRandom random = root.split();
      threads.add(Thread.ofVirtual().name("chaos-admin").start(() -> sendLoop(signers.admin(), rolePermits, roles, random)));
    }
    if (load.validatorChangeEverySeconds() > 0) {
      ChaosSender.PayloadSource votes = (nonce, r) -> new Payload.ValidatorVote(signers.candidate(),
          voteRound.get() % 2 == 1 ? Payload.VoteAction.ADD : Payload.VoteAction.REMOVE);
      for (KeyPair validator : signers.validators()) {
        Semaphore permits = new Semaphore(0);
        votePermits.add(permits);
        SplittableRandom random = root.split();
        threads.add(Thread.ofVirtual().name("chaos-voter").start(() -> sendLoop(validator, permits, votes, random)));
      }
    }
    SplittableRandom readRandom = root.split();
    threads.add(Thread.ofVirtual().name("chaos-reader").start(() -> readLoop(readRandom)));
    threads.add(Thread.ofVirtual().name("chaos-pacer").start(this::pace));
  }

  /** Stops issuing new operations and waits for the clients to finish the one in hand. */
  void stop() throws InterruptedException {
    running = false;
    transferSenders.forEach(ChaosSender::stop);
    readPermits.release(1);
    rolePermits.release(1);
    votePermits.forEach(p -> p.release(1));
    for (Thread t : threads) {
      t.join(FINAL_WAIT_MILLIS * 3);
      t.interrupt();
    }
  }

  long finals() {
    return finals.get();
  }

  long resends() {
    return resends.get() + transferSenders.stream().mapToLong(ChaosSender::resends).sum();
  }

  /** Slots the senders did not use because their windows were full (offered, turned away by back-pressure). */
  long heldBack() {
    return transferSenders.stream().mapToLong(ChaosSender::heldBack).sum();
  }

  /** Hands out read, role-change and vote permits at the manifest's rates, 10 times a second. */
  private void pace() {
    double readCredit = 0;
    double roleCredit = 0;
    long voteEveryMillis = (long) (load.validatorChangeEverySeconds() * 1000);
    long nextVoteMillis = voteEveryMillis;
    long startMillis = history.now();
    while (running) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        return;
      }
      readCredit += load.readsPerSecond() / 10;
      int reads = (int) readCredit;
      readCredit -= reads;
      // Unused permits do not pile up: a client stalled by a fault does not come back with a burst.
      if (readPermits.availablePermits() < 4) {
        readPermits.release(reads);
      }
      roleCredit += load.roleChangesPerSecond() / 10;
      int roles = (int) roleCredit;
      roleCredit -= roles;
      if (rolePermits.availablePermits() < 2) {
        rolePermits.release(roles);
      }
      if (voteEveryMillis > 0 && history.now() - startMillis >= nextVoteMillis) {
        nextVoteMillis += voteEveryMillis;
        long round = voteRound.incrementAndGet();
        history.add(new History.Fault(round % 2 == 1 ? "vote-add" : "vote-remove", "validator-set", "start", history.now()));
        // A voter still delivering the previous round's vote takes this round's when it is done.
        votePermits.forEach(p -> p.drainPermits());
        votePermits.forEach(p -> p.release(1));
      }
    }
  }

  /** A follower's passes, once a block period, until the load stops. */
  private void follow(ChainFollower<ChaosSender> follower) {
    while (running) {
      follower.poll();
      sleep(pollMillis);
    }
  }

  /**
   * Tells every sender at once when a node goes down (the fault driver marks it before it kills it), so what
   * they sent there goes to a live node now, not after the silent-loss wait.
   */
  private void watchNodes() {
    java.util.Set<String> down = new java.util.HashSet<>();
    while (running) {
      for (ChaosNode node : nodes) {
        if (!node.up() && down.add(node.name())) {
          transferSenders.forEach(s -> s.nodeDown(node.name()));
        } else if (node.up()) {
          down.remove(node.name());
        }
      }
      sleep(NODE_WATCH_MILLIS);
    }
  }

  private Payload transferOrRecord(int index, long nonce, SplittableRandom random) {
    double transferShare = load.transfersPerSecond() / Math.max(1e-9, load.transfersPerSecond() + load.recordsPerSecond());
    if (random.nextDouble() < transferShare) {
      return new Payload.Transfer(senders.get((index + 1 + random.nextInt(senders.size() - 1)) % senders.size()).address(),
          1 + random.nextInt(100));
    }
    if (load.recordBytes() > 0) {
      byte[] value = new byte[load.recordBytes()];
      random.nextBytes(value);
      return new Payload.RecordPut("k" + random.nextInt(16), Bytes.wrap(value));
    }
    return new Payload.RecordPut("k" + random.nextInt(16),
        Bytes.wrap(("v" + nonce + "-" + random.nextInt(1_000_000)).getBytes(StandardCharsets.UTF_8)));
  }

  static List<KeyPair> roleTargets() {
    return java.util.stream.IntStream.range(0, ROLE_TARGETS)
        .mapToObj(i -> KeyPair.fromSeedText("cairn-chaos-role-target-" + i)).toList();
  }

  /** One signer's loop: on each permit, the next payload, signed with the next nonce and delivered. */
  private void sendLoop(KeyPair sender, Semaphore permits, ChaosSender.PayloadSource payloads, SplittableRandom random) {
    String senderText = sender.address().toText();
    long nonce = 0;
    while (running) {
      try {
        permits.acquire();
      } catch (InterruptedException e) {
        return;
      }
      if (!running) {
        return;
      }
      Payload payload = payloads.next(nonce, random);
      Transaction tx = Transaction.sign(ChaosNetwork.CHAIN_ID, sender, nonce, payload);
      Bytes encoded = TransactionCodec.encode(tx);
      String id = "0x" + TransactionCodec.id(encoded).toHex();
      if (deliver(id, encoded, senderText, nonce, payload, random)) {
        nonce++;
      } else if (running) {
        // Unknown outcome and still not in the chain: the sender's nonce in the chain decides.
        OptionalNonce chainNonce = chainNonce(sender, random);
        if (chainNonce.known() && chainNonce.value() > nonce) {
          nonce = chainNonce.value();
        }
      }
    }
  }

  /** Sends (and re-sends) one transaction until a node reports it final; false if the run ends first. */
  private boolean deliver(String id, Bytes encoded, String sender, long nonce, Payload payload, SplittableRandom random) {
    boolean first = true;
    while (running) {
      ChaosNode node = pick(random);
      if (node == null) {
        sleep(200);
        continue;
      }
      int incarnation = node.incarnation();
      if (!first) {
        resends.incrementAndGet();
      }
      first = false;
      history.add(new History.Submitted(id, sender, nonce, payload.kind().name().toLowerCase(java.util.Locale.ROOT),
          node.name(), history.now()));
      try {
        node.call(rpc -> rpc.sendTransaction(encoded));
        history.add(new History.Answered(id, node.name(), true, 0, "", history.now()));
      } catch (RpcError e) {
        history.add(new History.Answered(id, node.name(), false, e.code(), e.getMessage(), history.now()));
        // Refused, e.g. already known or nonce already used: look for it as if accepted.
      } catch (RpcException e) {
        history.add(new History.Answered(id, node.name(), false, -1, "transport: " + e.getMessage(), history.now()));
        continue;
      }
      if (awaitFinal(node, incarnation, id)) {
        return true;
      }
    }
    return false;
  }

  private boolean awaitFinal(ChaosNode node, int incarnation, String id) {
    long deadline = history.now() + FINAL_WAIT_MILLIS;
    while (history.now() < deadline) {
      try {
        Optional<JsonNode> receipt = node.call(rpc -> rpc.getReceipt(id));
        if (receipt.isPresent()) {
          JsonNode r = receipt.get();
          history.add(new History.Final(id, node.name(), incarnation, r.path("blockHeight").asLong(),
              r.path("blockHash").asText(), r.path("status").asText(), history.now()));
          finals.incrementAndGet();
          return true;
        }
      } catch (RpcException e) {
        return false;
      }
      sleep(pollMillis);
    }
    return false;
  }

  private record OptionalNonce(boolean known, long value) {}

  private OptionalNonce chainNonce(KeyPair sender, SplittableRandom random) {
    ChaosNode node = pick(random);
    if (node == null) {
      return new OptionalNonce(false, 0);
    }
    try {
      return new OptionalNonce(true, node.call(rpc -> rpc.getAccount(sender.address())).nonce());
    } catch (RpcException e) {
      return new OptionalNonce(false, 0);
    }
  }

  private void readLoop(SplittableRandom random) {
    while (running) {
      try {
        readPermits.acquire();
      } catch (InterruptedException e) {
        return;
      }
      ChaosNode node = pick(random);
      if (node == null || !running) {
        continue;
      }
      KeyPair account = senders.get(random.nextInt(senders.size()));
      int incarnation = node.incarnation();
      long started = history.now();
      try {
        long before = node.call(RpcClient::blockNumber);
        AccountInfo info = node.call(rpc -> rpc.getAccount(account.address()));
        long after = node.call(RpcClient::blockNumber);
        if (node.incarnation() == incarnation) {
          history.add(new History.Read(account.address().toText(), node.name(), incarnation, info.balance(), info.nonce(),
              before, after, started, history.now()));
        }
      } catch (RpcException e) {
        // A node down or paused: no answer, nothing to record.
      }
    }
  }

  private ChaosNode pick(SplittableRandom random) {
    List<ChaosNode> up = nodes.stream().filter(ChaosNode::up).toList();
    return up.isEmpty() ? null : up.get(random.nextInt(up.size()));
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
