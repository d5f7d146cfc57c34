package dev.cairn.rpc.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The JSON-RPC users of a node, read from a TOML credentials file in Besu's shape:
 *
 * <pre>
 * [users.alice]
 * password = "$2b$12$..."          # bcrypt, made with `cairn rpc-user`
 * permissions = ["cairn:*", "admin:peers"]
 * </pre>
 *
 * The file is read once at start-up and checked whole: a bad hash, an unknown key or a malformed permission
 * stops the node with the user's name and what is wrong (never the hash).
 */
public final class Credentials {
  public static final long FILE_BYTES_MAX = 1 << 20;
  public static final int USERS_MAX = 10_000;
  public static final int PERMISSIONS_PER_USER_MAX = 256;
  private static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");
  private static final TomlMapper TOML = new TomlMapper();

  /** One user: its bcrypt hash and what it may call. */
  public record User(String name, String passwordHash, List<Permission> permissions) {
    public User {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(passwordHash, "passwordHash");
      permissions = List.copyOf(permissions);
    }

    @Override
    public String toString() {
      return "User[name=" + name + ", permissions=" + permissions + "]"; // never the hash
    }
  }

  private final Map<String, User> users;

  private Credentials(Map<String, User> users) {
    this.users = Map.copyOf(users);
  }

  public static Credentials of(List<User> users) {
    Map<String, User> byName = new LinkedHashMap<>();
    for (User user : users) {
      byName.put(user.name(), user);
    }
    return new Credentials(byName);
  }

  public Optional<User> user(String name) {
    return Optional.ofNullable(users.get(name));
  }

  public int size() {
    return users.size();
  }

  public static boolean validUserName(String name) {
    return USER_NAME.matcher(name).matches();
  }

  /** Reads and checks a credentials file; the exception names the file and the user at fault. */
  public static Credentials read(Path file) {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes((int) FILE_BYTES_MAX + 1);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read RPC credentials file " + file + ": " + e.getMessage());
    }
    if (bytes.length > FILE_BYTES_MAX) {
      throw new IllegalArgumentException("RPC credentials file " + file + " is over " + FILE_BYTES_MAX + " bytes");
    }
    try {
      return parse(TOML.readTree(bytes));
    } catch (IOException e) {
      throw new IllegalArgumentException("RPC credentials file " + file + " is not valid TOML: "
          + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("RPC credentials file " + file + ": " + e.getMessage());
    }
  }

  static Credentials parse(JsonNode root) {
    Iterator<String> top = root.fieldNames();
    while (top.hasNext()) {
      String key = top.next();
      if (!key.equals("users")) {
        throw new IllegalArgumentException("unknown table '" + key + "' (expected [users.NAME] tables)");
      }
    }
    JsonNode table = root.path("users");
    if (!table.isObject() || table.isEmpty()) {
      throw new IllegalArgumentException("no [users.NAME] table");
    }
    if (table.size() > USERS_MAX) {
      throw new IllegalArgumentException(table.size() + " users, at most " + USERS_MAX);
    }
    List<User> users = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = table.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      users.add(user(entry.getKey(), entry.getValue()));
    }
    return of(users);
  }

  private static User user(String name, JsonNode entry) {
    if (!validUserName(name)) {
      throw new IllegalArgumentException("user name '" + name + "' must be 1-64 letters, digits or . _ @ -");
    }
    if (!entry.isObject()) {
      throw new IllegalArgumentException("users." + name + " must be a table");
    }
    for (Iterator<String> keys = entry.fieldNames(); keys.hasNext(); ) {
      String key = keys.next();
      if (!key.equals("password") && !key.equals("permissions")) {
        throw new IllegalArgumentException("users." + name + ": unknown key '" + key + "'");
      }
    }
    JsonNode password = entry.get("password");
    if (password == null || !password.isTextual()) {
      throw new IllegalArgumentException("users." + name + ".password must be a bcrypt hash string");
    }
    try {
      PasswordHashes.checkFormat(password.textValue());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("users." + name + ".password: " + e.getMessage());
    }
    JsonNode permissions = entry.get("permissions");
    if (permissions == null || !permissions.isArray() || permissions.isEmpty()) {
      throw new IllegalArgumentException("users." + name + ".permissions must be a non-empty array such as [\"cairn:*\"]");
    }
    if (permissions.size() > PERMISSIONS_PER_USER_MAX) {
      throw new IllegalArgumentException("users." + name + ": at most " + PERMISSIONS_PER_USER_MAX + " permissions");
    }
    List<Permission> parsed = new ArrayList<>();
    for (JsonNode permission : permissions) {
      if (!permission.isTextual()) {
        throw new IllegalArgumentException("users." + name + ".permissions: every entry is a string");
      }
      try {
        parsed.add(Permission.parse(permission.textValue()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("users." + name + ".permissions: " + e.getMessage());
      }
    }
    return new User(name, password.textValue(), parsed);
  }
}
