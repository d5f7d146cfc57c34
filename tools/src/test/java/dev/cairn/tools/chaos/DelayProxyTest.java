package dev.cairn.tools.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The delay relay on real loopback sockets: bytes arrive intact, in order, and no earlier than the delay. */
class DelayProxyTest {
  /** Echoes everything back until the client closes. */
  private static ServerSocket echoServer() throws Exception {
    ServerSocket server = new ServerSocket(0, 8, java.net.InetAddress.getLoopbackAddress());
    Thread.ofVirtual().start(() -> {
      try (Socket s = server.accept(); InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
        in.transferTo(out);
      } catch (Exception e) {
        // the test closes the server
      }
    });
    return server;
  }

  @Test
  void aRoundTripTakesTwiceTheDelayAndEveryByteComesBackInOrder() throws Exception {
    try (ServerSocket echo = echoServer();
        DelayProxy proxy = new DelayProxy("127.0.0.1", new InetSocketAddress("127.0.0.1", echo.getLocalPort()), 200, 20, 1);
        Socket client = new Socket("127.0.0.1", proxy.port())) {
      byte[] payload = new byte[3 * DelayProxy.CHUNK_BYTES_MAX * DelayProxy.CHUNKS_QUEUED_MAX + 17];
      new SplittableRandom(5).nextBytes(payload);
      long start = System.nanoTime();
      Thread writer = Thread.ofVirtual().start(() -> {
        try {
          client.getOutputStream().write(payload);
          client.shutdownOutput();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      byte[] back = client.getInputStream().readAllBytes();
      long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
      writer.join();
      assertThat(Arrays.equals(back, payload)).as("echoed bytes equal, in order").isTrue();
      assertThat(elapsedMillis).as("held 200 ms each way").isGreaterThanOrEqualTo(400);
      assertThat(proxy.connections()).isEqualTo(1);
      assertThat(proxy.bytes()).isEqualTo(2L * payload.length);
    }
  }

  @Test
  void refusesADelayOutOfRange() {
    InetSocketAddress target = new InetSocketAddress("127.0.0.1", 1);
    assertThatThrownBy(() -> new DelayProxy("127.0.0.1", target, 0, 0, 1)).hasMessageContaining("delay must be in 1..10000 ms");
    assertThatThrownBy(() -> new DelayProxy("127.0.0.1", target, 100, 200, 1)).hasMessageContaining("jitter in 0..delay");
  }
}
