package dev.cairn.rpc.auth;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One grant of the right to call JSON-RPC methods, written {@code namespace:method} as Besu writes it: {@code
 * cairn:getAccount} is one method, {@code cairn:*} every method of a namespace, {@code *:*} everything. A
 * method's namespace is the part of its name before the first {@code _} or {@code .}: {@code cairn_getAccount}
 * is {@code cairn:getAccount}, {@code admin_peers} is {@code admin:peers}, {@code rpc.discover} is {@code
 * rpc:discover}.
 */
public record Permission(String namespace, String method) {
  public static final String ANY = "*";
  private static final Pattern PART = Pattern.compile("\\*|[A-Za-z][A-Za-z0-9]{0,63}");

  public Permission {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(method, "method");
    if (!PART.matcher(namespace).matches() || !PART.matcher(method).matches()) {
      throw new IllegalArgumentException("permission parts must be '*' or a name of letters and digits, got "
          + shown(namespace) + ":" + shown(method));
    }
    if (namespace.equals(ANY) && !method.equals(ANY)) {
      throw new IllegalArgumentException("'*:" + method + "' names one method in every namespace; write '*:*'");
    }
  }

  /** Parses {@code namespace:method}; a refusal says what is wrong (the text comes from an operator's file or a token). */
  public static Permission parse(String text) {
    int colon = text.indexOf(':');
    if (colon < 0 || colon != text.lastIndexOf(':')) {
      throw new IllegalArgumentException("a permission is namespace:method (e.g. cairn:getAccount, cairn:*), got " + shown(text));
    }
    return new Permission(text.substring(0, colon), text.substring(colon + 1));
  }

  /** Whether this grant covers the JSON-RPC method named {@code methodName}. */
  public boolean permits(String methodName) {
    if (namespace.equals(ANY)) {
      return true;
    }
    int split = separator(methodName);
    if (split <= 0 || !methodName.substring(0, split).equals(namespace)) {
      return false;
    }
    return method.equals(ANY) || methodName.substring(split + 1).equals(method);
  }

  private static int separator(String methodName) {
    for (int i = 0; i < methodName.length(); i++) {
      char c = methodName.charAt(i);
      if (c == '_' || c == '.') {
        return i;
      }
    }
    return -1;
  }

  private static String shown(String text) {
    return "'" + (text.length() > 80 ? text.substring(0, 80) + "..." : text) + "'";
  }

  @Override
  public String toString() {
    return namespace + ":" + method;
  }
}
