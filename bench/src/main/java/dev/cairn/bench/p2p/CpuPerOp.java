package dev.cairn.bench.p2p;

import java.lang.management.ManagementFactory;

/**
 * Process CPU time per benchmark operation, printed at the end of each iteration. Both nodes run in the
 * benchmark's JVM, so this is the CPU the whole exchange costs; unlike wall time it barely moves when other
 * processes load the machine (it still includes JMH's own small overhead and GC).
 */
final class CpuPerOp {
  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private long cpuStartNanos;
  private long opsStart;

  void start(long ops) {
    cpuStartNanos = os.getProcessCpuTime();
    opsStart = ops;
  }

  void report(String unit, long ops, double unitsPerOp) {
    long n = ops - opsStart;
    if (n <= 0) return;
    double cpuMicrosPerOp = (os.getProcessCpuTime() - cpuStartNanos) / 1e3 / n;
    System.out.printf(" [cpu_us_per_%s=%.1f ops=%d loadavg=%.2f]", unit, cpuMicrosPerOp / unitsPerOp, n,
        os.getSystemLoadAverage());
  }
}
