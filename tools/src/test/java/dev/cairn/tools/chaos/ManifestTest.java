package dev.cairn.tools.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestTest {
  private static final String KILL_AND_PAUSE = """
      name = "kill-and-pause"
      seed = 7
      validators = 4
      observers = 1
      block-period-ms = 250
      duration-s = 60
      heal-bound-s = 30

      [load]
      senders = 8
      transfers-per-second = 40
      records-per-second = 5
      reads-per-second = 5

      [[perturbation]]
      kind = "pause"
      node = 1
      at-s = 20
      for-s = 8

      [[perturbation]]
      kind = "kill"
      node = 3
      at-s = 10
      down-s = 5
      """;

  @Test
  void readsEveryFieldAndOrdersFaultsByTime() {
    Manifest m = Manifest.parse(KILL_AND_PAUSE);
    assertThat(m.name()).isEqualTo("kill-and-pause");
    assertThat(m.nodes()).isEqualTo(5);
    assertThat(m.load()).isEqualTo(new Manifest.Load(8, 40, 5, 5));
    assertThat(m.perturbations()).containsExactly(new Perturbation(Perturbation.Kind.KILL, 3, 10, 5),
        new Perturbation(Perturbation.Kind.PAUSE, 1, 20, 8));
    assertThat(m.lastHealSeconds()).isEqualTo(28);
    assertThat(m.overlapMax()).isEqualTo(1);
  }

  @Test
  void writesTomlThatReadsBackEqual() {
    Manifest m = Manifest.parse(KILL_AND_PAUSE);
    assertThat(Manifest.parse(m.toToml())).isEqualTo(m);
  }

  @Test
  void refusesWhatCannotRunWithAMessageNamingTheField() {
    assertThatThrownBy(() -> Manifest.parse(KILL_AND_PAUSE.replace("validators = 4", "validators = 3")))
        .hasMessageContaining("validators must be >= 4");
    assertThatThrownBy(() -> Manifest.parse(KILL_AND_PAUSE.replace("kind = \"kill\"", "kind = \"explode\"")))
        .hasMessageContaining("perturbation.kind 'explode'");
    assertThatThrownBy(() -> Manifest.parse(KILL_AND_PAUSE.replace("node = 3", "node = 5")))
        .hasMessageContaining("names node 5; nodes are 0..4");
    assertThatThrownBy(() -> Manifest.parse(KILL_AND_PAUSE.replace("for-s = 8", "for-s = 50")))
        .hasMessageContaining("heals at 70.0 s, after duration-s 60.0");
    assertThatThrownBy(() -> Manifest.parse("bogus = 1\n" + KILL_AND_PAUSE))
        .hasMessageContaining("unknown key 'bogus'");
    assertThatThrownBy(() -> Manifest.parse(KILL_AND_PAUSE.replace("node = 1", "node = 3").replace("at-s = 20", "at-s = 12")))
        .hasMessageContaining("one fault per node at a time");
    assertThatThrownBy(() -> Manifest.parse("name = [")).hasMessageContaining("not valid TOML");
  }

  @Test
  void inFlightPerSenderIsReadWrittenAndBoundedWithOneLine() {
    assertThat(Manifest.parse(KILL_AND_PAUSE).load().inFlightPerSender())
        .isEqualTo(Manifest.Load.IN_FLIGHT_PER_SENDER_DEFAULT);
    Manifest sixteen = Manifest.parse(KILL_AND_PAUSE.replace("senders = 8", "senders = 8\nin-flight-per-sender = 16"));
    assertThat(sixteen.load().inFlightPerSender()).isEqualTo(16);
    assertThat(Manifest.parse(sixteen.toToml())).isEqualTo(sixteen);
    assertThatThrownBy(() -> Manifest.parse(KILL_AND_PAUSE.replace("senders = 8", "senders = 8\nin-flight-per-sender = 0")))
        .hasMessage("load.in-flight-per-sender must be in 1..256, got 0");
    assertThatThrownBy(() -> Manifest.parse(KILL_AND_PAUSE.replace("senders = 8", "senders = 8\nin-flight-per-sender = 2.5")))
        .hasMessage("in-flight-per-sender must be an integer, got 2.5");
    Manifest cycles = ManifestGenerator.killCycles(7, 4, 20, 10, 4, 600, 1000, 8);
    assertThat(cycles.load().inFlightPerSender()).isEqualTo(8);
    assertThat(cycles.perturbations()).hasSize(20);
    assertThat(cycles.toToml()).contains("in-flight-per-sender = 8");
    assertThatThrownBy(() -> ManifestGenerator.killCycles(7, 4, 0, 10, 4, 600, 1000, 8))
        .hasMessage("--kill-cycles must be at least 1, got 0");
  }

  @Test
  void generatorIsASeedFunctionWithAtLeastThreeOverlappingFaults() {
    ManifestGenerator generator = new ManifestGenerator(120);
    for (long seed = 0; seed < 300; seed++) {
      Manifest m = generator.generate(seed);
      assertThat(generator.generate(seed)).isEqualTo(m);
      assertThat(Manifest.parse(m.toToml())).isEqualTo(m);
      assertThat(m.perturbations()).hasSizeGreaterThanOrEqualTo(3);
      assertThat(m.lastHealSeconds()).isLessThanOrEqualTo(m.durationSeconds() - 15);
    }
    long overlapping = java.util.stream.LongStream.range(0, 300)
        .filter(seed -> generator.generate(seed).overlapMax() >= 3).count();
    assertThat(overlapping).as("manifests with >= 3 faults active at once, of 300").isGreaterThan(150);
    assertThat(List.of(generator.generate(1), generator.generate(2))).doesNotHaveDuplicates();
  }

  @Test
  void generatedLoadMixesRoleChangesValidatorVotesAndLargeRecordsOnSomeSeeds() {
    ManifestGenerator generator = new ManifestGenerator(120);
    int roleChanges = 0;
    int votes = 0;
    int large = 0;
    for (long seed = 0; seed < 300; seed++) {
      Manifest m = generator.generate(seed);
      Manifest.Load load = m.load();
      roleChanges += load.roleChangesPerSecond() > 0 ? 1 : 0;
      if (load.validatorChangeEverySeconds() > 0) {
        votes++;
        assertThat(m.observers()).as("votes need an observer to vote in, seed %d", seed).isPositive();
      }
      if (load.recordBytes() > 0) {
        large++;
        assertThat(m.blockBytesMax()).isEqualTo(ManifestGenerator.LARGE_BLOCK_BYTES_MAX);
        // Offered record bytes per block period exceed the block limit, so blocks are full.
        double bytesPerBlock = load.recordsPerSecond() * load.recordBytes() * m.blockPeriodMillis() / 1000.0;
        assertThat(bytesPerBlock).as("seed %d", seed).isGreaterThan(m.blockBytesMax());
      } else {
        assertThat(m.blockBytesMax()).isZero();
      }
    }
    assertThat(roleChanges).as("of 300 seeds").isBetween(150, 250);
    assertThat(votes).as("of 300 seeds").isBetween(50, 200);
    assertThat(large).as("of 300 seeds").isBetween(60, 140);
  }

  @Test
  void networkAndClockFaultsReadWithTheirAmountsAndSides() {
    Manifest m = Manifest.read(java.nio.file.Path.of("manifests/network.toml"));
    assertThat(m.namespaces()).isTrue();
    assertThat(m.perturbations()).contains(
        new Perturbation(Perturbation.Kind.PARTITION, 0, 30, 8, 0, List.of(0, 1)),
        new Perturbation(Perturbation.Kind.LOSS, 1, 16, 10, 30, List.of()),
        new Perturbation(Perturbation.Kind.BANDWIDTH, 4, 18, 12, 256, List.of()),
        new Perturbation(Perturbation.Kind.CLOCK_SKEW, 3, 50, 10, 20, List.of()));
    assertThat(Manifest.parse(m.toToml())).isEqualTo(m);

    String isolate = KILL_AND_PAUSE.replace("kind = \"kill\"", "kind = \"isolate\"").replace("down-s = 5", "for-s = 5");
    assertThatThrownBy(() -> Manifest.parse(isolate)).hasMessageContaining("needs namespaces = true");
    String namespaced = "namespaces = true\n" + isolate;
    assertThat(Manifest.parse(namespaced).perturbations()).contains(new Perturbation(Perturbation.Kind.ISOLATE, 3, 10, 5));
    assertThatThrownBy(() -> Manifest.parse(namespaced.replace("for-s = 5", "for-s = 5\npercent = 20")))
        .hasMessageContaining("isolate takes no percent");
    String loss = namespaced.replace("\"isolate\"", "\"loss\"");
    assertThatThrownBy(() -> Manifest.parse(loss)).hasMessageContaining("loss percent must be an integer in 1..100");
    assertThatThrownBy(() -> Manifest.parse(loss.replace("for-s = 5", "for-s = 5\npercent = 101")))
        .hasMessageContaining("loss percent must be an integer in 1..100, got 101");
    String partition = namespaced.replace("\"isolate\"", "\"partition\"").replace("node = 3", "side = [3, 9]");
    assertThatThrownBy(() -> Manifest.parse(partition)).hasMessageContaining("names node 9");
    assertThatThrownBy(() -> Manifest.parse(partition.replace("[3, 9]", "[0, 1, 2, 3, 4]")))
        .hasMessageContaining("side must leave some nodes out");
    String disk = KILL_AND_PAUSE.replace("kind = \"kill\"", "kind = \"disk-full\"").replace("down-s = 5", "for-s = 5");
    assertThatThrownBy(() -> Manifest.parse(disk)).hasMessageContaining("disk-full at 10.0 s needs disk-mib");
    assertThat(Manifest.parse("disk-mib = 256\n" + disk).diskMib()).isEqualTo(256);
    assertThatThrownBy(() -> Manifest.parse("disk-mib = 10\n" + disk)).hasMessageContaining("disk-mib must be 0");
    Manifest diskFile = Manifest.read(java.nio.file.Path.of("manifests/disk.toml"));
    assertThat(Manifest.parse(diskFile.toToml())).isEqualTo(diskFile);
  }

  @Test
  void loadKindsPartialCutsAndDelaysReadAndWriteBack() {
    Manifest governance = Manifest.read(java.nio.file.Path.of("manifests/governance.toml"));
    assertThat(governance.load().roleChangesPerSecond()).isEqualTo(2);
    assertThat(governance.load().validatorChangeEverySeconds()).isEqualTo(12);
    Manifest large = Manifest.read(java.nio.file.Path.of("manifests/large-blocks.toml"));
    assertThat(large.blockBytesMax()).isEqualTo(65536);
    assertThat(large.load().recordBytes()).isEqualTo(4000);
    Manifest asymmetric = Manifest.read(java.nio.file.Path.of("manifests/asymmetric-partition.toml"));
    assertThat(asymmetric.perturbations()).contains(new Perturbation(Perturbation.Kind.ONE_WAY, 0, 10, 30, 0, List.of(1, 2)));
    Manifest delay = Manifest.read(java.nio.file.Path.of("manifests/delay.toml"));
    assertThat(delay.perturbations().get(0)).isEqualTo(new Perturbation(Perturbation.Kind.DELAY, 0, 5, 25, 100, List.of()));
    for (Manifest m : List.of(governance, large, asymmetric, delay)) {
      assertThat(Manifest.parse(m.toToml())).isEqualTo(m);
    }
    for (String name : List.of("loss-10", "clock-ahead", "disk-halt", "wipe-rejoin")) {
      Manifest m = Manifest.read(java.nio.file.Path.of("manifests/" + name + ".toml"));
      assertThat(Manifest.parse(m.toToml())).isEqualTo(m);
    }

    assertThatThrownBy(() -> Manifest.parse(KILL_AND_PAUSE.replace("observers = 1", "observers = 0")
        .replace("reads-per-second = 5", "reads-per-second = 5\nvalidator-change-every-s = 10")))
        .hasMessageContaining("needs observers >= 1");
    assertThatThrownBy(() -> Manifest.parse(KILL_AND_PAUSE.replace("reads-per-second = 5", "reads-per-second = 5\nrecord-bytes = 5000")))
        .hasMessageContaining("load.record-bytes must be in 0..4096");
    assertThatThrownBy(() -> Manifest.parse("block-bytes-max = 1000\n" + KILL_AND_PAUSE))
        .hasMessageContaining("block-bytes-max must be 0 (the default) or in 16384..");
    String oneWay = "namespaces = true\n" + KILL_AND_PAUSE.replace("kind = \"kill\"", "kind = \"one-way\"")
        .replace("down-s = 5", "for-s = 5");
    assertThatThrownBy(() -> Manifest.parse(oneWay.replace("for-s = 5", "for-s = 5\npeers = [3]")))
        .hasMessageContaining("one-way.peers must list distinct nodes other than node");
    assertThatThrownBy(() -> Manifest.parse(oneWay.replace("for-s = 5", "for-s = 5\nside = [3]")))
        .hasMessageContaining("one-way takes no side");
    String delayed = oneWay.replace("\"one-way\"", "\"delay\"");
    assertThatThrownBy(() -> Manifest.parse(delayed.replace("for-s = 5", "for-s = 5\nms = 9000")))
        .hasMessageContaining("delay ms must be an integer in 1..5000");
  }

  @Test
  void theNamespacedGeneratorMixesEveryKindAndThePlainOneKeepsItsManifests() {
    ManifestGenerator plain = new ManifestGenerator(120);
    ManifestGenerator all = new ManifestGenerator(120, true);
    java.util.Set<Perturbation.Kind> seen = java.util.EnumSet.noneOf(Perturbation.Kind.class);
    for (long seed = 0; seed < 200; seed++) {
      Manifest m = all.generate(seed);
      assertThat(m.namespaces()).isTrue();
      assertThat(Manifest.parse(m.toToml())).isEqualTo(m);
      m.perturbations().forEach(p -> seen.add(p.kind()));
      assertThat(plain.generate(seed).perturbations()).allMatch(p -> !p.kind().network()
          && p.kind() != Perturbation.Kind.CLOCK_SKEW);
    }
    assertThat(seen).containsExactlyInAnyOrder(Perturbation.Kind.values());
  }
}
