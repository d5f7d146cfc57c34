package dev.cairn.wallet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.ledger.crypto.Address;
import dev.cairn.rpc.client.RpcClient;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code wallet history}: an account's finalized transactions newest first (cairn_getAccountHistory), or
 * with {@code --record KEY} the values a record took (cairn_getRecordHistory), a page at a time. The last
 * line names the cursor that continues where the output stopped.
 */
@Command(name = "history",
    description = {
      "Show an account's transactions, newest first (default: your own key): sent, received, and role or",
      "validator changes naming it, failed ones included. With --record KEY: every value the record took.",
      "Prints --pages pages of --limit entries, then the --cursor to continue with."
    })
final class HistoryCommand implements Callable<Integer> {
  /** Enough to scroll through a busy account in one go, bounded so that a typo cannot loop for hours. */
  static final int PAGES_MAX = 1_000;

  @Spec CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "ADDRESS", description = "Account (or record owner); default: your own key.")
  String address;

  @Option(names = "--record", paramLabel = "KEY", description = "Show the values of record KEY under ADDRESS instead.")
  String recordKey;

  @Option(names = "--limit", paramLabel = "N", description = "Entries per page (default: the node's page size).")
  Integer limit;

  @Option(names = "--pages", paramLabel = "N", defaultValue = "1", description = "Pages to fetch (default ${DEFAULT-VALUE}).")
  int pages;

  @Option(names = "--cursor", paramLabel = "CURSOR", description = "Continue after this cursor (printed by an earlier run).")
  String cursor;

  @Override
  public Integer call() {
    if (pages < 1 || pages > PAGES_MAX) {
      throw new IllegalArgumentException("--pages must be 1.." + PAGES_MAX);
    }
    WalletCli wallet = QueryCommands.wallet(spec);
    Address target = address != null ? Address.parse(address) : wallet.keystores().select(wallet.from()).address();
    RpcClient client = wallet.client();
    PrintWriter out = spec.commandLine().getOut();
    Optional<String> next = Optional.ofNullable(cursor);
    OptionalInt size = limit == null ? OptionalInt.empty() : OptionalInt.of(limit);
    for (int page = 0; page < pages; page++) {
      JsonNode answer = recordKey == null
          ? client.getAccountHistory(target, next, size)
          : client.getRecordHistory(target, recordKey, next, size);
      if (wallet.json) {
        out.println(answer);
      } else {
        for (JsonNode entry : answer.path("entries")) {
          out.println(recordKey == null ? describeActivity(target, entry) : describeChange(entry));
        }
      }
      JsonNode nextCursor = answer.path("nextCursor");
      next = nextCursor.isTextual() ? Optional.of(nextCursor.asText()) : Optional.empty();
      if (next.isEmpty()) {
        break;
      }
    }
    if (!wallet.json) {
      out.println(next.map(c -> "more: --cursor " + c).orElse("(end of history)"));
    }
    return 0;
  }

  private static String position(JsonNode entry) {
    return String.format("%8s/%-4s %s", QueryCommands.field(entry, "blockHeight"), QueryCommands.field(entry, "index"),
        Instant.ofEpochMilli(entry.path("timestampMillis").asLong()));
  }

  /** One line: where and when, what, with whom, and how it ended. */
  static String describeActivity(Address account, JsonNode entry) {
    JsonNode tx = entry.path("transaction");
    JsonNode payload = tx.path("payload");
    String kind = tx.path("kind").asText("?");
    boolean sent = account.toText().equals(tx.path("from").asText());
    String what = switch (kind) {
      case "transfer" -> sent && account.toText().equals(payload.path("to").asText())
          ? "transfer " + payload.path("amount").asText() + " to self"
          : sent ? "sent " + payload.path("amount").asText() + " to " + payload.path("to").asText()
              : "received " + payload.path("amount").asText() + " from " + tx.path("from").asText();
      case "record_put" -> "record put '" + payload.path("key").asText() + "'";
      case "role_grant", "role_revoke" -> kind + " " + payload.path("role").asText() + " "
          + (sent ? "to " + payload.path("account").asText() : "by " + tx.path("from").asText());
      case "validator_vote" -> "validator_vote " + payload.path("action").asText() + " "
          + payload.path("validator").asText() + (sent ? "" : " by " + tx.path("from").asText());
      default -> kind;
    };
    String status = "success".equals(entry.path("status").asText()) ? "" : "  FAILED (" + entry.path("codeName").asText() + ")";
    return position(entry) + "  " + what + status + "  " + QueryCommands.field(entry, "txId");
  }

  static String describeChange(JsonNode entry) {
    return position(entry) + "  " + QueryCommands.field(entry, "value") + "  " + QueryCommands.field(entry, "txId");
  }
}
