package dev.cairn.wallet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.ledger.codec.TransactionCodec;
import dev.cairn.ledger.crypto.Address;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.model.Payload;
import dev.cairn.ledger.model.Transaction;
import dev.cairn.rpc.client.RpcClient;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code wallet notarize FILE}: hashes the file in constant memory and records its digest, size, name and
 * description under the sender's record {@code notary/sha256/<digest>}, then waits for finality and prints the
 * receipt with the block's height and time. A file the sender already notarized is not sent again: the
 * command prints when it was (the first time counts; a second put would only add a later date).
 */
@Command(name = "notarize",
    description = {
      "Record FILE's SHA-256, size and name under your record notary/sha256/<digest>, wait until final and",
      "print the receipt (block height, block time, tx id). The file is streamed: any size, constant memory.",
      "Anyone with the file and your address checks it with 'wallet verify-file'."
    })
final class NotarizeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "The file to notarize (it is hashed, never sent).")
  Path file;

  @Option(names = "--name", paramLabel = "NAME",
      description = "What to call the file in the record (default: its file name; at most 256 UTF-8 bytes).")
  String name;

  @Option(names = "--description", paramLabel = "TEXT", defaultValue = "",
      description = "Free text recorded with it (at most 1024 UTF-8 bytes, no control characters).")
  String description;

  @Option(names = "--wait", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Wait until the transaction is final and print its receipt (default; --no-wait only submits).")
  boolean waitFinal;

  @Override
  public Integer call() {
    WalletCli wallet = QueryCommands.wallet(spec);
    String label = name != null ? name : defaultName(file);
    // Checked before the file is read: a bad name should not cost a 4 GiB hash first.
    Notarization.checkText(name != null ? "--name" : "the file name (set --name)", label, Notarization.NAME_BYTES_MAX);
    Notarization.checkText("--description", description, Notarization.DESCRIPTION_BYTES_MAX);
    Keystore keystore = wallet.keystores().select(wallet.from());
    Address signer = keystore.address();
    RpcClient client = wallet.client();
    String chainId = client.chainId();
    KeyPair key = keystore.decrypt(wallet.passwords().read("password for " + signer));
    boolean showProgress = !wallet.json && FinalityWait.onTerminal();
    FileDigest digest = FileDigest.of(file, HashProgress.on(spec.commandLine().getErr(), showProgress, label));
    Notarization notarization = new Notarization(digest.sha256(), digest.sizeBytes(), label, description);
    PrintWriter out = spec.commandLine().getOut();

    Optional<FileVerifier.Entry> earlier = alreadyNotarized(client, signer, digest);
    if (earlier.isPresent()) {
      FileVerifier.Entry entry = earlier.get();
      print(out, wallet.json, "already_notarized", entry.notarization(), signer, "0x" + entry.txId().toHex(),
          Optional.of(new Inclusion(entry.height(), "0x" + entry.blockHash().toHex(), entry.timestampMillis())));
      return 0;
    }

    long nonce = client.getAccount(signer).nextNonce();
    Transaction tx = Transaction.sign(chainId, key, nonce,
        new Payload.RecordPut(notarization.recordKey(), NotarizationCodec.encode(notarization)));
    String txId = client.sendTransaction(TransactionCodec.encode(tx));
    if (!waitFinal) {
      print(out, wallet.json, "submitted", notarization, signer, txId, Optional.empty());
      return 0;
    }
    JsonNode receipt = FinalityWait.await(client, txId, wallet.timeoutSeconds, spec.commandLine().getErr(), showProgress);
    if (!QueryCommands.succeeded(receipt)) {
      throw new CommandLine.ExecutionException(spec.commandLine(),
          "notarization " + txId + " was included but failed: " + QueryCommands.describeCode(receipt));
    }
    long height = receipt.path("blockHeight").asLong(-1);
    long timestampMillis = height < 0 ? -1
        : client.getBlockByNumber(height, false).map(b -> b.path("timestampMillis").asLong(-1)).orElse(-1L);
    print(out, wallet.json, "notarized", notarization, signer, txId,
        Optional.of(new Inclusion(height, QueryCommands.field(receipt, "blockHash"), timestampMillis)));
    return 0;
  }

  /** The node's word (no proof: this only spares a second transaction); empty when not yet notarized. */
  private static Optional<FileVerifier.Entry> alreadyNotarized(RpcClient client, Address signer, FileDigest digest) {
    Optional<JsonNode> record = client.getRecord(signer, Notarization.recordKey(digest.sha256()));
    if (record.isEmpty() || !record.get().path("value").isTextual()) {
      return Optional.empty();
    }
    try {
      if (FileVerifier.mismatch(ProofVerifier.hex(record.get(), "value"), digest) != null) {
        return Optional.empty();
      }
      return FileVerifier.oldestEntry(FileVerifier.Node.of(client), signer, digest);
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // an answer that is not a history page: send, as if the file were new
    }
  }

  static String defaultName(Path file) {
    Path fileName = file.getFileName();
    return fileName == null ? "" : fileName.toString();
  }

  /** Where the notarizing transaction is final, as the node reports it; -1 for a time it did not give. */
  private record Inclusion(long height, String blockHash, long timestampMillis) {}

  private void print(PrintWriter out, boolean json, String status, Notarization n, Address signer, String txId,
      Optional<Inclusion> inclusion) {
    if (json) {
      ObjectNode node = KeyCommands.JSON.createObjectNode().put("status", status).put("file", file.toString())
          .put("name", n.name()).put("description", n.description()).put("algorithm", "sha256")
          .put("digest", n.digest().toHex()).put("size", n.sizeBytes()).put("key", n.recordKey())
          .put("signer", signer.toText()).put("txId", txId);
      inclusion.ifPresent(i -> node.put("height", i.height()).put("blockHash", i.blockHash())
          .put("timestampMillis", i.timestampMillis()));
      out.println(node);
      return;
    }
    out.println(switch (status) {
      case "notarized" -> "notarized " + file;
      case "already_notarized" -> "already notarized " + file + " (not sent again; this is the first time)";
      default -> "submitted " + file + " (not final yet: 'wallet tx " + txId + "')";
    });
    out.println("  sha256  " + n.digest().toHex());
    out.println("  size    " + n.sizeBytes() + " bytes");
    out.println("  name    " + n.name() + (n.description().isEmpty() ? "" : " (" + n.description() + ")"));
    out.println("  record  " + n.recordKey() + " under " + signer);
    out.println("  tx      " + txId);
    inclusion.ifPresent(i -> {
      out.println("  block   " + i.height() + " " + i.blockHash());
      out.println("  time    " + (i.timestampMillis() >= 0 ? Instant.ofEpochMilli(i.timestampMillis()).toString() : "?"));
    });
  }
}
