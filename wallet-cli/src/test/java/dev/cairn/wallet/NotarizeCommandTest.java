package dev.cairn.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.ledger.crypto.KeyFiles;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.state.StateKeys;
import dev.cairn.ledger.testing.Fixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code wallet notarize} and {@code wallet verify-file} as a user runs them, over JSON-RPC against a node
 * whose answers come from the real state transition ({@link NotaryChain}): the record written, the receipt
 * printed, a second run that sends nothing, the verdicts for the file, a changed copy and another signer,
 * a lying node, and the exit codes the docs promise. Output is captured, so no progress line may appear.
 */
class NotarizeCommandTest {
  /** One keystore for all tests: each decrypt costs a scrypt run. */
  @TempDir static Path wallet;
  @TempDir Path dir;
  private final KeyPair alice = Fixtures.key("alice");
  private NotaryChain node;
  private NotaryChain.Server server;
  private Path validators;

  record Run(int exitCode, String out, String err) {
    String firstLine() {
      return out.lines().findFirst().orElse("");
    }
  }

  @BeforeAll
  static void importAlice() throws Exception {
    KeyFiles.writeNodeKey(wallet.resolve("alice.key"), Fixtures.key("alice"));
    Files.writeString(wallet.resolve("password.txt"), "alice-pw\n");
    Run imported = runIn(null, "import", "--key-file", wallet.resolve("alice.key").toString());
    assertThat(imported.exitCode()).as(imported.err()).isZero();
  }

  @BeforeEach
  void startNode() throws Exception {
    node = new NotaryChain();
    server = node.serve();
    validators = dir.resolve("validators.txt");
    Files.writeString(validators, String.join("\n", node.chain.validatorKeys().stream().map(k -> k.publicKey().toHex()).toList()));
  }

  @AfterEach
  void stopNode() {
    server.close();
  }

  private static Run runIn(NotaryChain.Server server, String... args) {
    List<String> all = new ArrayList<>(List.of("--wallet-dir", wallet.resolve("wallet").toString(),
        "--password-file", wallet.resolve("password.txt").toString()));
    if (server != null) {
      all.addAll(List.of("--rpc", server.uri().toString()));
    }
    all.addAll(List.of(args));
    var cli = WalletCli.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(all.toArray(String[]::new));
    Run run = new Run(code, out.toString(), err.toString());
    assertThat(run.out() + run.err()).as("captured output holds no progress line").doesNotContain("\r");
    return run;
  }

  private Run run(String... args) {
    return runIn(server, args);
  }

  private Path file(String name, int bytes) throws Exception {
    byte[] content = new byte[bytes];
    new Random(42).nextBytes(content);
    return Files.write(dir.resolve(name), content);
  }

