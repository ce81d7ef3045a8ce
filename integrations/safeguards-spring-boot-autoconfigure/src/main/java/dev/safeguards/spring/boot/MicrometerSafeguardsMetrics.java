package dev.safeguards.spring.boot;

import dev.safeguards.alert.Alert;
import dev.safeguards.alert.AlertException;
import dev.safeguards.alert.AlertSink;
import dev.safeguards.audit.AsyncAuditSink;
import dev.safeguards.audit.AuditEvent;
import dev.safeguards.audit.AuditException;
import dev.safeguards.audit.AuditSink;
import dev.safeguards.audit.TamperEvidentAuditLog;
import dev.safeguards.compliance.Evidence;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Objects;

/**
 * The Micrometer meters of Safeguards:
 *
 * <ul>
 *   <li>{@code safeguards.requests} (counter; tags {@code outcome}, {@code status}, {@code rule}): every request the
 *       gate audited; the refusals by reason are those whose outcome is not {@code SUCCESS}, by {@code rule} (such
 *       as {@code authn:missing}, {@code session:idle}, {@code deny-by-default}). Identical anonymous refusals are
 *       audited as one event and then a summary of the repeats ({@code AuditEvent.repeated()}), so they are counted
 *       when the summary is written (within the gate's anonymous-refusal window);
 *   <li>{@code safeguards.audit.events} (counter; tags {@code type}, {@code outcome}): every event recorded;
 *   <li>{@code safeguards.audit.failures} (counter): events the audit sink could not record (their requests failed);
 *   <li>{@code safeguards.alerts} (counter; tags {@code type}, {@code severity}): alerts sent, such as
 *       {@code break-glass-opened};
 *   <li>for the file log, {@code safeguards.audit.log.events} and {@code safeguards.audit.log.syncs} (function
 *       counters: their ratio is the group commit's batch size) and {@code safeguards.audit.log.checkpoints};
 *   <li>for an {@link AsyncAuditSink}, {@code safeguards.audit.queue.depth} (gauge): events accepted, not yet written.
 * </ul>
 * Tags carry only fixed vocabularies (event types, outcomes, statuses, rule names), never a user, address or record.
 */
public final class MicrometerSafeguardsMetrics implements SafeguardsMetrics, MeterBinder {

  private final MeterRegistry registry;
  private final AuditSink audit;

  /**
   * Meters in {@code registry}; {@code audit}, if not null, is the sink whose own statistics are exposed (an
   * application that declares its whole {@code Safeguards} has no audit sink bean).
   *
   * @param registry where the counters of events, failures and alerts are registered
   * @param audit the audit sink whose own statistics (the file log's, an asynchronous sink's queue depth) are bound,
   *     or null
   */
  public MicrometerSafeguardsMetrics(MeterRegistry registry, AuditSink audit) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.audit = audit;
  }

  @Override
  public void bindTo(MeterRegistry meters) {
    if (audit instanceof TamperEvidentAuditLog log) {
      FunctionCounter.builder("safeguards.audit.log.events", log, l -> l.stats().events())
          .description("events appended to the audit log since it opened").register(meters);
      FunctionCounter.builder("safeguards.audit.log.syncs", log, l -> l.stats().syncs())
          .description("times the audit log forced its file to storage (events / syncs = batch size)")
          .register(meters);
      FunctionCounter.builder("safeguards.audit.log.checkpoints", log, l -> l.stats().checkpoints())
          .description("checkpoints the audit log signed").register(meters);
    }
    if (audit instanceof AsyncAuditSink queue) {
      Gauge.builder("safeguards.audit.queue.depth", queue, AsyncAuditSink::pending)
          .description("audit events accepted and not yet written").register(meters);
    }
  }

  @Override
  public AuditSink countEvents(AuditSink sink) {
    return new CountingAuditSink(sink);
  }

  @Override
  public AlertSink countAlerts(AlertSink sink) {
    Objects.requireNonNull(sink, "sink");
    return alert -> {
      sink.send(alert);
      registry.counter("safeguards.alerts", "type", alert.type(), "severity", alert.severity().name()).increment();
    };
  }

  private void count(AuditEvent e) {
    registry.counter("safeguards.audit.events", "type", e.type(), "outcome", e.outcome().name()).increment();
    if (e.httpStatus().isPresent()) {
      registry.counter("safeguards.requests", "outcome", e.outcome().name(),
          "status", Integer.toString(e.httpStatus().getAsInt()), "rule", e.rule().orElse("none"))
          .increment(e.repeated().map(AuditEvent.Repetition::count).orElse(1L));
    }
  }

  private final class CountingAuditSink implements AuditSink {
    private final AuditSink delegate;

    CountingAuditSink(AuditSink delegate) {
      this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public void record(AuditEvent event) throws AuditException {
      try {
        delegate.record(event);
      } catch (AuditException | RuntimeException e) {
        registry.counter("safeguards.audit.failures").increment();
        throw e;
      }
      count(event);
    }

    @Override
    public void recordAll(List<AuditEvent> events) throws AuditException {
      try {
        delegate.recordAll(events);
      } catch (AuditException | RuntimeException e) {
        registry.counter("safeguards.audit.failures").increment(events.size());
        throw e;
      }
      events.forEach(MicrometerSafeguardsMetrics.this::count);
    }

    @Override
    public void checkAvailable() throws AuditException {
      delegate.checkAvailable();
    }

    @Override
    public void close() throws AuditException {
      delegate.close();
    }

    @Override
    public Evidence evidence() {
      return delegate.evidence();
    }
  }
}
