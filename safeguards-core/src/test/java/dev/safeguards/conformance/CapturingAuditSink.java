package dev.safeguards.conformance;

import dev.safeguards.audit.AuditEvent;
import dev.safeguards.audit.AuditException;
import dev.safeguards.audit.AuditSink;
import java.util.ArrayList;
import java.util.List;

/** Keeps the gate's audit events in memory for the conformance suite to inspect. */
public final class CapturingAuditSink implements AuditSink {

  private final List<AuditEvent> events = new ArrayList<>();
  private boolean unavailable;

  @Override
  public synchronized void record(AuditEvent event) throws AuditException {
    if (unavailable) {
      throw new AuditException("the test sink is unavailable");
    }
    events.add(event);
  }

  @Override
  public synchronized void checkAvailable() throws AuditException {
    if (unavailable) {
      throw new AuditException("the test sink is unavailable");
    }
  }

  /** Makes every later {@link #record} and {@link #checkAvailable} fail (true), as a full disk would, or not. */
  public synchronized void unavailable(boolean value) {
    unavailable = value;
  }

  /** The events so far. */
  public synchronized List<AuditEvent> events() {
    return List.copyOf(events);
  }

  /** Forgets them. */
  public synchronized void clear() {
    events.clear();
  }
}
