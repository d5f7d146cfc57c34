package dev.cairn.tools.chaos;

import dev.cairn.rpc.client.BlockTxIds;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Judges a campaign run from the clients' history and what every node holds once the run is over. Pure: it
 * reads its inputs only, so a test can feed it a hand-made history. The invariants (docs/reliability.md):
 *
 * <ul>
 *   <li>{@code agreement}: no two nodes hold different blocks at any height;
 *   <li>{@code final-kept}: every transaction a node reported final is, on every node, in the block of that
 *       height with that hash;
 *   <li>{@code known-txs}: every transaction in a chain is one a client submitted, and at most once;
 *   <li>{@code gapless-nonces}: each sender's transactions in the chain carry nonces 0, 1, 2, ... in order;
 *   <li>{@code one-signature}: a client never submitted two different transactions under one sender's nonce
 *       (every re-send is the same signed bytes), so what the chain holds at a nonce is what was sent first;
 *   <li>{@code supply}: the balances of the campaign's accounts add up to what genesis gave them, on every node;
 *   <li>{@code read-after-final}: a read on a node that began after that node reported one of the account's
 *       transactions final reflects it (not across a wipe of that node);
 *   <li>{@code recovery}: after the last fault healed, every node held a new final block within the bound;
 *   <li>{@code store}: every node's store passes {@code verify-chain}.
 * </ul>
 */
public final class HistoryChecker {
  /** One broken invariant, with the history lines that show it. */
  public record Violation(String invariant, String detail, List<String> excerpt) {
    public Violation {
      excerpt = List.copyOf(excerpt);
    }
  }

  /**
   * What the nodes hold after the run.
   *
   * @param chains blocks 1..head of each node, in height order
   * @param balances each node's balance of every campaign account at its head
   * @param recoverySeconds per node, seconds from the last heal until it held a newer final block (NaN: never)
   * @param storeErrors per node, null if {@code verify-chain} passed, else its complaint
   */
  public record Observed(Map<String, List<BlockTxIds>> chains, Map<String, Map<String, Long>> balances,
      long expectedSupply, Map<String, Double> recoverySeconds, double healBoundSeconds,
      Map<String, String> storeErrors) {}

  private static final int EXCERPT_LINES = 12;

  private HistoryChecker() {}

  public static List<Violation> check(History history, Observed observed) {
    List<History.Op> ops = history.ops();
    List<Violation> out = new ArrayList<>();
    Map<String, History.Submitted> submitted = new HashMap<>();
    for (History.Op op : ops) {
      if (op instanceof History.Submitted s) {
        submitted.putIfAbsent(s.txId(), s);
      }
    }
    agreement(observed, out);
    finalKept(ops, observed, history, out);
    knownAndGapless(submitted, observed, history, out);
    oneSignature(ops, history, out);
    supply(observed, out);
    readAfterFinal(ops, submitted, history, out);
    recovery(observed, out);
    observed.storeErrors().forEach((node, error) -> {
      if (error != null) {
        out.add(new Violation("store", node + ": verify-chain failed: " + error, List.of()));
      }
    });
    return out;
  }

  private static void agreement(Observed observed, List<Violation> out) {
    Map<Long, Map<String, String>> byHeight = new TreeMap<>();
    observed.chains().forEach((node, blocks) -> {
      for (BlockTxIds b : blocks) {
        byHeight.computeIfAbsent(b.height(), h -> new TreeMap<>()).put(node, b.hash());
      }
    });
    byHeight.forEach((height, hashes) -> {
      if (new HashSet<>(hashes.values()).size() > 1) {
        out.add(new Violation("agreement", "height " + height + ": nodes hold different blocks " + hashes, List.of()));
      }
    });
  }

  private static void finalKept(List<History.Op> ops, Observed observed, History history, List<Violation> out) {
    Map<String, Map<Long, BlockTxIds>> index = new HashMap<>();
    observed.chains().forEach((node, blocks) -> {
      Map<Long, BlockTxIds> byHeight = new HashMap<>();
      blocks.forEach(b -> byHeight.put(b.height(), b));
      index.put(node, byHeight);
    });
    Set<String> reported = new HashSet<>();
    for (History.Op op : ops) {
      if (!(op instanceof History.Final f) || !reported.add(f.txId() + "@" + f.height())) {
        continue;
      }
      for (Map.Entry<String, Map<Long, BlockTxIds>> node : index.entrySet()) {
        BlockTxIds block = node.getValue().get(f.height());
        String problem = block == null ? "has no block at height " + f.height()
            : !block.hash().equals(f.blockHash()) ? "holds block " + block.hash() + " at height " + f.height()
            : !block.txIds().contains(f.txId()) ? "block " + block.hash() + " lacks it"
            : null;
        if (problem != null) {
          out.add(new Violation("final-kept", "tx " + f.txId() + " reported final by " + f.node() + " in block "
              + f.blockHash() + " at height " + f.height() + ", but " + node.getKey() + " " + problem,
              history.excerpt(o -> mentions(o, f.txId()), EXCERPT_LINES)));
        }
      }
    }
  }

