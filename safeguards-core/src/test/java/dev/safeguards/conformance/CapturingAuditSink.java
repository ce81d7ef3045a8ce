package dev.safeguards.conformance;

import dev.safeguards.audit.AuditEvent;
import dev.safeguards.audit.AuditSink;
import java.util.ArrayList;
import java.util.List;

/** Keeps the gate's audit events in memory for the conformance suite to inspect. */
public final class CapturingAuditSink implements AuditSink {

  private final List<AuditEvent> events = new ArrayList<>();

  @Override
  public synchronized void record(AuditEvent event) {
    events.add(event);
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
