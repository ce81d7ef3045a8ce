package dev.safeguards;

import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;

/**
 * For implementations of a shared state store: logs the store's outage once when it begins (ERROR) and once when it
 * ends (WARN), never per request. The store counts as back once it has answered for a second without failing, so that
 * a reconnection that flaps is one outage in the log, not several. Thread-safe; cheap while the store answers.
 */
public final class StateOutageLog {

  /** How long the store must answer after an outage before it counts as back. */
  private static final Duration SETTLE = Duration.ofSeconds(1);

  private final Logger log;
  private final String store;
  private final Object lock = new Object();
  private volatile boolean down;
  /** {@link System#nanoTime} of the first answer after an outage, 0 while none came. */
  private long answeringSince;

  /**
   * Logs to {@code log} about {@code store}, a description that names no credential (e.g. {@code "the Redis state
   * store at redis://10.0.0.5:6379"}).
   *
   * @param log the logger the outage and the recovery are written to; not null
   * @param store how the messages name the store; not null, and never a credential
   * @throws NullPointerException if either is null
   */
  public StateOutageLog(Logger log, String store) {
    this.log = Objects.requireNonNull(log, "log");
    this.store = Objects.requireNonNull(store, "store");
  }

  /**
   * A request to the store failed: logs the outage at ERROR if the store was up, and restarts the wait before it
   * counts as back.
   *
   * @param reason why, as an error code or an exception's kind, never its message (it is logged as given)
   */
  public void failed(String reason) {
    synchronized (lock) {
      if (!down) {
        down = true;
        log.error("{} failed ({}): requests that need it are refused until it answers again", store, reason);
      }
      answeringSince = 0;
    }
  }

  /**
   * The store answered a request: during an outage, the first answer starts the settling second and an answer a
   * second or more after it ends the outage (logged once, at WARN). Costs one volatile read while the store is up.
   */
  public void answered() {
    if (down) {
      synchronized (lock) {
        if (!down) {
          return;
        }
        long now = System.nanoTime();
        if (answeringSince == 0) {
          answeringSince = now;
        } else if (now - answeringSince >= SETTLE.toNanos()) {
          down = false;
          log.warn("{} answers again", store);
        }
      }
    }
  }
}
