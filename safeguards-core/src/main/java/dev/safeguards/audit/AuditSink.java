package dev.safeguards.audit;

import dev.safeguards.compliance.Evidence;
import dev.safeguards.compliance.Specification;
import dev.safeguards.compliance.Status;
import java.util.List;

/**
 * Where audit events go (164.312(b)): the tamper-evident file log, a log pipeline, a SIEM, a database.
 *
 * <p>{@link #record} returns only once the sink has taken responsibility for the event, as its implementation
 * documents (written, queued, on disk); if it cannot, it throws, and the caller must treat the audited action as
 * failed. Implementations are thread-safe. Combine sinks with {@link AuditSinks}.
 */
public interface AuditSink extends AutoCloseable {

  /**
   * Records one event.
   *
   * @param event the event to record; not null
   * @throws AuditException if the event could not be recorded; the action it describes must then fail
   */
  void record(AuditEvent event) throws AuditException;

  /**
   * Fails if this sink already knows that it cannot record an event now (its disk is full, its queue is full, the
   * store behind it is unreachable, it is closed). The gate asks before the application runs, so that a request is
   * refused before it acts instead of after (fail closed, 164.312(b)). Passing promises nothing about the next {@link
   * #record}: a sink may still fail then. Must be cheap (no I/O on the request path beyond what a retry needs). This
   * default passes.
   *
   * @throws AuditException if the sink cannot record events now
   */
  default void checkAvailable() throws AuditException {}

  /**
   * Records {@code events} in their order, as {@link #record} would one by one; a sink may take them together (the
   * file log writes the batch and syncs once). Used by {@link AsyncAuditSink} to hand over what has queued up.
   *
   * <p>If it throws, an unknown leading part of the batch may have been recorded; the caller must treat every event
   * of the batch as possibly unrecorded. The list belongs to the caller: do not keep it after returning. This default
   * records them one at a time and stops at the first failure.
   *
   * @param events the events, in the order to record them; not null, may be empty; the caller's, read during the call
   * @throws AuditException if an event could not be recorded
   */
  default void recordAll(List<AuditEvent> events) throws AuditException {
    for (AuditEvent event : events) {
      record(event);
    }
  }

  /**
   * Delivers everything accepted so far and releases resources; later {@link #record} calls fail.
   *
   * @throws AuditException if an accepted event could not be delivered
   */
  @Override
  default void close() throws AuditException {}

  /**
   * What this sink tells the compliance report (164.312(b)). A sink of the application's own says only its class:
   * the report marks audit controls partially met, since it cannot tell whether the sink is durable and
   * tamper-evident.
   *
   * @return the sink's evidence; this default: the class's name, and audit controls partially met
   */
  default Evidence evidence() {
    return Evidence.of("AuditSink (" + Evidence.nameOf(this) + ")")
        .weakens(Specification.AUDIT_CONTROLS, Status.PARTIALLY_MET,
            "a custom audit sink: document where events go, how long they are kept, and how tampering is detected")
        .build();
  }
}
