package dev.cairn.node.admin;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/** Changes a logger's level in the running node (Logback); the change lasts until the node stops. */
public final class LogLevels {
  private LogLevels() {}

  /** Sets {@code name} (a package, a class or {@code ROOT}) to {@code level}; answers the level it had set. */
  public static Optional<String> set(String name, String level) {
    if (!(LoggerFactory.getLogger(name.equals("ROOT") ? org.slf4j.Logger.ROOT_LOGGER_NAME : name) instanceof Logger logger)) {
      throw new IllegalStateException("the logging backend is not Logback: levels cannot be changed at run time");
    }
    Optional<String> previous = Optional.ofNullable(logger.getLevel()).map(Level::toString);
    logger.setLevel(Level.toLevel(level));
    LoggerFactory.getLogger(LogLevels.class).info("event=log_level_changed logger={} level={} previous={}", name, level,
        previous.orElse("inherited"));
    return previous;
  }
}
