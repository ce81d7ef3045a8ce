package dev.safeguards.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safeguards.audit.AuditAction;
import dev.safeguards.audit.AuditActor;
import dev.safeguards.audit.AuditEvent;
import dev.safeguards.audit.AuditEvents;
import dev.safeguards.audit.AuditException;
import dev.safeguards.audit.AuditOutcome;
import dev.safeguards.identity.UserId;
import dev.safeguards.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Each detector at, below and after its threshold, on event time. */
class AnomalyDetectorTest {

  private static final UserId ALICE = UserId.parse("0193b2c4-7f00-7000-8000-00000000a11c");
  private static final UserId BOB = UserId.parse("0193b2c4-7f00-7000-8000-000000000b0b");

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T09:00:00Z"));
  private final AuditEvents events = AuditEvents.create(clock);
  private final InMemoryAlertSink alerts = new InMemoryAlertSink();

  private AuditActor actor(UserId user, String address) {
    return new AuditActor(Optional.ofNullable(user), Set.of("clinician"), Optional.empty(), Optional.empty(),
        Optional.of(address), Optional.empty());
  }

  private AuditEvent denied(UserId user, String address) {
    return events.event(AuditAction.READ, "rest").httpStatus(403).actor(actor(user, address))
        .entity("Patient", "p-1").build();
  }

  private AuditEvent read(UserId user, int patient) {
    return events.event(AuditAction.READ, "rest").httpStatus(200).actor(actor(user, "10.0.0.1"))
        .entity("Patient", "p-" + patient).build();
  }

  @Test
  void denialBurst_perUser_firesAtTheThresholdWithinTheWindow_thenQuietForAWindow() throws Exception {
    AnomalyDetector d = AnomalyDetector.builder(alerts).denialBursts(3, Duration.ofMinutes(1)).build();

    d.record(denied(ALICE, "10.0.0.1"));
    clock.advance(Duration.ofSeconds(20));
    d.record(denied(ALICE, "10.0.0.2"));
    assertThat(alerts.alerts()).isEmpty();
    clock.advance(Duration.ofSeconds(20));
    d.record(denied(ALICE, "10.0.0.3"));

    assertThat(alerts.alerts()).singleElement().satisfies(a -> {
      assertThat(a.type()).isEqualTo("denial-burst");
      assertThat(a.subject()).containsEntry("user", ALICE.toString()).containsEntry("count", "3");
    });
    d.record(denied(ALICE, "10.0.0.4"));
    assertThat(alerts.alerts()).as("quiet within the window").hasSize(1);
  }

  @Test
  void denialBurst_spreadBeyondTheWindow_doesNotFire() throws Exception {
    AnomalyDetector d = AnomalyDetector.builder(alerts).denialBursts(3, Duration.ofMinutes(1)).build();

    for (int i = 0; i < 10; i++) {
      d.record(denied(ALICE, "10.0.0." + i));
      clock.advance(Duration.ofSeconds(31));
    }

    assertThat(alerts.alerts()).isEmpty();
  }

  @Test
  void denialBurst_perAddress_acrossUsers() throws Exception {
    AnomalyDetector d = AnomalyDetector.builder(alerts).denialBursts(2, Duration.ofMinutes(1)).build();

    d.record(denied(ALICE, "203.0.113.9"));
    d.record(denied(BOB, "203.0.113.9"));

    assertThat(alerts.alerts()).singleElement()
        .satisfies(a -> assertThat(a.subject()).containsEntry("address", "203.0.113.9"));
  }

  @Test
  void bulkReads_countDistinctPatients() throws Exception {
    AnomalyDetector d = AnomalyDetector.builder(alerts).bulkReads("Patient", 5, Duration.ofMinutes(10)).build();

    for (int i = 0; i < 20; i++) {
      d.record(read(ALICE, i % 4)); // the same four patients again and again
    }
    assertThat(alerts.alerts()).isEmpty();
    d.record(read(ALICE, 4));

    assertThat(alerts.alerts()).singleElement().satisfies(a -> {
      assertThat(a.type()).isEqualTo("bulk-read");
      assertThat(a.severity()).isEqualTo(Alert.Severity.CRITICAL);
      assertThat(a.subject()).containsEntry("distinct", "5").containsEntry("user", ALICE.toString());
    });
    d.record(read(BOB, 1));
    assertThat(alerts.alerts()).hasSize(1);
  }

  @Test
  void bulkReads_oldReadsLeaveTheWindow() throws Exception {
    AnomalyDetector d = AnomalyDetector.builder(alerts).bulkReads("Patient", 3, Duration.ofMinutes(10)).build();

    d.record(read(ALICE, 1));
    d.record(read(ALICE, 2));
    clock.advance(Duration.ofMinutes(11));
    d.record(read(ALICE, 3));

    assertThat(alerts.alerts()).isEmpty();
  }

