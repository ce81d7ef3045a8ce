package dev.safeguards.gate;

import dev.safeguards.audit.AuditException;
import dev.safeguards.audit.AuditSink;
import java.util.Optional;

/**
 * Fail closed before acting (164.312(b)): while the audit sink says it cannot record, every request is refused with
 * 503 before the application runs, so that nothing is done that would go unrecorded.
 */
final class AuditAvailableStep implements Step {

  private final AuditSink audit;
  private final FailureLog failures;

  AuditAvailableStep(AuditSink audit, FailureLog failures) {
    this.audit = audit;
    this.failures = failures;
  }

  @Override
  public Optional<Refused> check(Exchange x) {
    try {
      audit.checkAvailable();
      failures.succeeded();
      return Optional.empty();
    } catch (AuditException | RuntimeException e) {
      failures.failed(e);
      return Optional.of(Refusals.auditUnavailable());
    }
  }
}
