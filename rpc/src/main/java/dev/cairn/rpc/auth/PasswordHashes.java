package dev.cairn.rpc.auth;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * bcrypt password hashes ({@code $2b$COST$...}, the OpenBSD format Besu's and most tools' files use), through
 * BouncyCastle. The cost is bounded both ways: below {@link #COST_MIN} a stolen file is cheap to crack, above
 * {@link #COST_MAX} one login costs the node seconds of CPU.
 */
public final class PasswordHashes {
  public static final int COST_MIN = 10;
  public static final int COST_MAX = 16;
  public static final int COST_DEFAULT = 12;
  /** bcrypt reads at most 72 bytes of a password; a longer one would be silently cut, so it is refused. */
  public static final int PASSWORD_BYTES_MAX = 72;
  private static final int SALT_BYTES = 16;
  private static final Pattern HASH = Pattern.compile("\\$2[aby]\\$(\\d\\d)\\$[./A-Za-z0-9]{53}");
  private static final SecureRandom RANDOM = new SecureRandom();
  /**
   * Checked against for an unknown user name, so that a login for a name that does not exist costs as long
   * as one for a name that does (the answer's timing must not tell which names exist).
   */
  private static final String DECOY = hash("decoy password, never matches".toCharArray(), COST_DEFAULT);

  private PasswordHashes() {}

  public static String hash(char[] password, int cost) {
    if (cost < COST_MIN || cost > COST_MAX) {
      throw new IllegalArgumentException("bcrypt cost must be in [" + COST_MIN + ", " + COST_MAX + "], got " + cost);
    }
    checkLength(password);
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    return OpenBSDBCrypt.generate("2b", password, salt, cost);
  }

  /** Refuses a hash that is not bcrypt or whose cost is out of bounds, saying which. */
  public static void checkFormat(String hash) {
    var matcher = HASH.matcher(hash);
    if (!matcher.matches()) {
      throw new IllegalArgumentException("not a bcrypt hash ($2b$COST$ and 53 characters)");
    }
    int cost = Integer.parseInt(matcher.group(1));
    if (cost < COST_MIN || cost > COST_MAX) {
      throw new IllegalArgumentException("bcrypt cost must be in [" + COST_MIN + ", " + COST_MAX + "], got " + cost);
    }
  }

  /** Whether {@code password} matches {@code hash} (checked by {@link #checkFormat}); a too-long password never does. */
  public static boolean matches(char[] password, String hash) {
    if (utf8Length(password) > PASSWORD_BYTES_MAX) {
      return false;
    }
    return OpenBSDBCrypt.checkPassword(hash, password);
  }

  /** Spends the time of one check and answers false. */
  public static boolean matchesNothing(char[] password) {
    if (utf8Length(password) <= PASSWORD_BYTES_MAX) {
      OpenBSDBCrypt.checkPassword(DECOY, password);
    }
    return false;
  }

  public static void checkLength(char[] password) {
    if (password.length == 0) {
      throw new IllegalArgumentException("the password is empty");
    }
    if (utf8Length(password) > PASSWORD_BYTES_MAX) {
      throw new IllegalArgumentException("bcrypt uses at most " + PASSWORD_BYTES_MAX + " bytes of a password; this one is longer");
    }
  }

  private static int utf8Length(char[] password) {
    ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
    int length = encoded.remaining();
    Arrays.fill(encoded.array(), (byte) 0);
    return length;
  }
}
