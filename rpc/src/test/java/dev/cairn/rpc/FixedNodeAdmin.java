package dev.cairn.rpc;

import dev.cairn.ledger.crypto.Hashing;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.rpc.admin.NodeAdmin;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A node whose admin answers are fixed values of the real shapes (peer IDs of the libp2p form, real keys and
 * signatures), covering both sides of every nullable member. The real implementation is exercised on real
 * nodes by the node module's AdminApiTest; here the server's gate, dispatch and published schemas are under
 * test.
 */
final class FixedNodeAdmin implements NodeAdmin {
  static final String VALIDATOR_PEER = "12D3KooWKgynHD8v5Nu4RemRE7xNzFKWxHJD5N41pvXaSndEoVYK";
  static final String OBSERVER_PEER = "12D3KooWJtB81EhVAMv9TpnnJh54sexwiFuH52kbL7hMKoy6dDH9";
  static final KeyPair VALIDATOR = KeyPair.fromSeedText("fixed-admin-validator");
  static final KeyPair CANDIDATE = KeyPair.fromSeedText("fixed-admin-candidate");

  private final List<String> added = new ArrayList<>();

  @Override
  public List<Peer> peers() {
    return List.of(
        new Peer(VALIDATOR_PEER, "/ip4/10.0.0.2/tcp/30333", "validator", "outbound", Optional.of(3L),
            List.of("/meshsub/1.1.0"), "cairn/0.1.0"),
        new Peer(OBSERVER_PEER, "/ip4/10.0.0.9/tcp/41822", "observer", "inbound", Optional.empty(), List.of(), ""));
  }

  @Override
  public synchronized ObserverChange addObserver(String peerId) {
    if (!peerId.startsWith("12D3KooW")) {
      return new ObserverChange.Refused("expected a peer ID");
    }
    if (added.contains(peerId)) {
      return new ObserverChange.Unchanged("already allowed");
    }
    added.add(peerId);
    return new ObserverChange.Changed();
  }

  @Override
  public synchronized ObserverChange removeObserver(String peerId) {
    return added.remove(peerId) ? new ObserverChange.Changed() : new ObserverChange.Unchanged("not an added observer");
  }

  @Override
  public List<ValidatorVote> validatorVotes() {
    return List.of(new ValidatorVote(hex(CANDIDATE), "add", List.of(hex(VALIDATOR)), 1, 4, 3));
  }

  @Override
  public List<Evidence> evidence(int limit) {
    List<Evidence> all = List.of(new Evidence(hex(VALIDATOR), 5, 0, "prepare", 1_700_000_005_000L,
        signed("prepare-a", Optional.empty()), signed("prepare-b", Optional.of("0x02"))));
    return all.subList(Math.max(0, all.size() - limit), all.size());
  }

  @Override
  public Optional<String> setLogLevel(String logger, String level) {
    return logger.equals("ROOT") ? Optional.of("INFO") : Optional.empty();
  }

  @Override
  public synchronized Info info() {
    return new Info("12D3KooWQpALv5wFZfsjXjoJrotpCCsjYXNGzMyHnWGZ8gDofiy2", List.of("/ip4/127.0.0.1/tcp/30333"),
        "0.1.0", InMemoryNode.CHAIN_ID, 1, "validator", 2, added);
  }

  private static SignedPart signed(String seed, Optional<String> message) {
    byte[] digest = Hashing.sha256(seed.getBytes(StandardCharsets.UTF_8));
    return new SignedPart(hex(digest), hex(VALIDATOR.sign(digest).bytes().unsafeArray()), message);
  }

  private static String hex(KeyPair key) {
    return hex(key.publicKey().bytes().unsafeArray());
  }

  private static String hex(byte[] bytes) {
    return "0x" + HexFormat.of().formatHex(bytes);
  }
}