  @Test
  void authenticationFailures_fromOneAddress() throws Exception {
    AnomalyDetector d = AnomalyDetector.builder(alerts).authenticationFailures(4, Duration.ofMinutes(5)).build();

    for (int i = 0; i < 3; i++) {
      d.record(events.event(AuditAction.LOGIN, "login").outcome(AuditOutcome.MINOR_FAILURE)
          .actor(actor(null, "198.51.100.4")).build());
    }
    d.record(events.event(AuditAction.READ, "rest").httpStatus(401).actor(actor(null, "198.51.100.4")).build());

    assertThat(alerts.alerts()).extracting(Alert::type)
        .containsExactly("authentication-failure-spike", "authentication-failure-spike");
    assertThat(alerts.alerts().get(0).subject()).containsEntry("address", "198.51.100.4");
    assertThat(alerts.alerts().get(1).subject()).containsEntry("scope", "all");
  }

  @Test
  void emergencyAccess_firstUsePerGrant() throws Exception {
    AnomalyDetector d = AnomalyDetector.builder(alerts).build();
    AuditEvent use = events.event(AuditAction.READ, "rest").httpStatus(200).actor(actor(ALICE, "10.0.0.1"))
        .emergencyGrant("eg-1").entity("Patient", "p-1").build();

    d.record(use);
    d.record(use);

    assertThat(alerts.alerts()).singleElement().satisfies(a -> {
      assertThat(a.type()).isEqualTo("emergency-access-used");
      assertThat(a.subject()).containsEntry("grant", "eg-1");
    });
  }

  @Test
  void integrityViolation_alertsAtOnce() throws Exception {
    AnomalyDetector d = AnomalyDetector.builder(alerts).build();

    d.record(events.event(AuditAction.UPDATE, AnomalyDetector.INTEGRITY_TYPE).subtype("content-digest")
        .httpStatus(400).actor(actor(ALICE, "10.0.0.1")).requestId("r-9").build());

    assertThat(alerts.alerts()).singleElement().satisfies(a -> {
      assertThat(a.type()).isEqualTo("integrity-violation");
      assertThat(a.severity()).isEqualTo(Alert.Severity.CRITICAL);
      assertThat(a.subject()).containsEntry("check", "content-digest").containsEntry("request", "r-9");
    });
    AnomalyDetector off = AnomalyDetector.builder(alerts).ignoreIntegrityViolations().ignoreEmergencyAccessUse()
        .build();
    off.record(events.event(AuditAction.UPDATE, AnomalyDetector.INTEGRITY_TYPE).httpStatus(400).build());
    assertThat(alerts.alerts()).hasSize(1);
  }

  @Test
  void alertSinkDown_isCountedAndNeverFailsTheRequest() throws Exception {
    AnomalyDetector d = AnomalyDetector.builder(a -> {
      throw new AlertException("pager down");
    }).denialBursts(1, Duration.ofMinutes(1)).build();

    d.record(denied(ALICE, "10.0.0.1"));

    assertThat(d.unsent()).as("the user's and the address's burst").isEqualTo(2);
    assertThat(d.evidence().settings()).containsEntry("unsentAlerts", 2L);
  }

  @Test
  void slowAlertSink_neverHoldsUpTheAuditStream() throws Exception {
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    List<Alert> delivered = new java.util.concurrent.CopyOnWriteArrayList<>();
    AsyncAlertSink async = AlertSinks.async(a -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        throw new AlertException("interrupted", e);
      }
      delivered.add(a);
    }, 4);
    AnomalyDetector d = AnomalyDetector.builder(async).denialBursts(1, Duration.ofMinutes(1)).build();

    for (int i = 0; i < 50; i++) { // 50 users each raise a denial burst while the webhook hangs
      d.record(denied(UserId.parse(java.util.UUID.randomUUID().toString()), "10.0.0." + i));
    }

    assertThat(delivered).isEmpty();
    assertThat(async.dropped()).as("the queue (4) and the one being sent hold a few; the rest are dropped and counted")
        .isGreaterThanOrEqualTo(90);
    assertThat(d.unsent()).isEqualTo(async.dropped());
    release.countDown();
    while (delivered.size() < 100 - async.dropped()) { // the held ones are delivered once the webhook answers
      Thread.onSpinWait();
    }
    assertThat(delivered).extracting(Alert::type).containsOnly("denial-burst");
  }

  @Test
  void thresholds_mustBePositive() {
    assertThatThrownBy(() -> AnomalyDetector.builder(alerts).denialBursts(0, Duration.ofMinutes(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AnomalyDetector.builder(alerts).bulkReads("Patient", 5, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
