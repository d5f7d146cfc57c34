package dev.cairn.wallet;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.ledger.crypto.Address;
import dev.cairn.ledger.model.ValidatorSet;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code wallet verify-file FILE}: hashes the file and checks, trusting only the validator set in
 * {@code --validators}, whether the signer notarized it, when (block height and time of the transaction that
 * did) and under what name ({@link FileVerifier}). The first output line is the verdict.
 */
@Command(name = "verify-file",
    description = {
      "Hash FILE and check that --signer (default: your own key) notarized it ('wallet notarize'), trusting",
      "only the validator set in --validators: the record's state proof and the inclusion proof of the",
      "transaction that wrote it. First line: verified | not notarized | mismatch | proof failed: STEP.",
      "Exit code 0 = verified, 1 = not verified (or bad input), 2 = bad usage, 3 = node unreachable or refused."
    })
final class VerifyFileCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "The file to check (it is hashed, never sent).")
  Path file;

  @Option(names = "--signer", paramLabel = "ADDRESS", description = "Who notarized it (default: your own key).")
  String signer;

  @Option(names = "--validators", required = true, paramLabel = "FILE",
      description = "The TRUSTED validator set: a genesis.json, or hex Ed25519 public keys one per line (# comments).")
  Path validatorsFile;

  @Override
  public Integer call() {
    WalletCli wallet = QueryCommands.wallet(spec);
    ValidatorSet trusted = ProofCommand.readValidators(validatorsFile);
    Address who = signer != null ? Address.parse(signer) : wallet.keystores().select(wallet.from()).address();
    boolean showProgress = !wallet.json && FinalityWait.onTerminal();
    FileDigest digest = FileDigest.of(file, HashProgress.on(spec.commandLine().getErr(), showProgress,
        NotarizeCommand.defaultName(file)));
    FileVerifier.Verdict verdict = FileVerifier.verify(FileVerifier.Node.of(wallet.client()), who, digest, trusted);
    PrintWriter out = spec.commandLine().getOut();
    if (wallet.json) {
      out.println(json(verdict, who, digest));
    } else {
      printText(out, verdict, who, digest);
    }
    return verdict instanceof FileVerifier.Verdict.Verified ? 0 : 1;
  }

  /** The verdict's one word (or two) as the first output line and in --json. */
  static String verdictName(FileVerifier.Verdict verdict) {
    return switch (verdict) {
      case FileVerifier.Verdict.Verified v -> "verified";
      case FileVerifier.Verdict.NotNotarized n -> "not notarized";
      case FileVerifier.Verdict.Mismatch m -> "mismatch";
      case FileVerifier.Verdict.ProofFailed p -> "proof failed";
    };
  }

  private static String step(FileVerifier.Verdict.ProofFailed failed) {
    return failed.step().name().toLowerCase(Locale.ROOT);
  }

  private ObjectNode json(FileVerifier.Verdict verdict, Address who, FileDigest digest) {
    ObjectNode node = KeyCommands.JSON.createObjectNode().put("verdict", verdictName(verdict).replace(' ', '_'))
        .put("file", file.toString()).put("algorithm", "sha256").put("digest", digest.sha256().toHex())
        .put("size", digest.sizeBytes()).put("key", Notarization.recordKey(digest.sha256())).put("signer", who.toText());
    switch (verdict) {
      case FileVerifier.Verdict.Verified v -> node.put("name", v.notarization().name())
          .put("description", v.notarization().description()).put("txId", "0x" + v.txId().toHex())
          .put("height", v.header().height()).put("blockHash", "0x" + v.header().hash().toHex())
          .put("timestampMillis", v.header().timestampMillis()).put("stateHeight", v.stateHeight());
      case FileVerifier.Verdict.NotNotarized n -> node.put("stateHeight", n.stateHeight());
      case FileVerifier.Verdict.Mismatch m -> node.put("stateHeight", m.stateHeight()).put("detail", m.detail());
      case FileVerifier.Verdict.ProofFailed p -> node.put("step", step(p)).put("detail", p.detail());
    }
    return node;
  }

  private void printText(PrintWriter out, FileVerifier.Verdict verdict, Address who, FileDigest digest) {
    String key = Notarization.recordKey(digest.sha256());
    out.println(verdict instanceof FileVerifier.Verdict.ProofFailed p ? "proof failed: " + step(p) : verdictName(verdict));
    out.println("  file       " + file + " (" + digest.sizeBytes() + " bytes)");
    out.println("  sha256     " + digest.sha256().toHex());
    out.println("  signer     " + who);
    switch (verdict) {
      case FileVerifier.Verdict.Verified v -> {
        out.println("  name       " + v.notarization().name()
            + (v.notarization().description().isEmpty() ? "" : " (" + v.notarization().description() + ")"));
        out.println("  notarized  block " + v.header().height() + " at "
            + Instant.ofEpochMilli(v.header().timestampMillis()) + ", tx 0x" + v.txId().toHex());
        out.println("  block hash " + v.header().hash().toHex());
        out.println("  record     " + key + " still holds it at block " + v.stateHeight());
        out.println("  checked    record state proof and transaction inclusion proof, each certified by a quorum");
        out.println("             of the trusted validators");
      }
      case FileVerifier.Verdict.NotNotarized n -> out.println("  record     " + key
          + " is absent at block " + n.stateHeight() + " (absence proven against the trusted validators)");
      case FileVerifier.Verdict.Mismatch m -> {
        out.println("  record     " + key + " at block " + m.stateHeight() + " (proven) does not describe this file");
        out.println("  because    " + m.detail());
      }
      case FileVerifier.Verdict.ProofFailed p -> {
        out.println("  because    " + p.detail());
        out.println("  do not trust this node's answer");
      }
    }
  }
}
