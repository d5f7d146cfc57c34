package dev.cairn.genesis.network;

import dev.cairn.genesis.GenesisAccount;
import dev.cairn.genesis.GenesisBlock;
import dev.cairn.genesis.GenesisConfig;
import dev.cairn.genesis.GenesisException;
import dev.cairn.genesis.GenesisWriter;
import dev.cairn.ledger.crypto.KeyFiles;
import dev.cairn.ledger.crypto.KeyPair;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.model.Role;
import dev.cairn.p2p.identity.PeerId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Generates a local network, the operator's starting point for a development or test chain:
 *
 * <pre>
 * DIR/genesis.json            the chain: validators, observers, consensus parameters, the dev account
 * DIR/dev-account.key         the dev account's Ed25519 seed (hex, mode 0600, NOT encrypted)
 * DIR/node-i/node.key         node i's Ed25519 seed (hex, mode 0600): validators are node-0..node-(N-1)
 * DIR/node-i/config.toml      node i's config: ports, genesis and key paths, bootnodes = every other validator
 * DIR/node-i/genesis.json     a copy of the genesis, only for a network placed on hosts: then each node
 *                             directory is all its host needs
 * </pre>
 *
 * Nothing is overwritten: the generator refuses a directory that already holds any of these files.
 */
public final class NetworkGenerator {
  public static final String GENESIS_FILE = "genesis.json";
  public static final String DEV_ACCOUNT_KEY_FILE = "dev-account.key";
  public static final String NODE_KEY_FILE = "node.key";
  /**
   * Each node's libp2p key, in its data dir where the node looks by default (node.p2p-key-file): written here so
   * that bootnode and observer entries name the peer ID the node will have. Apart from the node key, which
   * only signs the binding (docs/security.md).
   */
  public static final String P2P_KEY_FILE = "data/p2p.key";
  public static final String CONFIG_FILE = "config.toml";

  private final Supplier<KeyPair> keys;

  /** Keys from {@code keys}: {@link KeyPair#generate} for real use, a seeded source in tests. */
  public NetworkGenerator(Supplier<KeyPair> keys) {
    this.keys = Objects.requireNonNull(keys, "keys");
  }

  public GeneratedNetwork generate(NetworkSpec spec, Path dir) {
    return generate(spec, dir, List.of());
  }

  /**
   * {@link #generate(NetworkSpec, Path)} with {@code extraAccounts} in the genesis besides the dev account and
   * the validators' accounts: the funded senders of a benchmark or a fault campaign.
   */
  public GeneratedNetwork generate(NetworkSpec spec, Path dir, List<GenesisAccount> extraAccounts) {
    refuseExisting(spec, dir);
    List<KeyPair> nodeKeys = new ArrayList<>(spec.nodes());
    for (int i = 0; i < spec.nodes(); i++) {
      nodeKeys.add(keys.get());
    }
    KeyPair dev = keys.get();
    List<KeyPair> p2pKeys = new ArrayList<>(spec.nodes());
    for (int i = 0; i < spec.nodes(); i++) {
      p2pKeys.add(keys.get());
    }
    GenesisConfig genesis = genesis(spec, nodeKeys, dev, extraAccounts);
    List<GeneratedNetwork.Node> nodes = new ArrayList<>(spec.nodes());
    for (int i = 0; i < spec.nodes(); i++) {
      PublicKey key = nodeKeys.get(i).publicKey();
      GeneratedNetwork.Kind kind = i < spec.validators() ? GeneratedNetwork.Kind.VALIDATOR : GeneratedNetwork.Kind.OBSERVER;
      Placement placement = spec.placement();
      int p2pPort = spec.p2pPort(i);
      String peerId = PeerId.fromPublicKey(p2pKeys.get(i).publicKey()).toBase58();
      nodes.add(new GeneratedNetwork.Node(i, kind, key, peerId, dir.resolve("node-" + i),
          p2pPort, spec.rpcPort(i), placement.listenAddress(i, p2pPort), placement.dialAddress(i, p2pPort),
          placement.rpcHost(i)));
    }
    GeneratedNetwork network = new GeneratedNetwork(
        dir, genesis, GenesisBlock.of(genesis).hash(), nodes, dev.address(), dir.resolve(DEV_ACCOUNT_KEY_FILE));
    write(spec, network, nodeKeys, p2pKeys, dev);
    return network;
  }

