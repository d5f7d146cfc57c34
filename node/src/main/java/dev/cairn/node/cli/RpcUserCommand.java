package dev.cairn.node.cli;

import dev.cairn.rpc.auth.Credentials;
import dev.cairn.rpc.auth.PasswordHashes;
import dev.cairn.rpc.auth.Permission;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cairn rpc-user NAME --permission cairn:*}: makes one {@code [users.NAME]} entry of an RPC credentials
 * file, with the password's bcrypt hash. The password is read from the terminal (twice) or, without one, from
 * the first line of standard input; never from an argument, which any local user can read in the process list.
 */
@Command(name = "rpc-user", mixinStandardHelpOptions = true,
    description = "Create a JSON-RPC user entry (bcrypt hash) for the rpc-auth credentials file.")
final class RpcUserCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "NAME", description = "User name (letters, digits, . _ @ -).")
  String name;

  @Option(names = "--permission", required = true, paramLabel = "NAMESPACE:METHOD",
      description = "A permission, repeatable: cairn:*, cairn:getAccount, admin:*, *:*.")
  List<String> permissions;

  @Option(names = "--cost", defaultValue = "" + PasswordHashes.COST_DEFAULT,
      description = "bcrypt cost, " + PasswordHashes.COST_MIN + ".." + PasswordHashes.COST_MAX + " (default: ${DEFAULT-VALUE}).")
  int cost;

  @Option(names = "--append", paramLabel = "FILE",
      description = "Append the entry to this credentials file (created if absent) instead of printing it.")
  Path append;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    if (!Credentials.validUserName(name)) {
      throw new IllegalArgumentException("user name '" + name + "' must be 1-64 letters, digits or . _ @ -");
    }
    List<String> checked = permissions.stream().map(p -> Permission.parse(p).toString()).toList();
    if (append != null && Files.exists(append) && Files.size(append) > 0
        && Credentials.read(append).user(name).isPresent()) {
      throw new IllegalArgumentException(append + " already has a user '" + name + "'; nothing was written");
    }
    char[] password = readPassword();
    String entry;
    try {
      PasswordHashes.checkLength(password);
      entry = "[users." + name + "]\npassword = \"" + PasswordHashes.hash(password, cost) + "\"\npermissions = ["
          + String.join(", ", checked.stream().map(p -> "\"" + p + "\"").toList()) + "]\n";
    } finally {
      Arrays.fill(password, '\0');
    }
    PrintWriter out = spec.commandLine().getOut();
    if (append == null) {
      out.print(entry);
    } else {
      Files.writeString(append, (Files.exists(append) && Files.size(append) > 0 ? "\n" : "") + entry,
          StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      out.println("added user " + name + " to " + append);
    }
    out.flush();
    return 0;
  }

  private static char[] readPassword() throws IOException {
    Console console = System.console();
    if (console != null) {
      char[] first = console.readPassword("password: ");
      char[] second = console.readPassword("repeat password: ");
      if (first == null || second == null || !Arrays.equals(first, second)) {
        throw new IllegalArgumentException("the two passwords differ; nothing was written");
      }
      Arrays.fill(second, '\0');
      return first;
    }
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line = in.readLine();
    if (line == null) {
      throw new IllegalArgumentException("no password: type it at the terminal or pipe it on standard input");
    }
    return line.toCharArray();
  }
}
