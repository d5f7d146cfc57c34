package dev.cairn.p2p.gossip;

import java.util.PriorityQueue;
import java.util.concurrent.Executor;

/**
 * A deterministic single-threaded scheduler on simulated time: tasks run in (time, insertion) order, so a
 * seed reproduces a whole run. Also the routers' event loop: {@link #execute} queues at the current time.
 */
final class SimScheduler implements Executor {
  private record Task(long atMillis, long order, Runnable run) {}

  private final PriorityQueue<Task> queue = new PriorityQueue<>(
      (a, b) -> a.atMillis != b.atMillis ? Long.compare(a.atMillis, b.atMillis) : Long.compare(a.order, b.order));
  private long nowMillis;
  private long order;

  long nowMillis() {
    return nowMillis;
  }

  @Override
  public void execute(Runnable task) {
    schedule(0, task);
  }

  void schedule(long delayMillis, Runnable task) {
    queue.add(new Task(nowMillis + delayMillis, order++, task));
  }

  void every(long periodMillis, long firstDelayMillis, Runnable task) {
    schedule(firstDelayMillis, new Runnable() {
      @Override
      public void run() {
        task.run();
        schedule(periodMillis, this);
      }
    });
  }

  /** Runs every task due up to {@code nowMillis + durationMillis}; bounded so a bug cannot spin forever. */
  void runFor(long durationMillis) {
    long until = nowMillis + durationMillis;
    int ran = 0;
    while (!queue.isEmpty() && queue.peek().atMillis <= until) {
      Task t = queue.poll();
      nowMillis = t.atMillis;
      t.run.run();
      if (++ran > 50_000_000) {
        throw new IllegalStateException("simulation does not settle");
      }
    }
    nowMillis = until;
  }
}
