package dev.cairn.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class FreePortsTest {
  @Test
  void aRangeIsBelowTheEphemeralPortsAndBindable() throws Exception {
    int first = FreePorts.range(4);
    assertThat(first).isGreaterThanOrEqualTo(FreePorts.FIRST);
    assertThat(first + 4).isLessThanOrEqualTo(FreePorts.LAST_EXCLUSIVE);
    for (int port = first; port < first + 4; port++) {
      try (ServerSocket socket = new ServerSocket(port)) {
        assertThat(socket.getLocalPort()).isEqualTo(port);
      }
    }
  }

  @Test
  void networkRunsNeverOverlapOneAnother() throws Exception {
    for (int i = 0; i < 200; i++) {
      FreePorts.NetworkPorts ports = FreePorts.network(6, 1000);
      int metrics = ports.rpc() + 1000;
      assertThat(ports.p2p() + 6 <= ports.rpc() || ports.rpc() + 6 <= ports.p2p()).as("p2p and RPC: %s", ports).isTrue();
      assertThat(ports.p2p() + 6 <= metrics || metrics + 6 <= ports.p2p()).as("p2p and metrics: %s", ports).isTrue();
    }
  }

  @Test
  void anAbsurdCountIsRefused() {
    assertThatThrownBy(() -> FreePorts.range(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FreePorts.range(5_000)).isInstanceOf(IllegalArgumentException.class);
  }
}
