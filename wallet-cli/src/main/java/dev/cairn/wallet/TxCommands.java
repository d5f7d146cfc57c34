package dev.cairn.wallet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.ledger.bytes.Bytes;
import dev.cairn.ledger.codec.TransactionCodec;
import dev.cairn.ledger.crypto.Address;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.encoding.CodecException;
import dev.cairn.ledger.model.Payload;
import dev.cairn.ledger.model.Role;
import dev.cairn.ledger.model.Transaction;
import dev.cairn.rpc.client.RpcClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * Commands that sign a transaction. Online (the default) they fetch the chain id and the next nonce from the
 * node, send, and with --wait follow the transaction to finality. Under {@code wallet sign ...} the same
 * commands work offline: chain id and nonce come from flags and the signed transaction goes to a file that
 * {@code wallet send FILE} submits later, from any machine.
 */
final class TxCommands {
  private TxCommands() {}

  /** A signed transaction file holds the canonical encoding as 0x-hex on one line. */
  static final long TX_FILE_BYTES_MAX = 64 * 1024;

  abstract static class TxCommand implements Runnable {
    @Spec CommandSpec spec;

    @Option(names = "--wait", description = "Wait until the transaction is final and print its receipt.")
    boolean waitFinal;

    @Option(names = "--nonce", paramLabel = "N", description = "Use this nonce instead of asking the node (required offline).")
    Long nonce;

    abstract Payload payload();

    @Override
    public void run() {
      WalletCli wallet = (WalletCli) spec.root().userObject();
      Sign offline = offlineParent();
      Keystore keystore = wallet.keystores().select(wallet.from());
      if (offline != null) {
        offline.requireOptions();
        if (nonce == null) {
          throw new IllegalArgumentException("offline signing needs --nonce N (the sender's next nonce)");
        }
        KeyPair key = keystore.decrypt(wallet.passwords().read("password for " + keystore.address()));
        Transaction tx = Transaction.sign(offline.chainId, key, nonce, payload());
        writeTxFile(offline.out, tx);
        String txId = "0x" + tx.id().toHex();
        if (wallet.json) {
          ObjectNode node = KeyCommands.JSON.createObjectNode();
          node.put("txId", txId).put("file", offline.out.toString());
          spec.commandLine().getOut().println(node);
        } else {
          spec.commandLine().getOut().println("signed " + txId + " -> " + offline.out + " (submit with 'wallet send " + offline.out + "')");
        }
        return;
      }
      RpcClient client = wallet.client();
      String chainId = client.chainId();
      long useNonce = nonce != null ? nonce : client.getAccount(keystore.address()).nextNonce();
      KeyPair key = keystore.decrypt(wallet.passwords().read("password for " + keystore.address()));
      Transaction tx = Transaction.sign(chainId, key, useNonce, payload());
      Submission.submit(spec, wallet, client, TransactionCodec.encode(tx), waitFinal);
    }

    private Sign offlineParent() {
      for (CommandSpec s = spec.parent(); s != null; s = s.parent()) {
        if (s.userObject() instanceof Sign sign) {
          return sign;
        }
      }
      return null;
    }
  }

  static void writeTxFile(Path out, Transaction tx) {
    try {
      if (Files.exists(out)) {
        throw new IllegalArgumentException(out + " exists; refusing to overwrite a signed transaction");
      }
      Files.writeString(out, "0x" + TransactionCodec.encode(tx).toHex() + "\n", StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot write " + out + ": " + e.getMessage());
    }
  }

  static Bytes readTxFile(Path file) {
    try {
      if (Files.size(file) > TX_FILE_BYTES_MAX) {
        throw new IllegalArgumentException(file + " is too large to be a signed transaction");
      }
      Bytes encoded = Bytes.fromHex(Files.readString(file, StandardCharsets.US_ASCII).trim());
      TransactionCodec.decode(encoded); // refuse to send garbage: the node would refuse it anyway
      return encoded;
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
    } catch (CodecException e) {
      throw new IllegalArgumentException(file + " is not a signed Cairn transaction: " + e.getMessage());
    }
  }

  static Role role(String text) {
    try {
      return Role.valueOf(text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown role '" + text + "': use member or admin");
    }
  }

  @Command(name = "transfer", description = "Send an amount to an address.")
  static final class Transfer extends TxCommand {
    @Option(names = "--to", required = true, paramLabel = "ADDRESS") String to;
    @Option(names = "--amount", required = true, paramLabel = "N", description = "Whole units, > 0.") long amount;

    @Override
    Payload payload() {
      return new Payload.Transfer(Address.parse(to), amount);
    }
  }

  @Command(name = "record", description = "Records under your own namespace.", subcommands = {RecordPut.class, QueryCommands.RecordGet.class})
  static final class RecordGroup implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
      spec.commandLine().usage(spec.commandLine().getOut());
    }
  }

