package dev.cairn.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.rpc.auth.Credentials;
import dev.cairn.rpc.auth.PasswordHashes;
import dev.cairn.rpc.auth.Permission;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code cairn rpc-user} reads the password from standard input (no terminal here) and writes a usable entry. */
class RpcUserCommandTest {
  @TempDir Path dir;

  @Test
  void appendsEntriesThatTheNodeReadsAndRefusesADuplicateName() throws Exception {
    Path file = dir.resolve("credentials.toml");
    assertThat(run("s3cret-one\n", "rpc-user", "alice", "--permission", "cairn:*", "--permission", "admin:peers",
        "--cost", "10", "--append", file.toString())).isZero();
    assertThat(run("s3cret-two\n", "rpc-user", "bob", "--permission", "*:*", "--cost", "10", "--append", file.toString())).isZero();
    Credentials credentials = Credentials.read(file);
    Credentials.User alice = credentials.user("alice").orElseThrow();
    assertThat(alice.permissions()).containsExactly(Permission.parse("cairn:*"), Permission.parse("admin:peers"));
    assertThat(PasswordHashes.matches("s3cret-one".toCharArray(), alice.passwordHash())).isTrue();
    assertThat(PasswordHashes.matches("s3cret-two".toCharArray(), alice.passwordHash())).isFalse();
    assertThat(Files.readString(file)).doesNotContain("s3cret");

    String before = Files.readString(file);
    assertThat(run("other\n", "rpc-user", "alice", "--permission", "cairn:*", "--cost", "10", "--append", file.toString())).isEqualTo(1);
    assertThat(Files.readString(file)).isEqualTo(before);
  }

  @Test
  void refusesABadPermissionOrAnEmptyPassword() {
    assertThat(run("pw\n", "rpc-user", "carol", "--permission", "cairn", "--cost", "10")).isEqualTo(1);
    assertThat(run("\n", "rpc-user", "carol", "--permission", "cairn:*", "--cost", "10")).isEqualTo(1);
  }

  private static int run(String stdin, String... args) {
    InputStream saved = System.in;
    System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    try {
      CommandLine cli = CairnCli.commandLine();
      cli.setOut(new PrintWriter(new StringWriter()));
      cli.setErr(new PrintWriter(new StringWriter()));
      return cli.execute(args);
    } finally {
      System.setIn(saved);
    }
  }
}
