package dev.safeguards.spring.boot;

import dev.safeguards.Safeguards;
import dev.safeguards.audit.AuditException;
import dev.safeguards.compliance.ComplianceReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The health of Safeguards: {@code DOWN} while the audit sink reports that it cannot record (the gate then refuses
 * every request with 503, so the replica should leave the load balancer), else {@code UP}. Its details: {@code audit}
 * ({@code available} or {@code unavailable}) and {@code keys}, each managed key's keyset, id, age in days and whether
 * its rotation is due ({@code rotationDue}: a primary key older than the rotation policy, 365 days unless set); a key
 * due for rotation is a finding for the operators, not a reason to stop serving, so it leaves the status {@code UP}.
 * The shared state stores (Redis, PostgreSQL) report their outages through the requests they refuse (503) and their
 * own logs.
 */
public class SafeguardsHealthIndicator extends AbstractHealthIndicator {

  private final Safeguards safeguards;

  /**
   * The health of {@code safeguards}.
   *
   * @param safeguards the gate whose audit sink and keys are checked
   */
  public SafeguardsHealthIndicator(Safeguards safeguards) {
    super("the Safeguards health check failed");
    this.safeguards = Objects.requireNonNull(safeguards, "safeguards");
  }

  @Override
  protected void doHealthCheck(Health.Builder health) {
    try {
      safeguards.audit().checkAvailable();
      health.up().withDetail("audit", "available");
    } catch (AuditException e) {
      health.down().withDetail("audit", "unavailable");
    }
    ComplianceReport report = safeguards.complianceReport();
    List<Map<String, Object>> keys = new ArrayList<>();
    for (ComplianceReport.Key k : report.keys()) {
      Map<String, Object> key = new LinkedHashMap<>();
      key.put("keyset", k.keyset());
      key.put("keyId", k.keyId());
      key.put("primary", k.primary());
      key.put("ageDays", k.ageDays());
      key.put("rotationDue", k.rotationDue());
      keys.add(key);
    }
    health.withDetail("keys", keys)
        .withDetail("keysDueForRotation", report.keys().stream().filter(ComplianceReport.Key::rotationDue).count());
  }
}
