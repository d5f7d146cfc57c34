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
  void anAbsurdCountIsRefused() {
    assertThatThrownBy(() -> FreePorts.range(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FreePorts.range(5_000)).isInstanceOf(IllegalArgumentException.class);
  }
}
