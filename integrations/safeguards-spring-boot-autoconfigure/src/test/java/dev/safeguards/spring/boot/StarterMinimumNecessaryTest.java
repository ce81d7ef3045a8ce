package dev.safeguards.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.safeguards.Safeguards;
import dev.safeguards.access.FieldClassification;
import dev.safeguards.access.MinimumNecessary;
import dev.safeguards.access.PhiCategory;
import dev.safeguards.annotation.RequiresPermission;
import dev.safeguards.compliance.Specification;
import jakarta.annotation.security.PermitAll;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.HttpOutputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.AbstractHttpMessageConverter;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * An application that declares a {@code MinimumNecessary} bean and a {@code SafeguardsBuilderCustomizer}: every JSON
 * object its handler methods return is trimmed to what authorised the request, and the customizer's additions are in
 * the {@code Safeguards} the starter builds.
 */
class StarterMinimumNecessaryTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  static final String RATIONALE = "tokens come from the test's identity provider";

  /** A chart as the handler returns it: too much for billing. */
  public record Chart(String id, String name, String diagnosis) {}

  /** A chart to be written as CSV, by a converter of its own. */
  public record CsvChart(Chart chart) {}

  @RestController
  public static class Charts {
    @GetMapping("/charts/{id}")
    @RequiresPermission("chart:read")
    public Chart chart(@PathVariable("id") String id) {
      return new Chart(id, "Jane Roe", "E11.9");
    }

    @GetMapping("/charts")
    @RequiresPermission("chart:read")
    public ResponseEntity<List<Chart>> charts() {
      return ResponseEntity.ok(List.of(new Chart("1", "Jane Roe", "E11.9"), new Chart("2", "John Doe", "I10")));
    }

    @GetMapping(path = "/charts/{id}/text", produces = MediaType.APPLICATION_JSON_VALUE)
    @RequiresPermission("chart:read")
    public String text(@PathVariable("id") String id) {
      return "{\"id\":\"" + id + "\",\"written\":\"by the handler\"}";
    }

    @GetMapping(path = "/charts/{id}/fhir", produces = "application/fhir+json")
    @RequiresPermission("chart:read")
    public Chart fhir(@PathVariable("id") String id) {
      return chart(id);
    }

    @GetMapping(path = "/charts/{id}/csv", produces = "text/csv")
    @RequiresPermission("chart:read")
    public CsvChart csv(@PathVariable("id") String id) {
      return new CsvChart(chart(id));
    }

    @GetMapping(path = "/sample.csv", produces = "text/csv")
    @PermitAll
    public CsvChart sample() {
      return new CsvChart(new Chart("0", "Sample", "none"));
    }

    @GetMapping("/status")
    @PermitAll
    public Map<String, String> status() {
      return Map.of("status", "ok", "unclassified", "kept");
    }
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import({Charts.class, TestServers.PlainConnector.class})
  static class ChartsApplication {
    @Bean
    MinimumNecessary minimumNecessary() {
      return MinimumNecessary.builder(FieldClassification.builder().notPhi("id")
              .phi("name", PhiCategory.DEMOGRAPHIC).phi("diagnosis", PhiCategory.CLINICAL).build())
          .role("clinician", PhiCategory.values())
          .role("billing", PhiCategory.DEMOGRAPHIC)
          .build();
    }

    /** Writes a chart as a CSV line: a converter the trimming cannot see into. */
    @Bean
    HttpMessageConverter<CsvChart> csv() {
      return new AbstractHttpMessageConverter<>(MediaType.parseMediaType("text/csv")) {
        @Override
        protected boolean supports(Class<?> type) {
          return type == CsvChart.class;
        }

        @Override
        protected CsvChart readInternal(Class<? extends CsvChart> type, HttpInputMessage input) {
          throw new UnsupportedOperationException("charts are only written");
        }

        @Override
        protected void writeInternal(CsvChart csv, HttpOutputMessage output) throws IOException {
          Chart chart = csv.chart();
          output.getBody().write(String.join(",", chart.id(), chart.name(), chart.diagnosis())
              .getBytes(StandardCharsets.UTF_8));
        }
      };
    }

    @Bean
    SafeguardsBuilderCustomizer rationale() {
      return builder -> builder.rationale(Specification.PERSON_OR_ENTITY_AUTHENTICATION, RATIONALE);
    }
  }

  @TempDir
  Path dir;

  @Test
  void jsonBodies_areTrimmedToWhatAuthorisedTheRequest_andCustomizersAddToTheSafeguards() throws Exception {
    try (TestApp app = TestApp.started(dir, Map.of("safeguards.roles.clinician", "chart:read",
        "safeguards.roles.billing", "chart:read"), ChartsApplication.class)) {
      String clinician = app.idp().token("clinician");
      String billing = app.idp().token("billing");

      JsonNode full = json(app.get("/charts/7", clinician));
      assertThat(full.get("name").asText()).isEqualTo("Jane Roe");
      assertThat(full.get("diagnosis").asText()).isEqualTo("E11.9");
      HttpResponse<String> billed = app.get("/charts/7", billing);
      assertThat(billed.statusCode()).as(billed.body()).isEqualTo(200);
      assertThat(billed.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
      assertThat(json(billed)).isEqualTo(JSON.readTree("{\"id\":\"7\",\"name\":\"Jane Roe\"}"));
      assertThat(json(app.get("/charts", billing))).isEqualTo(JSON.readTree(
          "[{\"id\":\"1\",\"name\":\"Jane Roe\"},{\"id\":\"2\",\"name\":\"John Doe\"}]"));
      // minimum necessary follows what authorised the read, not every role the caller holds
      assertThat(json(app.get("/charts/7", app.idp().token("billing", "nurse"))).has("diagnosis")).isFalse();
      // text the handler writes itself is its own to keep minimal; a public route's body is sent as it is
      assertThat(app.get("/charts/7/text", billing).body()).isEqualTo("{\"id\":\"7\",\"written\":\"by the handler\"}");
      assertThat(json(app.get("/status", null)).get("unclassified").asText()).isEqualTo("kept");
      // any JSON type is trimmed; an object written as anything else is refused rather than sent whole
      assertThat(json(app.get("/charts/7/fhir", billing)))
          .isEqualTo(JSON.readTree("{\"id\":\"7\",\"name\":\"Jane Roe\"}"));
      assertThat(app.get("/sample.csv", null).body()).as("the converter is in use").isEqualTo("0,Sample,none");
      HttpResponse<String> csv = app.get("/charts/7/csv", billing);
      assertThat(csv.statusCode()).isEqualTo(500);
      assertThat(csv.body()).doesNotContain("E11.9");

      assertThat(app.context.getBean(Safeguards.class).complianceReport().toJson()).contains(RATIONALE);
    }
  }

  private static JsonNode json(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body());
  }
}
