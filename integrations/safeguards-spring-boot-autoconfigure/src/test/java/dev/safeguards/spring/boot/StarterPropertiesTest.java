package dev.safeguards.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safeguards.annotation.RequiresPermission;
import dev.safeguards.audit.AuditEvent;
import dev.safeguards.audit.AuditFilter;
import dev.safeguards.audit.AuditLogVerifier;
import dev.safeguards.audit.AuditReview;
import dev.safeguards.audit.AuditSealing;
import dev.safeguards.audit.VerifiedAuditLog;
import dev.safeguards.conformance.TestTls;
import dev.safeguards.crypto.KeyPurpose;
import dev.safeguards.crypto.ManagedKeyset;
import dev.safeguards.crypto.SigningKeyset;
import dev.safeguards.identity.Principal;
import dev.safeguards.identity.UserId;
import dev.safeguards.servlet.SafeguardsFilter;
import jakarta.annotation.security.PermitAll;
import jakarta.servlet.Filter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * A fresh Spring Boot application protected by the starter and a handful of {@code safeguards.*} properties: tokens
 * verified against a JWKS URL, roles from properties, a tamper-evident audit log with sealed identities whose keys the
 * starter creates, and routes from the controller's annotations.
 */
class StarterPropertiesTest {

  private static final UserId ALICE = TestIdentityProvider.ALICE;

  @RestController
  public static class Notes {
    @GetMapping("/ping")
    @PermitAll
    public String ping() {
      return "pong";
    }

    @GetMapping("/notes/{id}")
    @RequiresPermission("note:read")
    public String note(@PathVariable("id") String id, Principal reader) {
      return "note " + id + " for " + reader.userId();
    }
  }

  @RestController
  public static class Forgotten {
    @GetMapping("/forgotten")
    public String forgotten() {
      return "open?";
    }
  }

  @RestController
  public static class Items {
    @GetMapping("/items/{id:[0-9]+}")
    @RequiresPermission("note:read")
    public String item(@PathVariable("id") String id) {
      return "item " + id;
    }

    @GetMapping("/items/search")
    @PermitAll
    public String search() {
      return "search";
    }
  }

  @RestController
  public static class Wildcard {
    @GetMapping("/files/**")
    @PermitAll
    public String files() {
      return "any file";
    }
  }

  @RestController
  public static class TwoOnOnePath {
    @GetMapping(path = "/report", produces = "application/json")
    @RequiresPermission("note:read")
    public String json() {
      return "{}";
    }

    @GetMapping(path = "/report", produces = "text/csv")
    @PermitAll
    public String csv() {
      return "";
    }
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import({Notes.class, TestServers.PlainConnector.class})
  static class NotesApplication {}

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import({Items.class, TestServers.PlainConnector.class})
  static class ItemsApplication {}

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import({Wildcard.class, TestServers.PlainConnector.class})
  static class WildcardApplication {}

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import({TwoOnOnePath.class, TestServers.PlainConnector.class})
  static class TwoOnOnePathApplication {}

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import({Notes.class, Forgotten.class, TestServers.PlainConnector.class})
  static class ForgetfulApplication {}

  @TempDir
  Path dir;
  private TestIdentityProvider idp;
  private TestTls tls;
  private Map<String, Object> properties;

  @BeforeEach
  void identityProvider() throws Exception {
    idp = new TestIdentityProvider(dir);
    properties = idp.properties;
    tls = TestTls.generate(dir);
  }

  @AfterEach
  void stopIdentityProvider() {
    idp.close();
  }

  private String token(String... roles) {
    return idp.token(roles);
  }

