package dev.safeguards.testing;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The SLF4J binding of the test suite: every log line the library writes is kept in memory (fully formatted, with the
 * rendering of any throwable), so tests can assert that no PHI, token or key material ever reaches a log.
 */
public final class CapturedLogs implements SLF4JServiceProvider {

  private static final List<String> LINES = new ArrayList<>();
  private static final java.util.Set<String> SILENT = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private final ILoggerFactory loggers = CapturingLogger::new;
  private final IMarkerFactory markers = new BasicMarkerFactory();
  private final MDCAdapter mdc = new NOPMDCAdapter();

  /** Every line logged so far, as {@code LEVEL logger: message [throwable]}. */
  public static synchronized List<String> lines() {
    return List.copyOf(LINES);
  }

  /** Makes logger {@code name} report INFO as disabled (and log nothing at INFO) until {@link #unsilence}. */
  public static void silence(String name) {
    SILENT.add(name);
  }

  /** Undoes {@link #silence}. */
  public static void unsilence(String name) {
    SILENT.remove(name);
  }

  /** Forgets the lines logged so far. */
  public static synchronized void clear() {
    LINES.clear();
  }

  private static synchronized void add(String line) {
    LINES.add(line);
  }

  @Override
  public ILoggerFactory getLoggerFactory() {
    return loggers;
  }

  @Override
  public IMarkerFactory getMarkerFactory() {
    return markers;
  }

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdc;
  }

  @Override
  public String getRequestedApiVersion() {
    return "2.0.99";
  }

  @Override
  public void initialize() {}

  private static final class CapturingLogger extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;

    CapturingLogger(String name) {
      this.name = name;
    }

    @Override
    public boolean isTraceEnabled() {
      return true;
    }

    @Override
    public boolean isDebugEnabled() {
      return true;
    }

    @Override
    public boolean isInfoEnabled() {
      return !SILENT.contains(name);
    }

    @Override
    public boolean isWarnEnabled() {
      return true;
    }

    @Override
    public boolean isErrorEnabled() {
      return true;
    }

    @Override
    protected String getFullyQualifiedCallerName() {
      return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(
        Level level, Marker marker, String pattern, Object[] arguments, Throwable throwable) {
      StringBuilder line = new StringBuilder(level + " " + name + ": "
          + MessageFormatter.basicArrayFormat(pattern, arguments));
      for (Throwable t = throwable; t != null; t = t.getCause()) {
        line.append(" [").append(t).append(']');
      }
      add(line.toString());
    }
  }
}
