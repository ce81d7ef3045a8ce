package dev.safeguards.spring.boot;

import dev.safeguards.alert.AlertSink;
import dev.safeguards.audit.AuditSink;

/**
 * Counts what the auto-configured {@code Safeguards} audits and alerts: the starter wraps the gate's audit sink and
 * alert sink with it when Micrometer is present ({@link MicrometerSafeguardsMetrics}). The wrappers only count; they
 * record, refuse and fail exactly as the sinks they wrap do.
 */
public interface SafeguardsMetrics {

  /**
   * {@code audit}, counting each event it records.
   *
   * @param audit the sink that records the events
   * @return a sink that records through {@code audit} and counts each event it records
   */
  AuditSink countEvents(AuditSink audit);

  /**
   * {@code alerts}, counting each alert it takes.
   *
   * @param alerts the sink that takes the alerts
   * @return a sink that sends through {@code alerts} and counts each alert it takes
   */
  AlertSink countAlerts(AlertSink alerts);
}