  @Test
  void propertiesAlone_protectEveryRoute_andAuditEachRequestOnce() throws Exception {
    ConfigurableApplicationContext context = TestServers.application(tls, properties, c -> { },
        NotesApplication.class).run();
    int port;
    try {
      // the gate is registered once, through its registration bean, and is no Filter bean of its own
      assertThat(context.getBeansOfType(Filter.class).values()).noneMatch(SafeguardsFilter.class::isInstance);
      assertThat(context.getBeansOfType(FilterRegistrationBean.class).values())
          .filteredOn(r -> r.getFilter() instanceof SafeguardsFilter).hasSize(1);
      port = ((org.springframework.boot.web.server.context.WebServerApplicationContext) context).getWebServer()
          .getPort();
      HttpClient client = HttpClient.newBuilder().sslContext(tls.clientContext()).build();

      HttpResponse<String> read = client.send(request(port, "/notes/7").header("Authorization",
          "Bearer " + token("clinician")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
      assertThat(read.body()).isEqualTo("note 7 for " + ALICE);
      assertThat(read.headers().firstValue("Strict-Transport-Security"))
          .hasValue("max-age=31536000; includeSubDomains");
      assertThat(client.send(request(port, "/notes/7").build(), HttpResponse.BodyHandlers.ofString()).statusCode())
          .isEqualTo(401);
      assertThat(client.send(request(port, "/notes/7").header("Authorization", "Bearer " + token("billing"))
          .build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);
      assertThat(client.send(request(port, "/ping").build(), HttpResponse.BodyHandlers.ofString()).body())
          .isEqualTo("pong");
      // Boot's error controller is no route of the application's
      assertThat(client.send(request(port, "/error").build(), HttpResponse.BodyHandlers.ofString()).statusCode())
          .isEqualTo(404);
    } finally {
      context.close(); // closes the audit log, with a last checkpoint
    }

    Path keys = dir.resolve("keys");
    AuditSealing sealing = AuditSealing.create(
        ManagedKeyset.open(keys.resolve("audit-identity.keyset.json"), KeyPurpose.FIELD_ENCRYPTION, idp.kek,
            Clock.systemUTC()),
        ManagedKeyset.open(keys.resolve("audit-index.keyset.json"), KeyPurpose.BLIND_INDEX, idp.kek,
            Clock.systemUTC()));
    List<AuditEvent> events;
    try (Stream<AuditEvent> all = AuditReview.of(dir.resolve("audit"), sealing).events(AuditFilter.all())) {
      events = all.toList();
    }
    assertThat(events).extracting(e -> e.httpStatus().orElse(0)).containsExactly(200, 401, 403, 200, 404);
    assertThat(events.get(0).actor().user()).hasValue(ALICE);
    SigningKeyset checkpointKeys = SigningKeyset.create(ManagedKeyset.open(keys.resolve(
        "audit-checkpoint.keyset.json"), KeyPurpose.RECORD_SIGNING_ED25519, idp.kek, Clock.systemUTC()));
    VerifiedAuditLog verified = AuditLogVerifier.builder(checkpointKeys).build().verify(dir.resolve("audit"));
    assertThat(verified.events()).isEqualTo(events.size());
    assertThat(verified.origin()).isEqualTo("notes.example/audit");
    assertThat(verified.unsignedTail()).as("closed with a last checkpoint").isZero();
    // the identities are sealed on disk: Alice's id is nowhere in the files
    try (Stream<Path> files = Files.walk(dir.resolve("audit"))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        assertThat(Files.readString(f, StandardCharsets.ISO_8859_1)).doesNotContain(ALICE.toString());
      }
    }
  }

  @Test
  void aHandlerWithoutAnAccessAnnotation_failsTheStart() {
    assertThatThrownBy(() -> TestServers.application(tls, properties, c -> { }, ForgetfulApplication.class).run())
        .satisfies(e -> assertThat(rootCause(e)).hasMessageContaining("Forgotten.forgotten has no access annotation"));
  }

  @Test
  void literalSegments_winOverParameters_andRegexParameters_areRoutedByName() throws Exception {
    try (ConfigurableApplicationContext context = TestServers.application(tls, properties, c -> { },
        ItemsApplication.class).run()) {
      int port = ((org.springframework.boot.web.server.context.WebServerApplicationContext) context).getWebServer()
          .getPort();
      HttpClient client = HttpClient.newBuilder().sslContext(tls.clientContext()).build();
      String bearer = "Bearer " + token("clinician");

      assertThat(client.send(request(port, "/items/search").build(), HttpResponse.BodyHandlers.ofString()).body())
          .isEqualTo("search");
      assertThat(client.send(request(port, "/items/12").build(), HttpResponse.BodyHandlers.ofString())
          .statusCode()).isEqualTo(401);
      assertThat(client.send(request(port, "/items/12").header("Authorization", bearer).build(),
          HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("item 12");
      // the gate admits {id}; Spring MVC still holds the id to its expression
      assertThat(client.send(request(port, "/items/twelve").header("Authorization", bearer).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
    }
  }

  @Test
  void aWildcardPattern_failsTheStart() {
    assertThatThrownBy(() -> TestServers.application(tls, properties, c -> { }, WildcardApplication.class).run())
        .satisfies(e -> assertThat(rootCause(e)).hasMessageContaining("Wildcard.files is mapped to /files/**"));
  }

  @Test
  void twoHandlersOnOnePath_withDifferentAnnotations_failTheStart() {
    assertThatThrownBy(() -> TestServers.application(tls, properties, c -> { }, TwoOnOnePathApplication.class).run())
        .satisfies(e -> assertThat(rootCause(e)).hasMessageContaining("both answer GET /report"));
  }

  @Test
  void aMissingIssuer_failsTheStart_namingTheProperty() {
    properties.remove("safeguards.token.issuer");

    assertThatThrownBy(() -> TestServers.application(tls, properties, c -> { }, NotesApplication.class).run())
        .satisfies(e -> assertThat(rootCause(e))
            .hasMessage("safeguards.token.issuer is required (or declare a TokenVerifier bean)"));
  }

  private static Throwable rootCause(Throwable t) {
    return t.getCause() == null ? t : rootCause(t.getCause());
  }

  private static HttpRequest.Builder request(int port, String path) {
    return HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30));
  }
}
