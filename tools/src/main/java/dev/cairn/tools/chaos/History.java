package dev.cairn.tools.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Every client operation of a campaign run and every fault, in the order they happened, as the clients saw
 * them: what the checker judges. Appends come from many client threads; reads happen after the run.
 */
public final class History {
  /** One recorded event; {@code atMillis} counts from the start of the load. */
  public sealed interface Op {
    long atMillis();

    /** The op as one {@code key=value} line, for the excerpt a violation prints. */
    String line();
  }

  /** A client sent a signed transaction to a node. */
  public record Submitted(String txId, String sender, long nonce, String kind, String node, long atMillis) implements Op {
    @Override
    public String line() {
      return "t=" + atMillis + "ms op=submit tx=" + txId + " sender=" + sender + " nonce=" + nonce + " kind=" + kind
          + " node=" + node;
    }
  }

  /** The node's answer to a submission: accepted into its mempool, or rejected with a JSON-RPC error code. */
  public record Answered(String txId, String node, boolean accepted, int code, String message, long atMillis) implements Op {
    @Override
    public String line() {
      return "t=" + atMillis + "ms op=answer tx=" + txId + " node=" + node + " accepted=" + accepted
          + (accepted ? "" : " code=" + code + " message=\"" + message + "\"");
    }
  }

  /** A node reported the transaction final (its receipt), in block {@code height} with hash {@code blockHash}. */
  public record Final(String txId, String node, int incarnation, long height, String blockHash, String status,
      long atMillis) implements Op {
    @Override
    public String line() {
      return "t=" + atMillis + "ms op=final tx=" + txId + " node=" + node + "#" + incarnation + " height=" + height
          + " block=" + blockHash + " status=" + status;
    }
  }

  /**
   * A read of an account on a node: balance and nonce as of that node's head, which lay in
   * [{@code headBefore}, {@code headAfter}] while the read ran. {@code incarnation} counts the node's wipes.
   */
  public record Read(String address, String node, int incarnation, long balance, long nonce, long headBefore,
      long headAfter, long startedAtMillis, long atMillis) implements Op {
    @Override
    public String line() {
      return "t=" + atMillis + "ms op=read address=" + address + " node=" + node + "#" + incarnation + " balance="
          + balance + " nonce=" + nonce + " head=" + headBefore + ".." + headAfter + " started=" + startedAtMillis + "ms";
    }
  }

  /** A fault began ({@code phase=start}) or healed ({@code phase=heal}) on a node. */
  public record Fault(String kind, String node, String phase, long atMillis) implements Op {
    @Override
    public String line() {
      return "t=" + atMillis + "ms op=fault kind=" + kind + " node=" + node + " phase=" + phase;
    }
  }

  private final List<Op> ops = new ArrayList<>();
  private final long startNanos;

  public History(long startNanos) {
    this.startNanos = startNanos;
  }

  /** Milliseconds since the start of the load. */
  public long now() {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  public synchronized void add(Op op) {
    ops.add(op);
  }

  public synchronized List<Op> ops() {
    return List.copyOf(ops);
  }

  public synchronized long count(Class<? extends Op> kind) {
    return ops.stream().filter(kind::isInstance).count();
  }

  /**
   * Milliseconds from each transaction's first submission to its first report as final, sorted: the
   * finality latency clients saw, re-sends after a fault included.
   */
  public synchronized long[] finalityMillis() {
    java.util.Map<String, Long> first = new java.util.HashMap<>();
    java.util.Set<String> done = new java.util.HashSet<>();
    List<Long> out = new java.util.ArrayList<>();
    for (Op op : ops) {
      if (op instanceof Submitted s) {
        first.putIfAbsent(s.txId(), s.atMillis());
      } else if (op instanceof Final f && done.add(f.txId()) && first.containsKey(f.txId())) {
        out.add(f.atMillis() - first.get(f.txId()));
      }
    }
    return out.stream().mapToLong(Long::longValue).sorted().toArray();
  }

  /**
   * From the first fault's start to the last fault's heal, in ms since the load began; null with no faults. Only
   * kinds that heal count (a round of validator votes is recorded as a start with no heal).
   */
  public synchronized long[] faultWindowMillis() {
    java.util.Set<String> healing = new java.util.HashSet<>();
    long to = Long.MIN_VALUE;
    for (Op op : ops) {
      if (op instanceof Fault f && f.phase().equals("heal")) {
        healing.add(f.kind());
        to = Math.max(to, f.atMillis());
      }
    }
    long from = Long.MAX_VALUE;
    for (Op op : ops) {
      if (op instanceof Fault f && f.phase().equals("start") && healing.contains(f.kind())) {
        from = Math.min(from, f.atMillis());
      }
    }
    return from < to ? new long[] {from, to} : null;
  }

  /** Transactions first reported final at or after {@code fromMillis} and before {@code toMillis}. */
  public synchronized long finalsBetween(long fromMillis, long toMillis) {
    java.util.Set<String> done = new java.util.HashSet<>();
    long count = 0;
    for (Op op : ops) {
      if (op instanceof Final f && done.add(f.txId()) && f.atMillis() >= fromMillis && f.atMillis() < toMillis) {
        count++;
      }
    }
    return count;
  }

  /** Transactions reported final, counted by kind and receipt status ({@code validator_vote/ok=8}). */
  public synchronized java.util.SortedMap<String, Long> finalsByKind() {
    java.util.Map<String, String> kinds = new java.util.HashMap<>();
    java.util.Set<String> done = new java.util.HashSet<>();
    java.util.SortedMap<String, Long> out = new java.util.TreeMap<>();
    for (Op op : ops) {
      if (op instanceof Submitted s) {
        kinds.putIfAbsent(s.txId(), s.kind());
      } else if (op instanceof Final f && done.add(f.txId())) {
        out.merge(kinds.getOrDefault(f.txId(), "?") + "/" + f.status(), 1L, Long::sum);
      }
    }
    return out;
  }

  /** At most {@code max} ops matching {@code filter}, the last ones. */
  public synchronized List<String> excerpt(Predicate<Op> filter, int max) {
    List<String> lines = ops.stream().filter(filter).map(Op::line).toList();
    return lines.subList(Math.max(0, lines.size() - max), lines.size());
  }

  /** The whole history, one op per line. */
  public synchronized void write(Path file) {
    try {
      Files.write(file, ops.stream().map(Op::line).toList(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write history " + file, e);
    }
  }
}
