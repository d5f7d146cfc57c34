package dev.cairn.wallet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.cairn.ledger.crypto.Address;
import dev.cairn.rpc.client.RpcClient;
import java.io.PrintWriter;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Read-only commands: balance, tx, block, record get. */
final class QueryCommands {
  private QueryCommands() {}

  static WalletCli wallet(CommandSpec spec) {
    return (WalletCli) spec.root().userObject();
  }

  static void printJsonOrText(PrintWriter out, boolean json, JsonNode node, String text) {
    out.println(json ? node.toString() : text);
  }

  /** The first present field among {@code names}, as text; the node's field names are in docs/json-rpc.md. */
  static String field(JsonNode node, String... names) {
    for (String name : names) {
      JsonNode value = node.get(name);
      if (value != null && !value.isNull()) {
        return value.asText();
      }
    }
    return "?";
  }

  /** A receipt's {@code status} is "success" or "failed" (docs/json-rpc.md); code 0 ("ok") is success too. */
  static boolean succeeded(JsonNode receipt) {
    JsonNode status = receipt.get("status");
    if (status != null && status.isTextual()) {
      return "success".equals(status.asText());
    }
    JsonNode code = receipt.get("code");
    return code != null && code.canConvertToInt() && code.asInt() == 0;
  }

  static String describeCode(JsonNode receipt) {
    String code = field(receipt, "codeName", "code", "status");
    String description = field(receipt, "description", "message");
    return "?".equals(description) ? code : code + " (" + description + ")";
  }

  static void printReceipt(PrintWriter out, boolean json, String txId, JsonNode receipt) {
    if (json) {
      out.println(receipt);
      return;
    }
    out.println((succeeded(receipt) ? "final: " : "final but FAILED: ") + txId);
    out.println("  block  " + field(receipt, "blockNumber", "blockHeight", "height") + " " + field(receipt, "blockHash"));
    out.println("  status " + describeCode(receipt));
  }

  @Command(name = "balance", description = "Show an account's balance, nonce and roles (default: your own key).")
  static final class Balance implements Runnable {
    @Spec CommandSpec spec;
    @Parameters(index = "0", arity = "0..1", paramLabel = "ADDRESS") String address;

    @Override
    public void run() {
      WalletCli wallet = wallet(spec);
      Address target = address != null ? Address.parse(address) : wallet.keystores().select(wallet.from()).address();
      JsonNode account = wallet.client().getAccount(target).json();
      printJsonOrText(spec.commandLine().getOut(), wallet.json, account,
          target + "\n  balance " + field(account, "balance") + "\n  nonce   " + field(account, "nonce")
              + "\n  roles   " + account.path("roles"));
    }
  }

  @Command(name = "tx", description = {"Show a transaction and, once final, its receipt.",
      "Exits 1 when the transaction was included but failed; with --json prints one JSON object."})
  static final class Tx implements Runnable {
    @Spec CommandSpec spec;
    @Parameters(index = "0", paramLabel = "TX_ID") String txId;

    @Override
    public void run() {
      WalletCli wallet = wallet(spec);
      RpcClient client = wallet.client();
      JsonNode tx = client.getTransaction(txId)
          .orElseThrow(() -> new IllegalArgumentException("the node knows no transaction " + txId));
      JsonNode receipt = client.getReceipt(txId).orElse(NullNode.getInstance());
      PrintWriter out = spec.commandLine().getOut();
      if (wallet.json) {
        out.println(KeyCommands.JSON.createObjectNode().<com.fasterxml.jackson.databind.node.ObjectNode>set("transaction", tx).set("receipt", receipt));
        out.flush();
        failIfFailed(receipt);
        return;
      }
      printTransaction(out, tx);
      if (receipt == null || receipt.isNull()) {
        out.println("pending: not final yet");
        return;
      }
      printReceipt(out, false, txId, receipt);
      failIfFailed(receipt);
    }

    private void failIfFailed(JsonNode receipt) {
      if (receipt != null && !receipt.isNull() && !succeeded(receipt)) {
        throw new picocli.CommandLine.ExecutionException(spec.commandLine(),
            "transaction " + txId + " was included but failed: " + describeCode(receipt));
      }
    }

    /** Plain text, one field per line (the payload's fields indented under it); --json gives the node's JSON. */
    private static void printTransaction(PrintWriter out, JsonNode tx) {
      out.println("transaction " + field(tx, "id"));
      out.println("  from    " + field(tx, "from") + " (nonce " + field(tx, "nonce") + ")");
      out.println("  kind    " + field(tx, "kind"));
      tx.path("payload").fields().forEachRemaining(e ->
          out.println("    " + e.getKey() + " " + (e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString())));
      out.println("  chain   " + field(tx, "chainId"));
    }
  }

  @Command(name = "block", description = "Show a block by height, or 'latest'.")
  static final class Block implements Runnable {
    @Spec CommandSpec spec;
    @Parameters(index = "0", paramLabel = "N|latest") String which;

    @Override
    public void run() {
      WalletCli wallet = wallet(spec);
      RpcClient client = wallet.client();
      JsonNode block = ("latest".equals(which) ? client.getLatestBlock(false) : client.getBlockByNumber(parseHeight(which), false))
          .orElseThrow(() -> new IllegalArgumentException("no block " + which + " yet"));
      spec.commandLine().getOut().println(wallet.json ? block.toString() : block.toPrettyString());
    }

    private static long parseHeight(String text) {
      try {
        long height = Long.parseLong(text);
        if (height < 0) {
          throw new NumberFormatException();
        }
        return height;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("block: say a height (0, 1, ...) or 'latest', not '" + text + "'");
      }
    }
  }

  @Command(name = "get", description = "Read the record KEY under OWNER's namespace (default owner: your own key).")
  static final class RecordGet implements Runnable {
    @Spec CommandSpec spec;
    @Parameters(index = "0", paramLabel = "KEY") String key;
    @Parameters(index = "1", arity = "0..1", paramLabel = "OWNER") String owner;

    @Override
    public void run() {
      WalletCli wallet = wallet(spec);
      Address who = owner != null ? Address.parse(owner) : wallet.keystores().select(Optional.ofNullable(wallet.from)).address();
      JsonNode record = wallet.client().getRecord(who, key)
          .orElseThrow(() -> new IllegalArgumentException("no record '" + key + "' under " + who));
      spec.commandLine().getOut().println(wallet.json ? record.toString() : record.toPrettyString());
    }
  }
}
