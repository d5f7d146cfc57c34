package dev.cairn.node.consensus;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsensusCountersLogTest {
  @Test
  void theLineIsKeyValueInTheGivenOrder() {
    Map<String, Long> counters = new LinkedHashMap<>();
    counters.put("dropped_votes", 0L);
    counters.put("gossip_duplicate", 12L);
    counters.put("evidence", 1L);
    try (ConsensusCountersLog log = new ConsensusCountersLog(() -> counters)) {
      assertThat(log.line()).isEqualTo("event=consensus_counters dropped_votes=0 gossip_duplicate=12 evidence=1");
      counters.put("gossip_duplicate", 13L);
      assertThat(log.line()).as("read afresh each time").endsWith("gossip_duplicate=13 evidence=1");
    }
  }
}
