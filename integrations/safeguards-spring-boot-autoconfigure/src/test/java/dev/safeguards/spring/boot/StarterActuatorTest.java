package dev.safeguards.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.safeguards.alert.Alert;
import dev.safeguards.alert.AlertSink;
import dev.safeguards.annotation.RequiresPermission;
import dev.safeguards.audit.AuditSink;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * With Spring Boot's actuator on a management port of its own: the {@code safeguards} endpoint serves the compliance
 * report, the health indicator follows the audit log (down when it cannot record, while the gate refuses with 503),
 * and Micrometer counts the gate's audit events by outcome and rule.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StarterActuatorTest {

  /** The alerts the application's own sink received. */
  static final List<Alert> ALERTS = new CopyOnWriteArrayList<>();

  @RestController
  public static class NewNotes {
    @PostMapping("/notes")
    @RequiresPermission("note:read")
    public String add(@RequestBody String note) {
      return "added";
    }
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import({StarterPropertiesTest.Notes.class, NewNotes.class, TestServers.PlainConnector.class})
  static class Application {
    @Bean
    AlertSink alerts() {
      return ALERTS::add;
    }
  }

  @TempDir
  static Path dir;
  private TestApp app;

  @BeforeAll
  void start() throws Exception {
    app = TestApp.started(dir, Map.of(
        "management.server.port", "0",
        "management.server.address", "127.0.0.1",
        "management.endpoints.web.exposure.include", "health,safeguards",
        "management.endpoint.health.show-details", "always"), Application.class);
  }

  @AfterAll
  void stop() {
    if (app != null) {
      app.close();
    }
  }

  private JsonNode actuator(String path) throws Exception {
    HttpResponse<String> r = app.management(path);
    return ((ObjectNode) new ObjectMapper().readTree(r.body())).put("httpStatus", r.statusCode());
  }

  @Test
  @Order(1)
  void metrics_countTheGatesEvents_byOutcomeAndRule() throws Exception {
    MeterRegistry meters = app.context.getBean(MeterRegistry.class);
    app.get("/notes/1", app.idp().token("clinician"));
    app.get("/notes/1", null);
    app.get("/notes/1", null);

    assertThat(meters.get("safeguards.requests").tag("status", "200").tag("outcome", "SUCCESS").counter().count())
        .isEqualTo(1);
    // the repeat of an identical anonymous refusal is summarized later (MicrometerSafeguardsMetricsTest)
    assertThat(meters.get("safeguards.requests").tag("rule", "authn:missing").tag("status", "401").counter()
        .count()).isEqualTo(1);
    assertThat(meters.get("safeguards.audit.log.events").functionCounter().count()).isGreaterThanOrEqualTo(2);
    assertThat(meters.get("safeguards.audit.log.syncs").functionCounter().count()).isPositive();
  }

  @Test
  @Order(2)
  void alerts_reachTheApplicationsSink_andAreCounted() throws Exception {
    MeterRegistry meters = app.context.getBean(MeterRegistry.class);
    HttpResponse<String> tampered = app.send("POST", "/notes", app.idp().token("clinician"),
        HttpRequest.BodyPublishers.ofString("{}"), Map.of("Content-Type", "application/json",
            "Content-Digest", "sha-256=:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=:"));

    assertThat(tampered.statusCode()).isEqualTo(400);
    assertThat(ALERTS).extracting(Alert::type).contains("integrity-violation");
    assertThat(meters.get("safeguards.alerts").tag("type", "integrity-violation").counter().count()).isPositive();
  }

  @Test
  @Order(3)
  void safeguardsEndpoint_servesTheComplianceReport() throws Exception {
    JsonNode report = actuator("/actuator/safeguards");

    assertThat(report.get("httpStatus").asInt()).isEqualTo(200);
    assertThat(report.get("schema").asText()).isEqualTo("safeguards-compliance-report/v1");
    assertThat(report.toString()).contains("/notes/{id}").contains("audit-checkpoint.keyset.json");
  }

  @Test
  @Order(4)
  void actuator_isNotServedOnTheApplicationsPort() throws Exception {
    assertThat(app.get("/actuator/health", null).statusCode()).isEqualTo(404);
  }

  @Test
  @Order(5)
  void health_isUp_withTheKeysAges() throws Exception {
    JsonNode health = actuator("/actuator/health");

    assertThat(health.get("status").asText()).isEqualTo("UP");
    JsonNode safeguards = health.at("/components/safeguards");
    assertThat(safeguards.at("/details/audit").asText()).isEqualTo("available");
    assertThat(safeguards.at("/details/keys")).isNotEmpty();
    assertThat(safeguards.at("/details/keysDueForRotation").asLong()).isZero();
  }

  @Test
  @Order(6)
  void health_isDown_whileTheAuditLogCannotRecord_andTheGateRefuses() throws Exception {
    app.context.getBean(AuditSink.class).close();

    assertThat(app.get("/notes/1", app.idp().token("clinician")).statusCode()).isEqualTo(503);
    JsonNode health = actuator("/actuator/health");
    assertThat(health.get("status").asText()).isEqualTo("DOWN");
    assertThat(health.at("/components/safeguards/details/audit").asText()).isEqualTo("unavailable");
  }
}
