package dev.cairn.tools.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.rpc.client.BlockTxIds;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each invariant on a small hand-made history: the clean one passes, each broken one is named. */
class HistoryCheckerTest {
  private static final BlockTxIds B1 = new BlockTxIds(1, "0xb1", List.of("0xt1"));
  private static final BlockTxIds B2 = new BlockTxIds(2, "0xb2", List.of("0xt2", "0xt3"));

  private static History history() {
    History h = new History(System.nanoTime());
    h.add(new History.Submitted("0xt1", "alice", 0, "transfer", "node-0", 10));
    h.add(new History.Answered("0xt1", "node-0", true, 0, "", 11));
    h.add(new History.Final("0xt1", "node-0", 0, 1, "0xb1", "success", 500));
    h.add(new History.Submitted("0xt2", "alice", 1, "transfer", "node-1", 600));
    h.add(new History.Submitted("0xt3", "bob", 0, "record_put", "node-1", 610));
    h.add(new History.Final("0xt2", "node-1", 0, 2, "0xb2", "success", 1100));
    h.add(new History.Read("alice", "node-1", 0, 90, 2, 2, 2, 1200, 1210));
    return h;
  }

  private static HistoryChecker.Observed observed(Map<String, List<BlockTxIds>> chains) {
    Map<String, Map<String, Long>> balances = new LinkedHashMap<>();
    chains.keySet().forEach(n -> balances.put(n, Map.of("alice", 90L, "bob", 110L)));
    Map<String, Double> recovery = new LinkedHashMap<>();
    Map<String, String> stores = new LinkedHashMap<>();
    chains.keySet().forEach(n -> {
      recovery.put(n, 2.0);
      stores.put(n, null);
    });
    return new HistoryChecker.Observed(chains, balances, 200, recovery, 30, stores);
  }

  private static Map<String, List<BlockTxIds>> chains(List<BlockTxIds> node1) {
    Map<String, List<BlockTxIds>> chains = new LinkedHashMap<>();
    chains.put("node-0", List.of(B1, B2));
    chains.put("node-1", node1);
    return chains;
  }

  private static List<String> invariants(List<HistoryChecker.Violation> violations) {
    return violations.stream().map(HistoryChecker.Violation::invariant).distinct().toList();
  }

  @Test
  void aConsistentRunIsClean() {
    assertThat(HistoryChecker.check(history(), observed(chains(List.of(B1, B2))))).isEmpty();
  }

  @Test
  void differentBlocksAtOneHeightBreakAgreementAndLoseAFinalTx() {
    BlockTxIds fork = new BlockTxIds(2, "0xbb", List.of("0xt3", "0xt2"));
    assertThat(invariants(HistoryChecker.check(history(), observed(chains(List.of(B1, fork))))))
        .containsExactly("agreement", "final-kept");
  }

  @Test
  void aMissingFinalTxIsFoundEvenOnAShorterChain() {
    List<HistoryChecker.Violation> v = HistoryChecker.check(history(), observed(chains(List.of(B1))));
    assertThat(invariants(v)).containsExactly("final-kept");
    assertThat(v.getFirst().detail()).contains("node-1 has no block at height 2");
    assertThat(v.getFirst().excerpt()).anyMatch(l -> l.contains("op=final tx=0xt2"));
  }

  @Test
  void unknownDuplicateAndGappedTransactionsAreNamed() {
    BlockTxIds stranger = new BlockTxIds(2, "0xb2", List.of("0xt2", "0xt3", "0xzz"));
    assertThat(invariants(HistoryChecker.check(history(), observed(chains(List.of(B1, stranger))))))
        .contains("known-txs");
    BlockTxIds twice = new BlockTxIds(2, "0xb2", List.of("0xt2", "0xt3", "0xt1"));
    assertThat(invariants(HistoryChecker.check(history(), observed(chains(List.of(B1, twice))))))
        .contains("known-txs");
    BlockTxIds gap = new BlockTxIds(1, "0xb1", List.of("0xt2"));
    List<HistoryChecker.Violation> v = HistoryChecker.check(history(), observed(chains(List.of(gap))));
    assertThat(invariants(v)).contains("gapless-nonces");
  }

  @Test
  void aNonceSignedTwiceWithDifferentContentIsNamedEvenIfOnlyOneReachedTheChain() {
    History h = history();
    h.add(new History.Submitted("0xt2", "alice", 1, "transfer", "node-0", 700)); // a re-send: the same bytes
    assertThat(HistoryChecker.check(h, observed(chains(List.of(B1, B2))))).isEmpty();
    h.add(new History.Submitted("0xt9", "alice", 1, "transfer", "node-0", 800)); // re-signed: other content
    List<HistoryChecker.Violation> v = HistoryChecker.check(h, observed(chains(List.of(B1, B2))));
    assertThat(invariants(v)).containsExactly("one-signature");
    assertThat(v.getFirst().detail()).contains("nonce 1").contains("0xt9").contains("0xt2");
    assertThat(v.getFirst().excerpt()).anyMatch(l -> l.contains("op=submit tx=0xt9"));
  }

  @Test
  void balancesThatDoNotAddUpBreakSupply() {
    HistoryChecker.Observed o = observed(chains(List.of(B1, B2)));
    o.balances().put("node-1", Map.of("alice", 90L, "bob", 111L));
    assertThat(invariants(HistoryChecker.check(history(), o))).containsExactly("supply");
  }

  @Test
  void aStaleReadAfterFinalOnTheSameNodeIsCaughtButNotAcrossAWipe() {
    History h = history();
    h.add(new History.Read("alice", "node-1", 0, 100, 1, 1, 1, 1300, 1310));
    assertThat(invariants(HistoryChecker.check(h, observed(chains(List.of(B1, B2)))))).containsExactly("read-after-final");
    History wiped = history();
    wiped.add(new History.Read("alice", "node-1", 1, 100, 0, 0, 0, 1300, 1310));
    assertThat(HistoryChecker.check(wiped, observed(chains(List.of(B1, B2))))).isEmpty();
  }

  @Test
  void slowOrNoRecoveryAndABadStoreAreViolations() {
    HistoryChecker.Observed o = observed(chains(List.of(B1, B2)));
    o.recoverySeconds().put("node-0", 31.0);
    o.recoverySeconds().put("node-1", Double.NaN);
    o.storeErrors().put("node-1", "exit 1: block 2 does not link");
    List<HistoryChecker.Violation> v = HistoryChecker.check(history(), o);
    assertThat(invariants(v)).containsExactly("recovery", "store");
    assertThat(v.stream().filter(x -> x.invariant().equals("recovery")).count()).isEqualTo(2);
  }
}
