package dev.cairn.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.ledger.codec.TransactionCodec;
import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.crypto.KeyFiles;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.model.Payload;
import dev.cairn.ledger.model.Transaction;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Drives the real CLI in-process (no node needed for these): keys, offline signing, one-line errors. */
class WalletCliTest {
  @TempDir Path dir;

  record Run(int exitCode, String out, String err) {}

  private Run run(String... args) {
    CommandLine cli = WalletCli.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private String[] withGlobals(String... args) throws Exception {
    Path password = dir.resolve("password.txt");
    if (!Files.exists(password)) {
      Files.writeString(password, "s3cret\n");
    }
    String[] all = new String[args.length + 4];
    all[0] = "--wallet-dir";
    all[1] = dir.resolve("wallet").toString();
    all[2] = "--password-file";
    all[3] = password.toString();
    System.arraycopy(args, 0, all, 4, args.length);
    return all;
  }

  @Test
  void importedKeySignsOfflineAndTheFileDecodesToAValidTransaction() throws Exception {
    KeyPair key = KeyPair.fromSeedText("wallet-cli-test");
    Path seed = dir.resolve("seed.key");
    KeyFiles.writeNodeKey(seed, key);
    Run imported = run(withGlobals("import", "--key-file", seed.toString()));
    assertThat(imported.exitCode()).as(imported.err()).isZero();
    assertThat(imported.out()).contains(key.address().toText());

    Run address = run(withGlobals("address"));
    assertThat(address.out().trim()).isEqualTo(key.address().toText());

    Path signed = dir.resolve("tx.hex");
    String to = KeyPair.fromSeedText("recipient").address().toText();
    Run sign = run(withGlobals("sign", "--chain-id", "cairn-test", "--out", signed.toString(),
        "transfer", "--to", to, "--amount", "25", "--nonce", "3"));
    assertThat(sign.exitCode()).as(sign.err()).isZero();

    Transaction tx = TransactionCodec.decode(Bytes.fromHex(Files.readString(signed).trim()));
    assertThat(tx.hasValidSignature()).isTrue();
    assertThat(tx.chainId()).isEqualTo("cairn-test");
    assertThat(tx.nonce()).isEqualTo(3);
    assertThat(tx.sender()).isEqualTo(key.publicKey());
    assertThat(tx.payload()).isEqualTo(new Payload.Transfer(dev.cairn.ledger.crypto.Address.parse(to), 25));
  }

  @Test
  void anEmptyPasswordIsRefusedForANewKey() throws Exception {
    Path empty = dir.resolve("empty-password.txt");
    Files.writeString(empty, "\n");
    Run created = run("--wallet-dir", dir.resolve("wallet").toString(), "--password-file", empty.toString(), "new");
    assertThat(created.exitCode()).isNotZero();
    assertThat(created.err()).contains("empty password");
    try (var listing = Files.list(dir)) {
      assertThat(listing.map(p -> p.getFileName().toString())).doesNotContain("wallet-keystore-written");
    }
    assertThat(Files.exists(dir.resolve("wallet")) ? Files.list(dir.resolve("wallet")).count() : 0L).as("keystores written").isZero();
  }

  @Test
  void offlineSigningWithoutANonceSaysWhatIsMissing() throws Exception {
    KeyFiles.writeNodeKey(dir.resolve("k"), KeyPair.fromSeedText("n"));
    run(withGlobals("import", "--key-file", dir.resolve("k").toString()));
    Run sign = run(withGlobals("sign", "--chain-id", "c", "--out", dir.resolve("o").toString(),
        "transfer", "--to", KeyPair.fromSeedText("r").address().toText(), "--amount", "1"));
    assertThat(sign.exitCode()).isNotZero();
    assertThat(sign.err().trim()).isEqualTo("error: offline signing needs --nonce N (the sender's next nonce)");
  }

  @Test
  void unreachableNodeIsAOneLineErrorNamingTheFix() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Run balance = run(withGlobals("--rpc", "http://127.0.0.1:" + port, "balance", KeyPair.fromSeedText("x").address().toText()));
    assertThat(balance.exitCode()).isEqualTo(3);
    assertThat(balance.err()).startsWith("error: cannot reach the node at http://127.0.0.1:" + port);
    assertThat(balance.err()).contains("CAIRN_RPC");
    assertThat(balance.err().lines().count()).isEqualTo(1);
  }

  @Test
  void badAddressAndUnknownRoleAreExplained() throws Exception {
    KeyFiles.writeNodeKey(dir.resolve("k"), KeyPair.fromSeedText("n"));
    run(withGlobals("import", "--key-file", dir.resolve("k").toString()));
    Run badRole = run(withGlobals("sign", "--chain-id", "c", "--out", dir.resolve("o").toString(),
        "grant", "--account", KeyPair.fromSeedText("r").address().toText(), "--role", "king", "--nonce", "0"));
    assertThat(badRole.err()).contains("unknown role 'king'");
    Run badAddress = run(withGlobals("balance", "cairn1notanaddress"));
    assertThat(badAddress.exitCode()).isNotZero();
    assertThat(badAddress.err()).startsWith("error: ");
  }

  @Test
  void receiptsAreReadAsTheNodeSendsThem() throws Exception {
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    var ok = json.readTree("{\"txId\":\"0x01\",\"status\":\"success\",\"code\":0,\"codeName\":\"ok\",\"description\":\"executed\"}");
    var failed = json.readTree("{\"txId\":\"0x02\",\"status\":\"failed\",\"code\":2,\"codeName\":\"insufficient_balance\",\"description\":\"insufficient balance\"}");
    assertThat(QueryCommands.succeeded(ok)).isTrue();
    assertThat(QueryCommands.succeeded(failed)).isFalse();
    assertThat(QueryCommands.describeCode(failed)).isEqualTo("insufficient_balance (insufficient balance)");
  }
}
