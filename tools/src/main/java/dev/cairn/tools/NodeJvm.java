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
 */
public final class NodeJvm {
  public static final String NODE_JAR_PROPERTY = "cairn.node.jar";

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

  /** {@code java <jvmOptions> -cp <node> dev.cairn.node.cli.CairnCli}: append the CLI's arguments. */
  public static List<String> command(List<String> jvmOptions) {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(jvmOptions);
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("-cp");
    command.add(nodeJar().map(Path::toString).orElseGet(() -> System.getProperty("java.class.path")));
    command.add(CairnCli.class.getName());
    return command;
  }
}
