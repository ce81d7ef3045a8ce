package dev.safeguards.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safeguards.Safeguards;
import dev.safeguards.audit.AsyncAuditSink;
import dev.safeguards.audit.TamperEvidentAuditLog;
import dev.safeguards.authn.TokenVerifier;
import dev.safeguards.crypto.SigningKeyset;
import dev.safeguards.transport.TransportPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SelfCheckTest {

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

  static Stream<Arguments> weakSettings() {
    return Stream.of(
        weak(Weakness.LONG_TOKEN_LIFETIME, "tokens.maxLifetime: tokens may live PT2H, over one hour",
            (f, b) -> b.tokens(TokenVerifier.create(f.tokenPolicy().maxLifetime(Duration.ofHours(2)).build()))),
        weak(Weakness.NO_MFA, "tokens.requireMfa: tokens are accepted without a second factor",
            (f, b) -> b.tokens(TokenVerifier.create(dev.safeguards.authn.TokenPolicy.builder(ComplianceFixture.ISSUER,
                ComplianceFixture.AUDIENCE, dev.safeguards.authn.JwkSource.of(
                    SigningKeyset.create(f.tokenKeys).publicJwks())).build()))),
        weak(Weakness.LONG_IDLE_TIMEOUT, "sessions.idleTimeout: the idle timeout is PT45M, over 30 minutes",
            (f, b) -> b.sessions(f.sessions(Duration.ofMinutes(45)))),
        weak(Weakness.SHORT_HSTS_MAX_AGE, "transport.hstsMaxAge: the HSTS max-age is PT720H, under one year",
            (f, b) -> b.transport(TransportPolicy.builder().weakHstsMaxAge(Duration.ofDays(30)).build())),
        weak(Weakness.AUDIT_NOT_DURABLE, "audit.durable: audit events are acknowledged before they are durable",
            (f, b) -> b.audit(AsyncAuditSink.builder(f.auditLog).build())),
        weak(Weakness.AUDIT_NOT_DURABLE, "audit.durable: audit events are acknowledged before they are durable",
            (f, b) -> b.audit(unsyncedLog(f))));
  }

  private static Arguments weak(Weakness w, String message,
      BiFunction<ComplianceFixture, Safeguards.Builder, Safeguards.Builder> change) {
    return Arguments.of(w, message, change);
  }

  private static TamperEvidentAuditLog unsyncedLog(ComplianceFixture f) {
    try {
      return TamperEvidentAuditLog.builder(f.dir.resolve("audit-unsynced"), SigningKeyset.create(f.checkpointKeys))
          .clock(f.clock).acknowledgeBeforeSync().open();
    } catch (dev.safeguards.audit.AuditException e) {
      throw new IllegalStateException(e);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("weakSettings")
  void weakSetting_failsTheBuild_namingTheSetting(Weakness weakness, String message,
      BiFunction<ComplianceFixture, Safeguards.Builder, Safeguards.Builder> change) {
    assertThatThrownBy(() -> change.apply(f, f.complete()).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("weak configuration: " + message + "; strengthen it, or accept it with "
            + "Safeguards.Builder.acceptWeakness(Weakness." + weakness.name() + ", rationale)");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("weakSettings")
  void weakSetting_accepted_buildsAndIsReportedWithItsRationale(Weakness weakness, String message,
      BiFunction<ComplianceFixture, Safeguards.Builder, Safeguards.Builder> change) {
    Safeguards s = change.apply(f, f.complete()).acceptWeakness(weakness, "documented in risk analysis 2026-07")
        .build();

    ComplianceReport.Row row = s.complianceReport().row(weakness.specification());
    assertThat(row.status()).isEqualTo(Status.PARTIALLY_MET);
    assertThat(row.rationale()).hasValueSatisfying(r -> assertThat(r).contains("documented in risk analysis 2026-07"));
  }

  @Test
  void severalWeakSettings_areAllNamedAtOnce() {
    assertThatThrownBy(() -> f.complete().sessions(f.sessions(Duration.ofHours(2)))
        .transport(TransportPolicy.builder().weakHstsMaxAge(Duration.ofDays(1)).build()).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("sessions.idleTimeout").hasMessageContaining("transport.hstsMaxAge");
  }

  @Test
  void completeConfiguration_passes() {
    assertThat(SelfCheck.findings(f.complete().build().evidence(), java.util.Set.of())).isEmpty();
  }

  @Test
  void acceptWeakness_needsARationale() {
    assertThatThrownBy(() -> f.complete().acceptWeakness(Weakness.NO_MFA, " "))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("a rationale says why, in words");
  }

  @Test
  void findings_comeFromTheComponentsTypedWeaknesses_notFromSettingNames() {
    Evidence renamed = Evidence.of("Tokens").setting("lifetimeCeiling", java.time.Duration.ofHours(8))
        .weakness(Weakness.LONG_TOKEN_LIFETIME, "tokens may live PT8H, over one hour").build();
    Evidence namedLikeTheOldCheck = Evidence.of("Other").setting("maxLifetime", java.time.Duration.ofHours(8))
        .setting("durable", false).build();

    assertThat(SelfCheck.findings(java.util.List.of(renamed, namedLikeTheOldCheck), java.util.Set.of()))
        .singleElement().satisfies(f -> {
          assertThat(f.weakness()).isEqualTo(Weakness.LONG_TOKEN_LIFETIME);
          assertThat(f.message()).contains("PT8H").contains("acceptWeakness(Weakness.LONG_TOKEN_LIFETIME");
        });
    assertThat(SelfCheck.findings(java.util.List.of(renamed), java.util.Set.of(Weakness.LONG_TOKEN_LIFETIME)))
        .isEmpty();
  }
}
