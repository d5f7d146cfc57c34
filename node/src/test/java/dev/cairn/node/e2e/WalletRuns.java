package dev.cairn.node.e2e;

import dev.cairn.testsupport.CliRun;
import dev.cairn.wallet.WalletCli;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The wallet CLI run in-process against a devnet, as a user would type it: RPC URL, wallet dir, password file. */
final class WalletRuns {
  private WalletRuns() {}

  static CliRun wallet(URI rpc, Path walletDir, String password, Duration timeout, String... args) throws IOException {
    Path passwordFile = walletDir.resolveSibling(walletDir.getFileName() + ".password");
    Files.writeString(passwordFile, password + "\n");
    List<String> all = new ArrayList<>(List.of("--rpc", rpc.toString(), "--wallet-dir", walletDir.toString(),
        "--password-file", passwordFile.toString(), "--timeout-seconds", Long.toString(timeout.toSeconds())));
    all.addAll(List.of(args));
    return CliRun.of(WalletCli.commandLine(), all.toArray(String[]::new));
  }

  static String firstLine(CliRun run) {
    return run.out().lines().findFirst().orElse("");
  }
}
