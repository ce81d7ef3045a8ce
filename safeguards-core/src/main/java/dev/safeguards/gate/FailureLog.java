package dev.safeguards.gate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs a failure that repeats on every request (the audit sink down) once when it starts, then at most once a minute
 * with the number of requests refused meanwhile, and once when it ends: an outage must not flood the log. Logs the
 * exception's class only, never its message. Thread-safe.
 */
final class FailureLog {

  private static final Logger LOG = LoggerFactory.getLogger(Gate.class);
  private static final Duration REPEAT = Duration.ofMinutes(1);

  private final Clock clock;
  private final String what;
  private volatile boolean failing;
  private Instant lastLogged = Instant.MIN;
  private long suppressed;

  FailureLog(Clock clock, String what) {
    this.clock = clock;
    this.what = what;
  }

  synchronized void failed(Throwable cause) {
    Instant now = clock.instant();
    if (!failing || !now.isBefore(lastLogged.plus(REPEAT))) {
      LOG.error("{} failed ({}); requests are refused with 503 until it recovers{}", what,
          cause.getClass().getName(), failing ? " (" + suppressed + " refused since the last report)" : "");
      failing = true;
      lastLogged = now;
      suppressed = 0;
    } else {
      suppressed++;
    }
  }

  /** Called when the thing works; logs the recovery once. Cheap when nothing failed. */
  void succeeded() {
    if (failing) {
      synchronized (this) {
        if (failing) {
          failing = false;
          LOG.warn("{} recovered; requests are served again", what);
        }
      }
    }
  }
}
