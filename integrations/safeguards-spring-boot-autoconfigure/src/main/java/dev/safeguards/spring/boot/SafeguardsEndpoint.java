package dev.safeguards.spring.boot;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.safeguards.Safeguards;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The actuator endpoint {@code safeguards}: the compliance evidence report of the running configuration
 * (docs/compliance.md, schema {@code safeguards-compliance-report/v1}): the nine 164.312 specifications with their
 * status, accepted weaknesses, the endpoint inventory and the key inventory with ages. It names no user, token, key
 * material or PHI; it does describe the application's defences, so expose it only where operators reach it.
 */
@Endpoint(id = "safeguards")
public class SafeguardsEndpoint {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Safeguards safeguards;

  /**
   * The endpoint for {@code safeguards}.
   *
   * @param safeguards the gate whose compliance report is served
   */
  public SafeguardsEndpoint(Safeguards safeguards) {
    this.safeguards = Objects.requireNonNull(safeguards, "safeguards");
  }

  /**
   * The report, as the JSON document {@code ComplianceReport.toJson()} writes.
   *
   * @return the report's members, as the configuration runs at the time of the call
   * @throws UncheckedIOException if the report's JSON cannot be read back
   */
  @ReadOperation
  public Map<String, Object> report() {
    try {
      return JSON.readValue(safeguards.complianceReport().toJson(), new TypeReference<Map<String, Object>>() {});
    } catch (IOException e) {
      throw new UncheckedIOException("the compliance report could not be read back", e);
    }
  }
}