  private static GenesisConfig genesis(NetworkSpec spec, List<KeyPair> nodeKeys, KeyPair dev,
      List<GenesisAccount> extraAccounts) {
    List<PublicKey> validators = new ArrayList<>();
    List<PublicKey> observers = new ArrayList<>();
    for (int i = 0; i < nodeKeys.size(); i++) {
      (i < spec.validators() ? validators : observers).add(nodeKeys.get(i).publicKey());
    }
    List<GenesisAccount> accounts = new ArrayList<>();
    accounts.add(new GenesisAccount(dev.address(), spec.devBalance(), EnumSet.of(Role.ADMIN, Role.MEMBER)));
    // Validators sign VALIDATOR_VOTE transactions, and every sender must hold MEMBER: give their accounts the
    // role at genesis so governance works on a fresh network without an admin grant first.
    for (PublicKey validator : validators) {
      accounts.add(new GenesisAccount(validator.address(), 0, EnumSet.of(Role.MEMBER)));
    }
    accounts.addAll(extraAccounts);
    return new GenesisConfig(
        spec.chainId(), spec.genesisTimeMillis(), spec.consensus(), validators, accounts, observers);
  }

  private static void refuseExisting(NetworkSpec spec, Path dir) {
    List<Path> planned = new ArrayList<>(List.of(dir.resolve(GENESIS_FILE), dir.resolve(DEV_ACCOUNT_KEY_FILE)));
    for (int i = 0; i < spec.nodes(); i++) {
      planned.add(dir.resolve("node-" + i));
    }
    for (Path path : planned) {
      if (Files.exists(path)) {
        throw new GenesisException(path + " already exists; choose an empty --out directory");
      }
    }
  }

  private static void write(NetworkSpec spec, GeneratedNetwork network, List<KeyPair> nodeKeys, List<KeyPair> p2pKeys,
      KeyPair dev) {
    try {
      Files.createDirectories(network.dir());
      List<String> observerPeerIds = new ArrayList<>();
      for (GeneratedNetwork.Node node : network.nodes()) {
        if (node.kind() == GeneratedNetwork.Kind.OBSERVER) {
          observerPeerIds.add(node.peerId());
        }
      }
      for (GeneratedNetwork.Node node : network.nodes()) {
        Files.createDirectory(node.dir());
        KeyFiles.writeNodeKey(node.dir().resolve(NODE_KEY_FILE), nodeKeys.get(node.index()));
        KeyFiles.writeNodeKey(node.dir().resolve(P2P_KEY_FILE), p2pKeys.get(node.index()));
        boolean ownGenesis = !spec.placement().local();
        String toml = NodeConfigToml.render(network.genesis().chainId(), node, bootnodes(network, node), observerPeerIds,
            ownGenesis ? GENESIS_FILE : "../" + GENESIS_FILE);
        if (ownGenesis) {
          GenesisWriter.write(node.dir().resolve(GENESIS_FILE), network.genesis());
        }
        Files.writeString(node.dir().resolve(CONFIG_FILE), toml, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
      }
      KeyFiles.writeNodeKey(network.devAccountKeyFile(), dev);
      // Last, so a directory holding genesis.json is a complete network.
      GenesisWriter.write(network.dir().resolve(GENESIS_FILE), network.genesis());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write network to " + network.dir() + ": " + e, e);
    }
  }

  /** Every validator but the node itself: validators are always up in a healthy network, observers may not be. */
  private static List<String> bootnodes(GeneratedNetwork network, GeneratedNetwork.Node self) {
    List<String> out = new ArrayList<>();
    for (GeneratedNetwork.Node node : network.nodes()) {
      if (node.kind() == GeneratedNetwork.Kind.VALIDATOR && node.index() != self.index()) {
        out.add(node.multiaddr());
      }
    }
    return out;
  }
}
