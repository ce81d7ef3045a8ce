package dev.safeguards.audit;

import dev.safeguards.compliance.Evidence;
import dev.safeguards.compliance.Specification;
import dev.safeguards.compliance.Status;
import dev.safeguards.compliance.Weakness;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sinks that combine or forward audit events (164.312(b)). */
public final class AuditSinks {

  private AuditSinks() {}

  /**
   * A sink that records every event in each of {@code sinks}, in order. Each sink is tried even if an earlier one
   * failed; if any failed, {@link AuditSink#record} throws once all were tried, so the action fails (fail closed).
   * It is available ({@link AuditSink#checkAvailable}) only while every sink is, so that the gate refuses a request
   * before the application acts when any of them could not record it.
   *
   * @param sinks the sinks, in the order to try them; at least one, none null
   * @return the fan-out; closing it closes every sink
   * @throws NullPointerException if {@code sinks} or one of them is null
   * @throws IllegalArgumentException if no sink is given
   */
  public static AuditSink fanOut(AuditSink... sinks) {
    List<AuditSink> all = List.of(sinks);
    if (all.isEmpty()) {
      throw new IllegalArgumentException("a fan-out needs at least one sink");
    }
    return new FanOut(all);
  }

  /**
   * A sink that writes each event as one JSON line (the form docs/audit-log-format.md gives for an event) at INFO
   * on the SLF4J logger {@code loggerName}, for shipping to a SIEM. Route that logger to its own appender.
   *
   * <p>If that logger does not log at INFO when an event arrives, {@link AuditSink#record} throws rather than drop the
   * event. Logging frameworks do not report whether an appender wrote the line, so this sink guarantees only that the
   * line was handed to SLF4J; keep the tamper-evident file log as the system of record.
   *
   * @param loggerName the logger's name, e.g. {@code safeguards.audit}; not null
   * @return the sink; it holds no resources, and closing it does nothing
   */
  public static AuditSink slf4j(String loggerName) {
    return new Slf4j(LoggerFactory.getLogger(Objects.requireNonNull(loggerName, "loggerName")));
  }

  private record FanOut(List<AuditSink> sinks) implements AuditSink {
    /** Each specification as well as the best sink serves it: one durable tamper-evident copy is enough. */
    @Override
    public Evidence evidence() {
      Evidence.Builder e = Evidence.of("AuditSinks.fanOut");
      java.util.Map<Specification, Status> best = new java.util.EnumMap<>(Specification.class);
      boolean durable = false;
      boolean known = false;
      java.util.List<String> parts = new java.util.ArrayList<>();
      for (AuditSink sink : sinks) {
        Evidence child = sink.evidence();
        parts.add(child.component());
        child.assessment().forEach((spec, status) -> best.merge(spec, status, Status::or));
        child.settings().forEach((k, v) -> e.setting(child.component() + "." + k, v));
        durable |= Boolean.TRUE.equals(child.settings().get("durable"));
        known |= child.settings().get("durable") instanceof Boolean;
        child.notes().forEach(n -> e.note(child.component() + ": " + n));
        child.weaknesses().forEach((w, what) -> {
          if (w != Weakness.AUDIT_NOT_DURABLE) {
            e.weakness(w, what);
          }
        });
      }
      best.forEach(e::serves);
      e.setting("sinks", parts);
      if (known) { // durable if any sink is; unknown if none says
        e.setting("durable", durable);
        if (!durable && best.containsKey(Specification.AUDIT_CONTROLS)) {
          e.weakness(Weakness.AUDIT_NOT_DURABLE, "audit events are acknowledged before they are durable");
        }
      }
      return e.build();
    }

    @Override
    public void record(AuditEvent event) throws AuditException {
      each("an audit sink failed to record the event", sink -> sink.record(event));
    }

    /** Hands the whole batch to each sink, so that each can take it at once. */
    @Override
    public void recordAll(List<AuditEvent> events) throws AuditException {
      each("an audit sink failed to record the events", sink -> sink.recordAll(events));
    }

    @Override
    public void checkAvailable() throws AuditException {
      each("an audit sink cannot record now", AuditSink::checkAvailable);
    }

    @Override
    public void close() throws AuditException {
      each("an audit sink failed to close", AuditSink::close);
    }

    private interface SinkCall {
      void on(AuditSink sink) throws AuditException;
    }

    /** Calls every sink, even after one failed; then throws the first failure, the others suppressed in it. */
    private void each(String message, SinkCall call) throws AuditException {
      AuditException failure = null;
      for (AuditSink sink : sinks) {
        try {
          call.on(sink);
        } catch (AuditException | RuntimeException e) {
          if (failure == null) {
            failure = new AuditException(message, e);
          } else {
            failure.addSuppressed(e);
          }
        }
      }
      if (failure != null) {
        throw failure;
      }
    }
  }

  private record Slf4j(Logger logger) implements AuditSink {
    @Override
    public Evidence evidence() {
      return Evidence.of("AuditSinks.slf4j").setting("logger", logger.getName()).setting("durable", false)
          .weakness(Weakness.AUDIT_NOT_DURABLE, "audit events are acknowledged before they are durable")
          .weakens(Specification.AUDIT_CONTROLS, Status.PARTIALLY_MET,
              "events handed to a logger are neither tamper-evident nor known to be written; keep the "
                  + "tamper-evident file log as the system of record")
          .build();
    }

    @Override
    public void record(AuditEvent event) throws AuditException {
      if (!logger.isInfoEnabled()) {
        throw new AuditException("the audit logger " + logger.getName() + " does not log at INFO");
      }
      StringBuilder line = new StringBuilder(512);
      AuditJson.encode(event, line);
      logger.info(line.toString());
    }
  }
}
