package dev.safeguards.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safeguards.Safeguards;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * Actuator endpoints on the application's own port (Boot's default): behind the gate, health public for probes (HTTPS
 * only, audited), every other endpoint for a role with {@code actuator:read} only.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StarterActuatorSamePortTest {

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import({StarterPropertiesTest.Notes.class, TestServers.PlainConnector.class})
  static class Application {}

  @TempDir
  static Path dir;
  private TestApp app;

  @BeforeAll
  void start() throws Exception {
    app = TestApp.started(dir, Map.of(
        "management.endpoints.web.exposure.include", "health,safeguards",
        "management.endpoint.health.show-details", "when-authorized",
        "management.endpoint.health.probes.enabled", "true",
        "safeguards.roles.operator", "actuator:read"), Application.class);
  }

  @AfterAll
  void stop() {
    if (app != null) {
      app.close();
    }
  }

  @Test
  void health_isPublic_forProbes() throws Exception {
    HttpResponse<String> health = app.get("/actuator/health", null);

    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).contains("\"status\":\"UP\"");
    assertThat(app.get("/actuator/health/liveness", null).statusCode()).as("a health group, one segment deeper")
        .isEqualTo(200);
  }

  @Test
  void otherEndpoints_needActuatorRead() throws Exception {
    assertThat(app.get("/actuator/safeguards", null).statusCode()).isEqualTo(401);
    assertThat(app.get("/actuator/safeguards", app.idp().token("clinician")).statusCode()).isEqualTo(403);
    HttpResponse<String> report = app.get("/actuator/safeguards", app.idp().token("operator"));
    assertThat(report.statusCode()).isEqualTo(200);
    assertThat(report.body()).contains("safeguards-compliance-report/v1").contains("/actuator/health");
  }

  @Test
  void theActuatorRoutes_areInTheEndpointInventory() {
    assertThat(app.context.getBean(Safeguards.class).endpoints())
        .anySatisfy(r -> assertThat(r.pattern()).isEqualTo("/actuator/safeguards"))
        .anySatisfy(r -> assertThat(r.pattern()).isEqualTo("/actuator/health"));
  }
}
