package dev.cairn.tools.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The short campaign {@code mvn -B verify} runs on real node processes: the hand-written smoke manifest (a
 * kill, a pause, a wipe-and-rejoin and a clean restart, three at once, while the validators vote the observer
 * in and out of the validator set and the admin grants and revokes roles) and the network manifest (each node
 * in its own network namespace: isolation, added latency through the delay relay, loss, a bandwidth limit, a
 * 2-2 partition, a one-way link, a clock jump; needs root, and installs nftables and libfaketime when
 * missing). Each must end with no checker violation, every fault healed and every node recovered. Generated
 * manifests (the generator's seed 11 ran here before; the two runs above keep the build near 4 minutes) and
 * the long campaign are {@code ./cairn chaos campaign} (docs/reliability.md).
 */
class ChaosCampaignIT {
  static Stream<Manifest> manifests() {
    return Stream.of(Manifest.read(Path.of("manifests/smoke.toml")), Manifest.read(Path.of("manifests/network.toml")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("manifests")
  void runEndsWithoutViolation(Manifest manifest, @TempDir Path work) throws Exception {
    if (manifest.namespaces()) {
      Process install = new ProcessBuilder("bash", "../scripts/ensure-packages.sh", "nft", "faketime").inheritIO().start();
      assertThat(install.waitFor()).as("scripts/ensure-packages.sh nft faketime").isZero();
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(new TeeStream(bytes, System.out), true, StandardCharsets.UTF_8);
    CampaignRun.Result result = new CampaignRun(manifest, work, out).run();
    String printed = bytes.toString(StandardCharsets.UTF_8);
    assertThat(result.violations()).as(printed).isEmpty();
    assertThat(result.finals()).as("transactions reported final").isGreaterThan(100);
    if (manifest.load().validatorChangeEverySeconds() > 0) {
      // Every other round of votes adds the observer; a successful vote is one the chain applied.
      assertThat(result.finalsByKind()).as("validator votes applied").containsKey("validator_vote/success");
      assertThat(result.finalsByKind()).as("role changes applied").containsKey("role_grant/success");
    }
    assertThat(result.recoverySeconds().values()).allMatch(s -> s <= manifest.healBoundSeconds());
    assertThat(result.catchUpSeconds()).hasSize(manifest.perturbations().size());
    assertThat(printed).contains("event=checked manifest=" + manifest.name()).contains("violations=0");
    assertThat(List.of(printed.split("\n"))).filteredOn(l -> l.contains("event=fault-heal"))
        .hasSize(manifest.perturbations().size());
  }

  /** Writes to both: the test keeps what it asserts on, the build log shows the run as it goes. */
  private static final class TeeStream extends java.io.OutputStream {
    private final java.io.OutputStream a;
    private final java.io.OutputStream b;

    TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public void write(int c) throws java.io.IOException {
      a.write(c);
      b.write(c);
    }

    @Override
    public void write(byte[] buf, int off, int len) throws java.io.IOException {
      a.write(buf, off, len);
      b.write(buf, off, len);
    }
  }
}
