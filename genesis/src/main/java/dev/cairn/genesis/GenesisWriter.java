package dev.cairn.genesis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.ledger.crypto.PublicKey;
import dev.cairn.ledger.model.Role;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;

/**
 * Writes {@code genesis.json}: two-space indentation, one field order (the schema's), accounts by address,
 * roles in a fixed order, a trailing newline. The same {@link GenesisConfig} always gives the same bytes, and
 * {@link GenesisParser} reads them back to an equal config.
 */
public final class GenesisWriter {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final DefaultPrettyPrinter PRETTY;

  static {
    DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
    PRETTY = new DefaultPrettyPrinter()
        .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
        .withArrayIndenter(indenter)
        .withObjectIndenter(indenter);
  }

  private GenesisWriter() {}

  public static String toJson(GenesisConfig config) {
    ObjectNode root = NODES.objectNode();
    root.put("chainId", config.chainId());
    root.put("genesisTime", GenesisTime.format(config.genesisTimeMillis()));
    ConsensusParameters c = config.consensus();
    ObjectNode consensus = root.putObject("consensus");
    consensus.put("blockPeriodMillis", c.blockPeriodMillis());
    consensus.put("roundTimeoutMillis", c.roundTimeoutMillis());
    consensus.put("roundTimeoutMillisMax", c.roundTimeoutMillisMax());
    consensus.put("blockTxsMax", c.blockTxsMax());
    consensus.put("blockBytesMax", c.blockBytesMax());
    consensus.put("emptyBlocks", c.emptyBlocks());
    root.set("validators", peers(config.validators()));
    ArrayNode accounts = root.putArray("accounts");
    for (GenesisAccount account : config.accounts()) {
      ObjectNode entry = accounts.addObject();
      entry.put("address", account.address().toText());
      entry.put("balance", account.balance());
      ArrayNode roles = entry.putArray("roles");
      for (Role role : Role.values()) {
        if (account.roles().contains(role)) {
          roles.add(role.name().toLowerCase(Locale.ROOT));
        }
      }
    }
    if (!config.observers().isEmpty()) {
      root.set("observers", peers(config.observers()));
    }
    try {
      return JSON.writer(PRETTY).writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree of strings and numbers failed to serialize", e);
    }
  }

  /** Writes the file, refusing to replace an existing one (a genesis file defines a chain: never clobber it). */
  public static void write(Path file, GenesisConfig config) {
    try {
      Files.writeString(file, toJson(config), StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write genesis file " + file + ": " + e, e);
    }
  }

  private static ArrayNode peers(List<PublicKey> keys) {
    ArrayNode array = NODES.arrayNode();
    for (PublicKey key : keys) {
      array.addObject().put("publicKey", key.toHex());
    }
    return array;
  }
}
