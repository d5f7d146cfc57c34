package dev.cairn.rpc.admin;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the {@code admin_} JSON-RPC namespace asks of the node: its peers, the observers it admits, pending
 * validator votes, equivocation evidence, log levels. The node implements it; the RPC module sees only these
 * plain values, never the network, the chain or the store.
 */
public interface NodeAdmin {
  /**
   * @param role {@code validator} (of the next height) or {@code observer} (any other peer allowed to connect)
   * @param direction {@code inbound} or {@code outbound} (of its first connection)
   * @param latencyMillis the last ping round trip, if one succeeded
   */
  record Peer(String id, String address, String role, String direction, Optional<Long> latencyMillis,
      List<String> protocols, String agent) {
    public Peer {
      protocols = List.copyOf(protocols);
      Objects.requireNonNull(latencyMillis, "latencyMillis");
    }
  }

  /** The answer to adding or removing an observer. */
  sealed interface ObserverChange {
    /** Done: persisted, and in force on the network (a removed peer is disconnected). */
    record Changed() implements ObserverChange {}

    /** Nothing to do: already allowed (add) or not an added observer (remove). */
    record Unchanged(String why) implements ObserverChange {}

    /** Refused, e.g. a malformed peer ID or a validator (validators are allowed by the chain, not by config). */
    record Refused(String why) implements ObserverChange {}
  }

  /**
   * One pending validator-set change and its tally.
   *
   * @param action {@code add} or {@code remove}
   * @param voters hex keys of the validators that voted for it
   * @param votesCounted the voters still in the set (only they count)
   * @param votesNeeded votes that make it pass: more than 2/3 of {@code validators}
   */
  record ValidatorVote(String candidate, String action, List<String> voters, int votesCounted, int validators,
      int votesNeeded) {
    public ValidatorVote {
      voters = List.copyOf(voters);
    }
  }

  /**
   * Two different signed consensus messages of one validator for the same height, round and kind.
   *
   * @param first the first message seen
   * @param second the conflicting one
   */
  record Evidence(String validator, long height, int round, String kind, long detectedAtMillis, SignedPart first,
      SignedPart second) {}

  /**
   * One signed message of a piece of evidence: the digest the validator signed and its signature (enough, with
   * the validator's key, to prove it signed), and the whole message in its canonical encoding unless too large.
   */
  record SignedPart(String digest, String signature, Optional<String> message) {
    public SignedPart {
      Objects.requireNonNull(message, "message");
    }
  }

  /** What this node is, for {@code admin_nodeInfo}. */
  record Info(String peerId, List<String> listenAddresses, String version, String chainId, long height,
      String role, int peers, List<String> addedObservers) {
    public Info {
      listenAddresses = List.copyOf(listenAddresses);
      addedObservers = List.copyOf(addedObservers);
    }
  }

  List<Peer> peers();

  ObserverChange addObserver(String peerId);

  ObserverChange removeObserver(String peerId);

  List<ValidatorVote> validatorVotes();

  /** The evidence kept, newest last; at most {@code limit} of the newest. */
  List<Evidence> evidence(int limit);

  /**
   * Sets the level of one logger ({@code dev.cairn.p2p}, or {@code ROOT}) until the node stops; the level
   * was checked by the caller. Answers the level it had before (empty: inherited).
   */
  Optional<String> setLogLevel(String logger, String level);

  Info info();
}