  @Command(name = "put", description = "Store VALUE (UTF-8 text, or hex with --hex; at most 4 KiB) under KEY in your namespace.")
  static final class RecordPut extends TxCommand {
    @Parameters(index = "0", paramLabel = "KEY") String key;
    @Parameters(index = "1", paramLabel = "VALUE") String value;
    @Option(names = "--hex", description = "VALUE is hex bytes.") boolean hex;

    @Override
    Payload payload() {
      Bytes bytes = hex ? Bytes.fromHex(value) : Bytes.wrap(value.getBytes(StandardCharsets.UTF_8));
      return new Payload.RecordPut(key, bytes);
    }
  }

  @Command(name = "grant", description = "Admin only: give ROLE (member|admin) to ACCOUNT.")
  static final class Grant extends TxCommand {
    @Option(names = "--account", required = true, paramLabel = "ADDRESS") String account;
    @Option(names = "--role", required = true, paramLabel = "ROLE") String role;

    @Override
    Payload payload() {
      return new Payload.RoleGrant(Address.parse(account), role(role));
    }
  }

  @Command(name = "revoke", description = "Admin only: take ROLE (member|admin) from ACCOUNT.")
  static final class Revoke extends TxCommand {
    @Option(names = "--account", required = true, paramLabel = "ADDRESS") String account;
    @Option(names = "--role", required = true, paramLabel = "ROLE") String role;

    @Override
    Payload payload() {
      return new Payload.RoleRevoke(Address.parse(account), role(role));
    }
  }

  @Command(name = "vote-validator", description = "Validators only: vote to add or remove a validator (by its public key, hex).")
  static final class VoteValidator extends TxCommand {
    @Parameters(index = "0", paramLabel = "add|remove") String action;
    @Parameters(index = "1", paramLabel = "PUBLIC_KEY") String publicKey;

    @Override
    Payload payload() {
      Payload.VoteAction vote = switch (action.toLowerCase(Locale.ROOT)) {
        case "add" -> Payload.VoteAction.ADD;
        case "remove" -> Payload.VoteAction.REMOVE;
        default -> throw new IllegalArgumentException("vote-validator: say add or remove, not '" + action + "'");
      };
      return new Payload.ValidatorVote(PublicKey.fromHex(publicKey), vote);
    }
  }

  @Command(
      name = "sign",
      description = "Sign offline: write a signed transaction to a file instead of sending it (no node needed).",
      subcommands = {Transfer.class, RecordPut.class, Grant.class, Revoke.class, VoteValidator.class})
  static final class Sign implements Runnable {
    @Spec CommandSpec spec;

    // Checked when signing rather than by picocli, so that 'wallet sign put --help' shows help instead of failing.
    @Option(names = "--chain-id", paramLabel = "ID", description = "Required: the chain to sign for (replay protection).")
    String chainId;

    @Option(names = "--out", paramLabel = "FILE", description = "Required: where to write the signed transaction.")
    Path out;

    void requireOptions() {
      if (chainId == null || out == null) {
        throw new CommandLine.ParameterException(spec.commandLine(), "offline signing needs --chain-id ID and --out FILE");
      }
    }

    @Override
    public void run() {
      throw new CommandLine.ParameterException(spec.commandLine(), "say what to sign: transfer, put, grant, revoke or vote-validator");
    }
  }

  @Command(name = "send", description = "Submit a signed transaction file (from 'wallet sign').")
  static final class Send implements Runnable {
    @Spec CommandSpec spec;
    @Parameters(index = "0", paramLabel = "FILE") Path file;
    @Option(names = "--wait", description = "Wait until the transaction is final and print its receipt.") boolean waitFinal;

    @Override
    public void run() {
      WalletCli wallet = (WalletCli) spec.root().userObject();
      Submission.submit(spec, wallet, wallet.client(), readTxFile(file), waitFinal);
    }
  }

  /** Shared by every online command: submit, print the id, optionally follow to finality. */
  static final class Submission {
    private Submission() {}

    static void submit(CommandSpec spec, WalletCli wallet, RpcClient client, Bytes encoded, boolean waitFinal) {
      String txId = client.sendTransaction(encoded);
      PrintWriter out = spec.commandLine().getOut();
      if (!waitFinal) {
        if (wallet.json) {
          ObjectNode node = KeyCommands.JSON.createObjectNode();
          node.put("txId", txId);
          out.println(node);
        } else {
          out.println("submitted " + txId);
        }
        return;
      }
      JsonNode receipt = FinalityWait.await(client, txId, wallet.timeoutSeconds, spec.commandLine().getErr(),
          !wallet.json && FinalityWait.onTerminal());
      QueryCommands.printReceipt(out, wallet.json, txId, receipt);
      if (!QueryCommands.succeeded(receipt)) {
        throw new CommandLine.ExecutionException(spec.commandLine(),
            "transaction " + txId + " was included but failed: " + QueryCommands.describeCode(receipt));
      }
    }
  }

}
