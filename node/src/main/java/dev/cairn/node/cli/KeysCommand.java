package dev.cairn.node.cli;

import dev.cairn.ledger.crypto.KeyFiles;
import dev.cairn.ledger.crypto.KeyPair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    description = "Generate or show a node key (Ed25519; also the validator key and the libp2p identity).",
    subcommands = {KeysCommand.Generate.class, KeysCommand.Show.class})
final class KeysCommand implements Runnable {
  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  static void print(KeyPair key, Path file) {
    System.out.println("key file:   " + file);
    System.out.println("public key: " + key.publicKey().toHex());
    System.out.println("address:    " + key.address().toText());
  }

  @Command(name = "generate", mixinStandardHelpOptions = true, description = "Write a new node key file (mode 0600).")
  static final class Generate implements Callable<Integer> {
    @Option(names = "--out", defaultValue = "node.key", description = "Key file to create (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() {
      if (Files.exists(out)) {
        System.err.println("error: " + out + " already exists; refusing to overwrite a key (move it away first)");
        return 1;
      }
      KeyPair key = KeyPair.generate();
      KeyFiles.writeNodeKey(out, key);
      print(key, out);
      return 0;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Print the public key and address of a key file.")
  static final class Show implements Callable<Integer> {
    @Option(names = "--key", defaultValue = "node.key", description = "Key file to read (default: ${DEFAULT-VALUE}).")
    Path key;

    @Override
    public Integer call() {
      if (!Files.exists(key)) {
        System.err.println("error: no key file at " + key + "; create one with `cairn keys generate --out " + key + "`");
        return 1;
      }
      print(KeyFiles.readNodeKey(key), key);
      return 0;
    }
  }
}
