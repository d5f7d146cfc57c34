package dev.cairn.architecture;

import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.syntax.elements.GivenClassesConjunction;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.FileReader;
import java.io.FileWriter;
import java.io.RandomAccessFile;
import java.time.Clock;
import java.time.InstantSource;
import java.util.Timer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The pure cores compute and nothing else: the consensus module (engine and driver), the mempool and
 * ledger/core's model, codec and state transition take time, randomness and bytes as inputs and never start a
 * thread, read a clock or touch a file or a socket. That is what lets the simulator replay any run from a seed.
 */
@AnalyzeClasses(packages = "dev.cairn", importOptions = ImportOption.DoNotIncludeTests.class)
class PurityTest {
  private static final String[] PURE = {
      Modules.CONSENSUS,
      Modules.MEMPOOL,
      "dev.cairn.ledger.encoding..",
      "dev.cairn.ledger.model..",
      "dev.cairn.ledger.codec..",
      "dev.cairn.ledger.execution..",
      "dev.cairn.ledger.state..",
  };

  private static GivenClassesConjunction pureClasses() {
    return noClasses().that().resideInAnyPackage(PURE);
  }

  @ArchTest
  static final ArchRule pureCodeStartsNoThread = pureClasses().should().dependOnClassesThat().belongToAnyOf(
      Thread.class, ThreadFactory.class, Executor.class, ExecutorService.class, ScheduledExecutorService.class,
      Executors.class, ForkJoinPool.class, CompletableFuture.class, Future.class, Timer.class)
      .because("consensus and the state transition run where their caller runs them; threads are the node's");

  @ArchTest
  static final ArchRule pureCodeReadsNoClock = pureClasses()
      .should().callMethod(System.class, "currentTimeMillis")
      .orShould().callMethod(System.class, "nanoTime")
      .orShould().callMethodWhere(target(name("now")).and(target(owner(resideInAPackage("java.time..")))))
      .orShould().dependOnClassesThat().belongToAnyOf(Clock.class, InstantSource.class)
      .because("time is an input (a timestamp, a timer event), so a seed replays a run exactly");

  @ArchTest
  static final ArchRule pureCodeDrawsNoHiddenRandomness = pureClasses()
      .should().dependOnClassesThat().belongToAnyOf(ThreadLocalRandom.class)
      .orShould().callMethod(Math.class, "random")
      .because("randomness is injected (a seeded RandomGenerator), never global");

  @ArchTest
  static final ArchRule pureCodeDoesNoIo = pureClasses()
      .should().dependOnClassesThat().resideInAnyPackage("java.nio.file..", "java.nio.channels..", "java.net..")
      .orShould().dependOnClassesThat().belongToAnyOf(File.class, FileInputStream.class, FileOutputStream.class,
          FileReader.class, FileWriter.class, RandomAccessFile.class)
      .because("storage and network sit behind ports the node implements");
}