  @Test
  void notarizedFileVerifiesAndAChangedCopyOrAnotherSignerDoesNot() throws Exception {
    Path report = file("report.pdf", 300_000);
    FileDigest digest = FileDigest.of(report, HashProgress.NONE);

    Run notarized = run("--json", "notarize", report.toString(), "--description", "Q2 audit");
    assertThat(notarized.exitCode()).as(notarized.err()).isZero();
    JsonNode receipt = NotaryChain.JSON.readTree(notarized.out());
    assertThat(receipt.path("status").asText()).isEqualTo("notarized");
    assertThat(receipt.path("digest").asText()).isEqualTo(digest.sha256().toHex());
    assertThat(receipt.path("size").asLong()).isEqualTo(300_000);
    assertThat(receipt.path("key").asText()).isEqualTo("notary/sha256/" + digest.sha256().toHex());
    assertThat(receipt.path("name").asText()).isEqualTo("report.pdf");
    assertThat(receipt.path("height").asLong()).isEqualTo(1);
    assertThat(receipt.path("timestampMillis").asLong()).isEqualTo(node.chain.head().timestampMillis());
    assertThat(receipt.path("signer").asText()).isEqualTo(alice.address().toText());
    // What the chain holds is the canonical value, decodable by anyone from docs/formats.md.
    assertThat(NotarizationCodec.decode(node.chain.tree().get(StateKeys.record(alice.address(), receipt.path("key").asText())).orElseThrow()))
        .isEqualTo(new Notarization(digest.sha256(), 300_000, "report.pdf", "Q2 audit"));

    Run again = run("notarize", report.toString(), "--name", "another name");
    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(again.firstLine()).startsWith("already notarized " + report);
    assertThat(again.out()).contains("  tx      " + receipt.path("txId").asText()).contains("  block   1 ");
    assertThat(node.chain.head().height()).as("nothing sent the second time").isEqualTo(1);

    Run verified = run("verify-file", report.toString(), "--validators", validators.toString());
    assertThat(verified.exitCode()).as(verified.out() + verified.err()).isZero();
    assertThat(verified.firstLine()).isEqualTo("verified");
    assertThat(verified.out()).contains("  name       report.pdf (Q2 audit)")
        .contains("  notarized  block 1 at ").contains("tx " + receipt.path("txId").asText());

    Run json = run("--json", "verify-file", report.toString(), "--validators", validators.toString());
    JsonNode verdict = NotaryChain.JSON.readTree(json.out());
    assertThat(verdict.path("verdict").asText()).isEqualTo("verified");
    assertThat(verdict.path("txId").asText()).isEqualTo(receipt.path("txId").asText());
    assertThat(verdict.path("height").asLong()).isEqualTo(1);
    assertThat(verdict.path("timestampMillis").asLong()).isEqualTo(receipt.path("timestampMillis").asLong());

    byte[] bytes = Files.readAllBytes(report);
    bytes[123_456] ^= 0x01;
    Path tampered = Files.write(dir.resolve("report-copy.pdf"), bytes);
    Run changed = run("verify-file", tampered.toString(), "--validators", validators.toString());
    assertThat(changed.exitCode()).isEqualTo(1);
    assertThat(changed.firstLine()).isEqualTo("not notarized");

    Run otherSigner = run("--json", "verify-file", report.toString(), "--signer", Fixtures.key("bob").address().toText(),
        "--validators", validators.toString());
    assertThat(otherSigner.exitCode()).isEqualTo(1);
    assertThat(NotaryChain.JSON.readTree(otherSigner.out()).path("verdict").asText()).isEqualTo("not_notarized");
  }

  @Test
  void aLyingNodeEndsInProofFailedAndBadUsageExitsTwo() throws Exception {
    Path contract = file("contract.txt", 1000);
    assertThat(run("notarize", contract.toString()).exitCode()).isZero();
    node.sealers = node.chain.validatorKeys().subList(0, 1);

    Run lie = run("verify-file", contract.toString(), "--validators", validators.toString());
    assertThat(lie.exitCode()).isEqualTo(1);
    assertThat(lie.firstLine()).isEqualTo("proof failed: certificate");
    assertThat(lie.out()).contains("do not trust this node's answer");
    JsonNode json = NotaryChain.JSON.readTree(run("--json", "verify-file", contract.toString(), "--validators",
        validators.toString()).out());
    assertThat(json.path("verdict").asText()).isEqualTo("proof_failed");
    assertThat(json.path("step").asText()).isEqualTo("certificate");

    Run noValidators = run("verify-file", contract.toString());
    assertThat(noValidators.exitCode()).isEqualTo(2);
    assertThat(noValidators.err()).contains("--validators");
    Run missing = run("verify-file", dir.resolve("missing.pdf").toString(), "--validators", validators.toString());
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.err()).startsWith("error: cannot read");
    assertThat(run("verify-file", "--help").exitCode()).isZero();
  }

  @Test
  void aBadNameIsRefusedBeforeAnythingIsSentAndNoWaitOnlySubmits() throws Exception {
    Path scan = file("scan.png", 10);
    Run badName = run("notarize", scan.toString(), "--name", "two\nlines");
    assertThat(badName.exitCode()).isEqualTo(1);
    assertThat(badName.err()).startsWith("error: --name holds a control character");
    assertThat(node.chain.head().height()).isZero();

    Run submitted = run("--json", "notarize", scan.toString(), "--no-wait");
    assertThat(submitted.exitCode()).as(submitted.err()).isZero();
    JsonNode json = NotaryChain.JSON.readTree(submitted.out());
    assertThat(json.path("status").asText()).isEqualTo("submitted");
    assertThat(json.has("height")).isFalse();
    assertThat(json.path("txId").asText()).matches("0x[0-9a-f]{64}");
  }
}
