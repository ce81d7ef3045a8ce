/**
 * Alerts and anomaly detection (164.308(a)(1)(ii)(D), 164.312(a)(2)(ii), (b)): an {@link dev.safeguards.alert.AlertSink}
 * SPI with in-memory, SLF4J and webhook sinks, and {@link dev.safeguards.alert.AnomalyDetector}, which watches the
 * audit stream for bursts of denials, bulk reads, emergency access, authentication failure spikes and integrity
 * violations. Alerts carry identifiers, never PHI.
 */
package dev.safeguards.alert;
