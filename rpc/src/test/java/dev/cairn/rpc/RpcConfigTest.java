package dev.cairn.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RpcConfigTest {
  @Test
  void defaultsAreLocalOnlyWithCorsOff() {
    RpcConfig defaults = RpcConfig.defaults();
    assertThat(defaults.host()).isEqualTo("127.0.0.1");
    assertThat(defaults.corsAllowedOrigins()).isEmpty();
    assertThat(defaults.withPort(0).port()).isZero();
  }

  @Test
  void refusesNonsenseNamingTheField() {
    assertThatThrownBy(() -> new RpcConfig("h", 70_000, 1, 1, 8, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, List.of()))
        .hasMessageContaining("port");
    assertThatThrownBy(() -> new RpcConfig("h", 0, 0, 1, 8, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, List.of()))
        .hasMessageContaining("requestBodyBytesMax");
    assertThatThrownBy(() -> new RpcConfig("h", 0, 1, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, List.of()))
        .hasMessageContaining("jsonNestingDepthMax");
    assertThatThrownBy(() -> new RpcConfig("h", 0, 1, 10, 8, 1, 1, 5, 1, 1, 1, 1, 1, 1, 0, List.of()))
        .as("a burst below the batch limit would refuse every full batch")
        .hasMessageContaining("requestBurstMax");
  }
}
