package dev.safeguards.audit;

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
   * @throws AuditException if the event could not be recorded; the action it describes must then fail
   */
  void record(AuditEvent event) throws AuditException;

  /**
   * Delivers everything accepted so far and releases resources; later {@link #record} calls fail.
   *
   * @throws AuditException if an accepted event could not be delivered
   */
  @Override
  default void close() throws AuditException {}
}
