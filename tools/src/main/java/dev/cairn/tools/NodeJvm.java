package dev.cairn.tools;

import dev.cairn.node.cli.CairnCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How the tools start a node: a JVM of its own running the operator CLI ({@link CairnCli}) from the node jar
 * named by the system property {@value #NODE_JAR_PROPERTY} ({@code ./cairn} sets it to
 * {@code node/target/cairn-node.jar}), or without it from this JVM's class path, which holds the node too.
 *
 * <p>When an ahead-of-time cache made for that jar ({@value #AOT_CACHE_NAME} beside it, written by
 * {@code cairn bench aot-train}) is newer than the jar and this JVM can read one (JDK 25 and later), the node
 * starts from it: classes arrive loaded and linked and the JIT starts from the training run's method profiles,
 * so a fresh node reaches speed sooner. A JVM option naming {@code -XX:AOT...} itself (for example
 * {@code -XX:AOTMode=off} to measure without) overrides this.
 */
public final class NodeJvm {
  public static final String NODE_JAR_PROPERTY = "cairn.node.jar";
  public static final String AOT_CACHE_NAME = "cairn-node.aot";
  /** The first JDK whose AOT cache also carries method profiles (JEP 515), which is what shortens warm-up. */
  static final int AOT_JDK_MIN = 25;

  private NodeJvm() {}

  /** The node jar to run, if one is named; a name that is not a file is an error. */
  public static Optional<Path> nodeJar() {
    String name = System.getProperty(NODE_JAR_PROPERTY);
    if (name == null || name.isBlank()) {
      return Optional.empty();
    }
    Path jar = Path.of(name).toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(NODE_JAR_PROPERTY + "=" + name + " is not a file; build it with"
          + " 'mvn -B -pl node -am package -DskipTests'");
    }
    return Optional.of(jar);
  }

  /** Where {@code cairn bench aot-train} writes the cache for {@code jar}, and where nodes look for it. */
  public static Path aotCacheFor(Path jar) {
    return jar.resolveSibling(AOT_CACHE_NAME);
  }

  /** The AOT cache nodes start from, if there is a node jar, a cache newer than it, and a JVM that reads it. */
  public static Optional<Path> aotCache() {
    if (Runtime.version().feature() < AOT_JDK_MIN) {
      return Optional.empty();
    }
    return nodeJar().map(NodeJvm::aotCacheFor).filter(cache -> newerThanJar(cache, nodeJar().orElseThrow()));
  }

  private static boolean newerThanJar(Path cache, Path jar) {
    try {
      return Files.isRegularFile(cache) && Files.getLastModifiedTime(cache).compareTo(Files.getLastModifiedTime(jar)) > 0;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  /**
   * {@code java <jvmOptions> [-XX:AOTCache=...] -cp <node> dev.cairn.node.cli.CairnCli}: append the CLI's
   * arguments. The cache is added when {@link #aotCache()} finds one and the options do not speak of AOT.
   */
  public static List<String> command(List<String> jvmOptions) {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(jvmOptions);
    if (jvmOptions.stream().noneMatch(o -> o.startsWith("-XX:AOT"))) {
      aotCache().ifPresent(cache -> command.add("-XX:AOTCache=" + cache));
    }
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("-cp");
    command.add(nodeJar().map(Path::toString).orElseGet(() -> System.getProperty("java.class.path")));
    command.add(CairnCli.class.getName());
    return command;
  }
}
