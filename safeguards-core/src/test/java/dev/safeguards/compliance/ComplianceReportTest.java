package dev.safeguards.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safeguards.Safeguards;
import dev.safeguards.audit.AsyncAuditSink;
import dev.safeguards.audit.AuditSinks;
import dev.safeguards.authn.AuthenticationException;
import dev.safeguards.authn.TokenVerifier;
import dev.safeguards.gate.Route;
import dev.safeguards.transport.TransportPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ComplianceReportTest {

  @TempDir
  Path dir;

  private ComplianceFixture f;

  @BeforeEach
  void setUp() throws Exception {
    f = new ComplianceFixture(dir);
  }

  @AfterEach
  void tearDown() throws Exception {
    f.close();
  }

  @Test
  void completeConfiguration_meetsAllNine() {
    ComplianceReport report = f.complete().build().complianceReport();

    assertThat(report.rows()).extracting(r -> r.specification().id()).containsExactly("164.312(a)(2)(i)",
        "164.312(a)(2)(ii)", "164.312(a)(2)(iii)", "164.312(a)(2)(iv)", "164.312(b)", "164.312(c)(2)",
        "164.312(d)", "164.312(e)(2)(i)", "164.312(e)(2)(ii)");
    assertThat(report.rows()).allSatisfy(r -> {
      assertThat(r.status()).as(r.specification().id() + " " + r.notes()).isEqualTo(Status.MET);
      assertThat(r.implementedBy()).isNotEmpty();
      assertThat(r.rationale()).isEmpty();
    });
    assertThat(report.row(Specification.AUTOMATIC_LOGOFF).settings().get("SessionTracker"))
        .containsEntry("idleTimeout", "PT15M");
    assertThat(report.row(Specification.PERSON_OR_ENTITY_AUTHENTICATION).settings().get("TokenVerifier (jjwt)"))
        .containsEntry("requireMfa", true).containsEntry("maxLifetime", "PT15M");
  }

  /** One weakening each, and the one row it must lower; every other row stays met. */
  static Stream<Arguments> weakenings() {
    return Stream.of(
        weakening("no emergency access", Specification.EMERGENCY_ACCESS, Status.NOT_MET,
            (f, b) -> b.access(f.access(false))),
        weakening("no encryption at rest declared", Specification.ENCRYPTION_AT_REST, Status.NOT_MET,
            (f, b) -> copyWithout(f, "encryption")),
        weakening("no signed records declared", Specification.INTEGRITY_AUTHENTICATION, Status.NOT_MET,
            (f, b) -> copyWithout(f, "records")),
        weakening("idle timeout of one hour, accepted", Specification.AUTOMATIC_LOGOFF, Status.PARTIALLY_MET,
            (f, b) -> b.sessions(f.sessions(Duration.ofHours(1)))
                .acceptWeakness(Weakness.LONG_IDLE_TIMEOUT, "ward terminals, badge tap-out")),
        weakening("no MFA, accepted", Specification.PERSON_OR_ENTITY_AUTHENTICATION, Status.PARTIALLY_MET,
            (f, b) -> b.tokens(TokenVerifier.create(withoutMfa(f))).acceptWeakness(Weakness.NO_MFA, "pilot")),
        weakening("audit through a logger only", Specification.AUDIT_CONTROLS, Status.PARTIALLY_MET,
            (f, b) -> b.audit(AuditSinks.slf4j("audit")).acceptWeakness(Weakness.AUDIT_NOT_DURABLE, "SIEM only")),
        weakening("asynchronous audit, accepted", Specification.AUDIT_CONTROLS, Status.PARTIALLY_MET,
            (f, b) -> b.audit(AsyncAuditSink.builder(f.auditLog).build())
                .acceptWeakness(Weakness.AUDIT_NOT_DURABLE, "throughput; UPS-backed host")),
        weakening("HSTS for a day, accepted", Specification.TRANSMISSION_ENCRYPTION, Status.PARTIALLY_MET,
            (f, b) -> b.transport(TransportPolicy.builder().weakHstsMaxAge(Duration.ofDays(1)).build())
                .acceptWeakness(Weakness.SHORT_HSTS_MAX_AGE, "staged rollout")),
        weakening("TLS check skipped", Specification.TRANSMISSION_ENCRYPTION, Status.PARTIALLY_MET,
            (f, b) -> b.skipNegotiatedTlsCheck()));
  }

  private static Arguments weakening(String name, Specification spec, Status status,
      java.util.function.BiFunction<ComplianceFixture, Safeguards.Builder, Safeguards.Builder> change) {
    return Arguments.of(name, spec, status, change);
  }

  private static dev.safeguards.authn.TokenPolicy withoutMfa(ComplianceFixture f) {
    return dev.safeguards.authn.TokenPolicy.builder(ComplianceFixture.ISSUER, ComplianceFixture.AUDIENCE,
        dev.safeguards.authn.JwkSource.of(dev.safeguards.crypto.SigningKeyset.create(f.tokenKeys).publicJwks()))
        .clock(f.clock).build();
  }

  /** The complete configuration without one of the application-declared parts. */
  private static Safeguards.Builder copyWithout(ComplianceFixture f, String part) {
    Safeguards.Builder b = Safeguards.builder()
        .tokens(TokenVerifier.create(f.tokenPolicy().build())).sessions(f.sessions(Duration.ofMinutes(15)))
        .access(f.access(true)).routes(dev.safeguards.gate.Routes.of()).audit(f.auditLog).alerts(f.alerts)
        .clock(f.clock);
    if (!part.equals("encryption")) {
      b.encryptionAtRest(f.keyring);
    }
    if (!part.equals("records")) {
      b.signedRecords(f.recordKeys);
    }
    return b;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("weakenings")
  void weakening_lowersExactlyItsRow(String name, Specification spec, Status expected,
      java.util.function.BiFunction<ComplianceFixture, Safeguards.Builder, Safeguards.Builder> change) {
    ComplianceReport report = change.apply(f, f.complete()).build().complianceReport();

    assertThat(report.status(spec)).as(name).isEqualTo(expected);
    assertThat(report.row(spec).notes()).as(name).isNotEmpty();
    for (Specification other : Specification.values()) {
      if (other != spec) {
        assertThat(report.status(other)).as(name + ": " + other.id()).isEqualTo(Status.MET);
      }
    }
  }

  @Test
  void customTokenVerifier_isPartiallyMetUntilDocumented() {
    TokenVerifier custom = token -> {
      throw new AuthenticationException(AuthenticationException.Reason.MALFORMED, "never");
    };
    ComplianceReport report = f.complete().tokens(custom)
        .rationale(Specification.PERSON_OR_ENTITY_AUTHENTICATION, "tokens come from the hospital's gateway, MFA there")
        .build().complianceReport();

    assertThat(report.status(Specification.UNIQUE_USER_IDENTIFICATION)).isEqualTo(Status.PARTIALLY_MET);
    assertThat(report.status(Specification.PERSON_OR_ENTITY_AUTHENTICATION)).isEqualTo(Status.PARTIALLY_MET);
    assertThat(report.row(Specification.PERSON_OR_ENTITY_AUTHENTICATION).rationale())
        .hasValue("tokens come from the hospital's gateway, MFA there");
  }

  @Test
  void acceptedWeakness_showsItsRationaleOnTheRowItWeakens() {
    ComplianceReport report = f.complete().sessions(f.sessions(Duration.ofHours(1)))
        .acceptWeakness(Weakness.LONG_IDLE_TIMEOUT, "ward terminals lock on badge tap-out").build().complianceReport();

    assertThat(report.row(Specification.AUTOMATIC_LOGOFF).rationale())
        .hasValue("LONG_IDLE_TIMEOUT: ward terminals lock on badge tap-out");
    assertThat(report.acceptedWeaknesses()).singleElement()
        .satisfies(a -> assertThat(a.weakness()).isEqualTo(Weakness.LONG_IDLE_TIMEOUT));
  }

  @Test
  void endpoints_listEveryRoute_andFlagTheUnprotected() {
    Safeguards safeguards = f.complete().build();
    safeguards.registerEndpoints(List.of(Route.publicRoute("GET", "/open")));

    List<ComplianceReport.Endpoint> endpoints = safeguards.complianceReport().endpoints();

    assertThat(endpoints).extracting(e -> e.method() + " " + e.path() + " " + e.access()).containsExactlyInAnyOrder(
        "GET /health public", "GET /patients/{id:uuid} permission patient:read", "GET /audit roles admin",
        "POST /logout logout", "GET /open public");
    assertThat(endpoints).filteredOn(e -> e.flag().isPresent()).extracting(ComplianceReport.Endpoint::path)
        .containsExactlyInAnyOrder("/health", "/open");
    assertThat(endpoints).filteredOn(e -> e.path().equals("/patients/{id:uuid}")).singleElement()
        .satisfies(e -> assertThat(e.breakGlass()).isTrue());
  }

  @Test
  void keys_areListedWithTheirAge_andPrimaryKeysPastTheRotationPolicyAreDue() {
    Safeguards safeguards = f.complete().keyRotationPolicy(Duration.ofDays(90)).build();
    assertThat(safeguards.complianceReport().keys()).hasSize(6).noneMatch(ComplianceReport.Key::rotationDue);

    f.clock.advance(Duration.ofDays(91));
    ComplianceReport later = safeguards.complianceReport();

    assertThat(later.keys()).allSatisfy(k -> {
      assertThat(k.ageDays()).isEqualTo(91);
      assertThat(k.rotationDue()).isEqualTo(k.primary());
    });
    assertThat(later.keys()).extracting(ComplianceReport.Key::purpose).contains("field-encryption", "blind-index",
        "streaming-encryption", "record-signing-ed25519", "token-signing-ed25519");
  }

  @Test
  void json_followsTheSchema_roundTrips_andHoldsNoKeyMaterial() throws Exception {
    ComplianceReport report = f.complete().sessions(f.sessions(Duration.ofHours(1)))
        .acceptWeakness(Weakness.LONG_IDLE_TIMEOUT, "badge tap-out").build().complianceReport();

    String json = report.toJson();
    ComplianceReport back = ComplianceReport.parse(json);

    assertThat(back.toJson()).isEqualTo(json);
    assertThat(json).contains("\"schema\" : \"safeguards-compliance-report/v1\"", "\"id\" : \"164.312(e)(2)(ii)\"",
        "\"status\" : \"partially-met\"", "\"rationale\" : null", "\"asvs\" : [ \"7.1.1\"");
    String masterKey = Files.readString(dir.resolve("master.key")).strip();
    assertThat(json).doesNotContain(masterKey.substring(masterKey.indexOf(':') + 1));
    for (Path keyset : List.of(dir.resolve("keys/field-encryption.keyset.json"),
        dir.resolve("keys/token-signing-ed25519.keyset.json"))) {
      String sealed = new com.fasterxml.jackson.databind.ObjectMapper().readTree(Files.readString(keyset))
          .path("encryptedKeyset").asText();
      assertThat(sealed).isNotEmpty();
      assertThat(json).doesNotContain(sealed.substring(0, 24));
    }
  }

  @Test
  void markdown_summarisesEveryRow_endpointsAndKeys() {
    String md = f.complete().build().complianceReport().toMarkdown();

    assertThat(md).contains("| 164.312(b) | Audit controls | **met** | TamperEvidentAuditLog |",
        "## 164.312(a)(2)(iii) Automatic logoff: met", "| GET | /health | public | no |  | no | **unprotected** |",
        "## Keys (rotation policy: primary keys older than 365 days are due)");
  }

  @Test
  void parse_refusesWhatIsNotAReport() {
    assertThatThrownBy(() -> ComplianceReport.parse("{\"schema\":\"other\"}"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a compliance report");
    assertThatThrownBy(() -> ComplianceReport.parse("[1,2"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("not JSON");
    String json = f.complete().build().complianceReport().toJson().replace("\"met\"", "\"maybe\"");
    assertThatThrownBy(() -> ComplianceReport.parse(json)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("malformed");
  }
}
