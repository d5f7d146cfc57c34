package dev.cairn.p2p;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ProtocolTrafficTest {
  @Test
  void countsBytesPerProtocolAndDirection() {
    ProtocolTraffic traffic = new ProtocolTraffic();
    traffic.received("/meshsub/1.1.0", 100);
    traffic.received("/meshsub/1.1.0", 20);
    traffic.sent("/meshsub/1.1.0", 7);
    traffic.sent("/ipfs/ping/1.0.0", 32);
    assertThat(traffic.snapshot()).isEqualTo(Map.of(
        "/ipfs/ping/1.0.0", new ProtocolTraffic.Bytes(0, 32),
        "/meshsub/1.1.0", new ProtocolTraffic.Bytes(120, 7)));
  }

  @Test
  void protocolsPastTheBoundShareOneEntry() {
    ProtocolTraffic traffic = new ProtocolTraffic();
    for (int i = 0; i < ProtocolTraffic.PROTOCOLS_MAX + 10; i++) {
      traffic.received("/p/" + i, 1);
    }
    traffic.sent("/p/0", 5); // a protocol counted before the bound keeps its own entry
    Map<String, ProtocolTraffic.Bytes> snapshot = traffic.snapshot();
    assertThat(snapshot).hasSize(ProtocolTraffic.PROTOCOLS_MAX + 1);
    assertThat(snapshot.get(ProtocolTraffic.OTHER)).isEqualTo(new ProtocolTraffic.Bytes(10, 0));
    assertThat(snapshot.get("/p/0")).isEqualTo(new ProtocolTraffic.Bytes(1, 5));
  }
}