  private static void knownAndGapless(Map<String, History.Submitted> submitted, Observed observed, History history,
      List<Violation> out) {
    observed.chains().forEach((node, blocks) -> {
      Map<String, Long> nextNonce = new HashMap<>();
      Set<String> seen = new HashSet<>();
      for (BlockTxIds block : blocks) {
        for (String tx : block.txIds()) {
          History.Submitted s = submitted.get(tx);
          if (s == null) {
            out.add(new Violation("known-txs", node + ": tx " + tx + " at height " + block.height()
                + " was never submitted by a client", List.of()));
            continue;
          }
          if (!seen.add(tx)) {
            out.add(new Violation("known-txs", node + ": tx " + tx + " appears twice, again at height " + block.height(),
                history.excerpt(o -> mentions(o, tx), EXCERPT_LINES)));
            continue;
          }
          long expected = nextNonce.getOrDefault(s.sender(), 0L);
          if (s.nonce() != expected) {
            out.add(new Violation("gapless-nonces", node + ": sender " + s.sender() + " has nonce " + s.nonce()
                + " at height " + block.height() + " where " + expected + " comes next",
                history.excerpt(o -> o instanceof History.Submitted x && x.sender().equals(s.sender()), EXCERPT_LINES)));
          }
          nextNonce.put(s.sender(), s.nonce() + 1);
        }
      }
    });
  }

  private static void oneSignature(List<History.Op> ops, History history, List<Violation> out) {
    Map<String, String> idBySenderNonce = new HashMap<>();
    Set<String> reported = new HashSet<>();
    for (History.Op op : ops) {
      if (!(op instanceof History.Submitted s)) {
        continue;
      }
      String key = s.sender() + "/" + s.nonce();
      String first = idBySenderNonce.putIfAbsent(key, s.txId());
      if (first != null && !first.equals(s.txId()) && reported.add(key)) {
        out.add(new Violation("one-signature", "sender " + s.sender() + " nonce " + s.nonce() + ": tx " + s.txId()
            + " submitted after tx " + first + " (a nonce signed twice with different content)",
            history.excerpt(o -> mentions(o, first) || mentions(o, s.txId()), EXCERPT_LINES)));
      }
    }
  }

  private static void supply(Observed observed, List<Violation> out) {
    observed.balances().forEach((node, balances) -> {
      long sum = 0;
      for (long b : balances.values()) {
        sum = Math.addExact(sum, b);
      }
      if (sum != observed.expectedSupply()) {
        out.add(new Violation("supply", node + ": the campaign's " + balances.size() + " accounts hold " + sum
            + " in all, genesis gave them " + observed.expectedSupply(), List.of()));
      }
    });
  }

  private static void readAfterFinal(List<History.Op> ops, Map<String, History.Submitted> submitted, History history,
      List<Violation> out) {
    // Per (node, incarnation, sender): the highest nonce reported final so far, and when.
    Map<String, List<History.Final>> finals = new HashMap<>();
    for (History.Op op : ops) {
      if (op instanceof History.Final f && submitted.containsKey(f.txId())) {
        String sender = submitted.get(f.txId()).sender();
        finals.computeIfAbsent(f.node() + "#" + f.incarnation() + "/" + sender, k -> new ArrayList<>()).add(f);
      }
    }
    for (History.Op op : ops) {
      if (!(op instanceof History.Read r)) {
        continue;
      }
      List<History.Final> before = finals.getOrDefault(r.node() + "#" + r.incarnation() + "/" + r.address(), List.of());
      for (History.Final f : before) {
        long nonce = submitted.get(f.txId()).nonce();
        if (f.atMillis() < r.startedAtMillis() && r.nonce() <= nonce) {
          out.add(new Violation("read-after-final", r.node() + " reported tx " + f.txId() + " (nonce " + nonce
              + ") final at " + f.atMillis() + " ms, but a read of " + r.address() + " begun at " + r.startedAtMillis()
              + " ms saw nonce " + r.nonce(),
              history.excerpt(o -> o == r || o == f || mentions(o, f.txId()), EXCERPT_LINES)));
          break;
        }
      }
    }
  }

  private static void recovery(Observed observed, List<Violation> out) {
    observed.recoverySeconds().forEach((node, seconds) -> {
      if (Double.isNaN(seconds) || seconds > observed.healBoundSeconds()) {
        out.add(new Violation("recovery", node + ": " + (Double.isNaN(seconds) ? "no new final block"
            : String.format(java.util.Locale.ROOT, "a new final block only after %.1f s", seconds))
            + " after the last fault healed (bound " + observed.healBoundSeconds() + " s)", List.of()));
      }
    });
  }

  private static boolean mentions(History.Op op, String txId) {
    return switch (op) {
      case History.Submitted s -> s.txId().equals(txId);
      case History.Answered a -> a.txId().equals(txId);
      case History.Final f -> f.txId().equals(txId);
      case History.Read r -> false;
      case History.Fault f -> true;
    };
  }
}
