package dev.cairn.tools.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class BenchReportTest {
  @Test
  void percentilesUseNearestRank() {
    long[] millis = new long[100];
    for (int i = 0; i < 100; i++) {
      millis[i] = (100 - i) * 1_000_000L; // 100 ms down to 1 ms, unsorted on purpose
    }
    LatencyStats stats = LatencyStats.ofNanos(millis);
    assertEquals(100, stats.count());
    assertEquals(50.0, stats.p50Millis());
    assertEquals(95.0, stats.p95Millis());
    assertEquals(99.0, stats.p99Millis());
    assertEquals(100.0, stats.maxMillis());
    assertEquals(50.5, stats.meanMillis());
    assertEquals(100 * 1_000_000L, millis[0], "the input is not reordered");
  }

  @Test
  void percentileOfFewSamplesIsAnObservedValue() {
    long[] sorted = {10, 20, 30};
    assertEquals(20, LatencyStats.percentile(sorted, 50));
    assertEquals(30, LatencyStats.percentile(sorted, 99));
    assertEquals(10, LatencyStats.percentile(sorted, 1));
    assertThrows(IllegalArgumentException.class, () -> LatencyStats.percentile(sorted, 0));
    assertEquals(LatencyStats.EMPTY, LatencyStats.ofNanos(new long[0]));
  }

  @Test
  void reportJsonCarriesEveryFigure() throws Exception {
    TreeMap<Integer, Long> codes = new TreeMap<>();
    codes.put(-32009, 7L);
    codes.put(-32004, 2L);
    BenchReport report = new BenchReport("single", 1, 10_000, 250, 8, 2000, 250, 5, 2, 60, 650_000, 649_991, 9,
        600_000, 10_000.04, 240, 0, new LatencyStats(600_000, 410.04, 620, 780.55, 1200, 430),
        codes, List.of(new BenchReport.ProcessFigures("node0", 42, 180.26, 900)), "1.00 2.00 3.00", "1.50 2.00 3.00");
    JsonNode json = new ObjectMapper().readTree(report.toJsonText());
    assertEquals("single", json.get("scenario").asText());
    assertEquals(10_000.0, json.get("committedPerSecond").asDouble());
    assertEquals(240, json.get("blocksInWindow").asLong());
    org.assertj.core.api.Assertions.assertThat(report.toTable()).contains("240 final in window, 2500 txs each on average");
    assertEquals(0, json.get("lost").asLong());
    assertEquals(780.6, json.at("/latencyMillis/p99").asDouble());
    assertEquals(7, json.at("/rejectedByCode/-32009").asLong());
    assertEquals(2, json.at("/rejectedByCode/-32004").asLong());
    assertEquals(180.3, json.at("/processes/0/cpuPercent").asDouble());
    assertEquals(900, json.at("/processes/0/peakRssMib").asLong());
    assertEquals("1.00 2.00 3.00", json.get("loadAverageBefore").asText());
    String table = report.toTable();
    assertTrue(table.contains("p99 780.6"), table);
    assertTrue(table.contains("lost 0"), table);
    assertEquals(2.0, json.get("rampSeconds").asDouble());
    assertTrue(table.contains("ramped up over its first 2.0 s"), table);
  }

  @Test
  void procStatusPeakRssIsVmHwm() {
    assertEquals(123_456, ProcessSample.peakRss(List.of("Name:\tjava", "VmPeak:\t999 kB", "VmHWM:\t  123456 kB", "VmRSS:\t1 kB")));
    assertEquals(0, ProcessSample.peakRss(List.of("Name:\tjava")));
  }

  @Test
  void cpuPercentIsTicksOverWallTime() {
    ProcessSample before = new ProcessSample(1, 1_000, 0, 0, 0);
    ProcessSample after = new ProcessSample(1, 1_300, 0, 0, 2_000_000_000L); // 3 s of CPU in 2 s of wall time
    assertEquals(150.0, after.cpuPercentSince(before), 1e-9);
  }

  @Test
  void txIdsMatchWithOrWithoutPrefix() {
    assertEquals("ab12", PresignedLoad.normalizeId("0xAB12"));
    assertEquals("ab12", PresignedLoad.normalizeId("ab12"));
  }

  @Test
  void committedPerSecondBucketsFinalTimesBySecondSinceTheStart() {
    long start = 5_000_000_000L;
    long[] finalAt = {0, start + 10, start + 999_999_999L, start + 1_000_000_000L, start + 3_500_000_000L};
    org.junit.jupiter.api.Assertions.assertArrayEquals(new long[] {2, 1, 0, 1}, LoadRun.perSecond(finalAt, start));
  }

  @Test
  void currentRssIsReadFromVmRss() {
    assertEquals(2_048, ProcessSample.statusKib(List.of("VmHWM:\t  9999 kB", "VmRSS:\t2048 kB"), "VmRSS:"));
  }
}
