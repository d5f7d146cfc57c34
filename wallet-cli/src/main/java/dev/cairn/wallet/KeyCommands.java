package dev.cairn.wallet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.ledger.crypto.KeyFiles;
import dev.cairn.ledger.crypto.KeyPair;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Key management: new, list, import, export, address. None of these talk to a node. */
final class KeyCommands {
  private KeyCommands() {}

  static final ObjectMapper JSON = new ObjectMapper();

  static void printKey(CommandSpec spec, boolean json, String verb, Keystore keystore, Path file) {
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      ObjectNode node = JSON.createObjectNode();
      node.put("address", keystore.address().toText());
      node.put("publicKey", keystore.publicKey().toHex());
      if (file != null) {
        node.put("file", file.toString());
      }
      out.println(node);
    } else {
      out.println(verb + " " + keystore.address().toText());
      out.println("  public key " + keystore.publicKey().toHex());
      if (file != null) {
        out.println("  keystore   " + file);
      }
    }
  }

  @Command(name = "new", description = "Create a new Ed25519 key in an encrypted keystore (scrypt + AES-256-GCM).")
  static final class New implements Runnable {
    @ParentCommand WalletCli wallet;
    @Spec CommandSpec spec;

    @Override
    public void run() {
      char[] password = wallet.passwords().read("password for the new key", true);
      Keystore keystore = Keystore.encrypt(KeyPair.generate(), password, Keystore.ScryptParams.STANDARD);
      Path file = wallet.keystores().save(keystore);
      printKey(spec, wallet.json, "created", keystore, file);
    }
  }

  @Command(name = "list", description = "List the addresses in the keystore directory.")
  static final class ListKeys implements Runnable {
    @ParentCommand WalletCli wallet;
    @Spec CommandSpec spec;

    @Override
    public void run() {
      List<Keystore> all = wallet.keystores().list();
      PrintWriter out = spec.commandLine().getOut();
      if (wallet.json) {
        ArrayNode array = JSON.createArrayNode();
        all.forEach(k -> array.add(k.address().toText()));
        out.println(array);
      } else if (all.isEmpty()) {
        out.println("no keys in " + wallet.keystores().path() + "; create one with 'wallet new'");
      } else {
        all.forEach(k -> out.println(k.address().toText()));
      }
    }
  }

  @Command(name = "import", description = "Import a raw Ed25519 seed (a key file of 64 hex digits, as 'cairn keys' and devnet write) into the keystore.")
  static final class Import implements Runnable {
    @ParentCommand WalletCli wallet;
    @Spec CommandSpec spec;

    @Option(names = "--key-file", required = true, paramLabel = "FILE", description = "File holding the 32-byte seed as 64 hex digits.")
    Path keyFile;

    @Override
    public void run() {
      KeyPair key = KeyFiles.readNodeKey(keyFile);
      char[] password = wallet.passwords().read("password to encrypt the imported key", true);
      Keystore keystore = Keystore.encrypt(key, password, Keystore.ScryptParams.STANDARD);
      Path file = wallet.keystores().save(keystore);
      printKey(spec, wallet.json, "imported", keystore, file);
    }
  }

  @Command(name = "export", description = "Write a key's raw seed to a new owner-only file (for backups or other tools).")
  static final class Export implements Runnable {
    @ParentCommand WalletCli wallet;
    @Spec CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the seed (refuses to overwrite).")
    Path out;

    @Override
    public void run() {
      Keystore keystore = wallet.keystores().select(wallet.from());
      KeyPair key = keystore.decrypt(wallet.passwords().read("password for " + keystore.address()));
      KeyFiles.writeNodeKey(out, key);
      spec.commandLine().getOut().println("exported " + keystore.address() + " to " + out + " (mode 0600; keep it secret)");
    }
  }

  @Command(name = "address", description = "Print the address of the selected key.")
  static final class ShowAddress implements Runnable {
    @ParentCommand WalletCli wallet;
    @Spec CommandSpec spec;

    @Override
    public void run() {
      Keystore keystore = wallet.keystores().select(wallet.from());
      if (wallet.json) {
        printKey(spec, true, "", keystore, null);
      } else {
        spec.commandLine().getOut().println(keystore.address().toText());
      }
    }
  }
}
