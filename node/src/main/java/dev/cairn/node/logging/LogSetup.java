package dev.cairn.node.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import dev.cairn.node.config.NodeConfig;
import java.util.Iterator;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Applies the {@code [logging]} config to Logback once the config is parsed: the root level, each named
 * package's level, and the line format. {@code logback.xml} writes key=value lines; {@code format = "json"}
 * swaps the console appender's encoder for Logback's own {@link JsonEncoder} (one JSON object per line, the
 * message formatted, no context dump). A no-op when SLF4J is bound to something other than Logback.
 */
public final class LogSetup {
  /** The console appender's name in logback.xml. */
  static final String CONSOLE_APPENDER = "STDOUT";

  private LogSetup() {}

  public static void apply(String rootLevel, NodeConfig.Logging logging) {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      apply(context, rootLevel, logging);
    }
  }

  static void apply(LoggerContext context, String rootLevel, NodeConfig.Logging logging) {
    context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.toLevel(rootLevel, Level.INFO));
    for (Map.Entry<String, String> entry : logging.levels().entrySet()) {
      context.getLogger(entry.getKey()).setLevel(Level.toLevel(entry.getValue(), Level.INFO));
    }
    if (logging.format() == NodeConfig.LogFormat.JSON) {
      useJson(context);
    }
  }

  private static void useJson(LoggerContext context) {
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
      if (it.next() instanceof OutputStreamAppender<ILoggingEvent> console && console.getName().equals(CONSOLE_APPENDER)
          && !(console.getEncoder() instanceof JsonEncoder)) {
        JsonEncoder json = new JsonEncoder();
        json.setContext(context);
        json.setWithSequenceNumber(false);
        json.setWithNanoseconds(false);
        json.setWithContext(false);
        json.setWithMessage(false); // the formatted message instead: fields already in key=value form
        json.setWithArguments(false);
        json.setWithFormattedMessage(true);
        json.start();
        // Swapped in place: stopping the appender would close its stream. This runs once at start-up,
        // before the node's threads log, and the appender reads its encoder under its own lock.
        console.setEncoder(json);
      }
    }
  }
}
