package dev.cairn.node.config;

/** A configuration problem, with a one-line message that names the key and says what to do. */
public final class ConfigException extends Exception {
  public ConfigException(String message) {
    super(message);
  }
}
