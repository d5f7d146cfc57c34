package dev.cairn.node.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.ledger.crypto.Address;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.rpc.client.RpcClient;
import dev.cairn.testsupport.CliRun;
import java.io.RandomAccessFile;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * File notarization end to end on the real node: {@code cairn devnet} as a child JVM, the wallet in-process as
 * {@code ./wallet} runs it. A 64 MiB sparse file (streamed, many buffers) is notarized and the receipt names
 * the block the node finalized; {@code verify-file} proves it against genesis.json's validators alone, while a
 * copy with one byte changed and another signer are proven not notarized, each with the documented exit code.
 */
class NotarizationIT {
  private static final Duration FINALITY_TIMEOUT = Duration.ofSeconds(90);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long FILE_BYTES = 64L * 1024 * 1024;

  @TempDir Path dir;
  private DevnetProcess node;

  @AfterEach
  void killNode() throws InterruptedException {
    if (node != null) {
      node.close();
    }
  }

  private CliRun wallet(URI rpc, Path walletDir, String password, String... args) throws Exception {
    CliRun run = WalletRuns.wallet(rpc, walletDir, password, FINALITY_TIMEOUT, args);
    assertThat(run.out() + run.err()).as("captured output holds no progress line").doesNotContain("\r");
    return run;
  }

  private CliRun walletOk(URI rpc, Path walletDir, String password, String... args) throws Exception {
    CliRun run = wallet(rpc, walletDir, password, args);
    assertThat(run.exitCode()).as("wallet %s\nout: %s\nerr: %s", String.join(" ", args), run.out(), run.err()).isZero();
    return run;
  }

  @Test
  void aNotarizedFileVerifiesAgainstGenesisAndAChangedCopyOrAnotherSignerDoesNot() throws Exception {
    Path data = dir.resolve("devnet");
    node = DevnetProcess.start(data, Path.of("target", "e2e", "NotarizationIT.log"));
    URI rpc = node.awaitRpc();
    Path devWallet = data.resolve("wallet");
    Path genesis = data.resolve("genesis.json");
    Path aliceWallet = dir.resolve("alice");
    String alice = JSON.readTree(walletOk(rpc, aliceWallet, "alice-pw", "--json", "new").out()).path("address").asText();
    walletOk(rpc, devWallet, "devnet", "grant", "--account", alice, "--role", "member", "--wait");

    Path image = dir.resolve("disk.img");
    try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
      file.setLength(FILE_BYTES);
      file.seek(FILE_BYTES / 2);
      file.write("a few bytes of content in the middle".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
    String sha256 = sha256(image);

    JsonNode receipt = JSON.readTree(walletOk(rpc, aliceWallet, "alice-pw", "--json", "notarize", image.toString(),
        "--description", "nightly image").out());
    assertThat(receipt.path("status").asText()).isEqualTo("notarized");
    assertThat(receipt.path("digest").asText()).isEqualTo(sha256);
    assertThat(receipt.path("size").asLong()).isEqualTo(FILE_BYTES);
    assertThat(receipt.path("key").asText()).isEqualTo("notary/sha256/" + sha256);
    String txId = receipt.path("txId").asText();
    long height = receipt.path("height").asLong();

    // What the receipt says is what the node finalized: the record, its history and the block's time.
    RpcClient client = new RpcClient(rpc, Duration.ofSeconds(30));
    JsonNode history = client.getRecordHistory(Address.parse(alice), "notary/sha256/" + sha256, Optional.empty(), OptionalInt.empty());
    assertThat(history.path("entries")).hasSize(1);
    assertThat(history.path("entries").get(0).path("txId").asText()).isEqualTo(txId);
    assertThat(history.path("entries").get(0).path("blockHeight").asLong()).isEqualTo(height);
    assertThat(client.getBlockByNumber(height, false).orElseThrow().path("timestampMillis").asLong())
        .isEqualTo(receipt.path("timestampMillis").asLong());

    CliRun verified = walletOk(rpc, aliceWallet, "alice-pw", "verify-file", image.toString(), "--validators", genesis.toString());
    assertThat(WalletRuns.firstLine(verified)).isEqualTo("verified");
    assertThat(verified.out()).contains("  notarized  block " + height + " at ").contains("tx " + txId)
        .contains("  name       disk.img (nightly image)");

    // Anyone, with only the file, the signer's address and genesis.json: here the dev account's wallet.
    JsonNode byOther = JSON.readTree(walletOk(rpc, devWallet, "devnet", "--json", "verify-file", image.toString(),
        "--signer", alice, "--validators", genesis.toString()).out());
    assertThat(byOther.path("verdict").asText()).isEqualTo("verified");
    assertThat(byOther.path("txId").asText()).isEqualTo(txId);
    assertThat(byOther.path("height").asLong()).isEqualTo(height);

    Path copy = dir.resolve("disk-copy.img");
    Files.copy(image, copy);
    try (RandomAccessFile file = new RandomAccessFile(copy.toFile(), "rw")) {
      file.seek(FILE_BYTES / 2);
      file.write('A');
    }
    CliRun changed = wallet(rpc, aliceWallet, "alice-pw", "verify-file", copy.toString(), "--validators", genesis.toString());
    assertThat(changed.exitCode()).isEqualTo(1);
    assertThat(WalletRuns.firstLine(changed)).isEqualTo("not notarized");

    CliRun devSigner = wallet(rpc, devWallet, "devnet", "--json", "verify-file", image.toString(), "--validators", genesis.toString());
    assertThat(devSigner.exitCode()).isEqualTo(1);
    assertThat(JSON.readTree(devSigner.out()).path("verdict").asText()).isEqualTo("not_notarized");

    Path strangers = dir.resolve("strangers.txt");
    Files.writeString(strangers, KeyPair.generate().publicKey().toHex() + "\n");
    CliRun untrusted = wallet(rpc, aliceWallet, "alice-pw", "verify-file", image.toString(), "--validators", strangers.toString());
    assertThat(untrusted.exitCode()).isEqualTo(1);
    assertThat(WalletRuns.firstLine(untrusted)).isEqualTo("proof failed: validator_set");

    CliRun again = walletOk(rpc, aliceWallet, "alice-pw", "notarize", image.toString());
    assertThat(WalletRuns.firstLine(again)).startsWith("already notarized");
    assertThat(again.out()).contains(txId);
  }

  private static String sha256(Path file) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    try (var in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 16];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        sha.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(sha.digest());
  }
}
