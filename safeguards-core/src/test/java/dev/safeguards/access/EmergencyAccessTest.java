package dev.safeguards.access;

import static dev.safeguards.access.AccessFixtures.ALICE;
import static dev.safeguards.access.AccessFixtures.BOB;
import static dev.safeguards.access.AccessFixtures.OLGA;
import static dev.safeguards.access.AccessFixtures.principal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safeguards.alert.Alert;
import dev.safeguards.alert.AlertException;
import dev.safeguards.alert.InMemoryAlertSink;
import dev.safeguards.audit.AuditAction;
import dev.safeguards.audit.AuditEvent;
import dev.safeguards.audit.AuditEvents;
import dev.safeguards.audit.AuditException;
import dev.safeguards.audit.AuditFilter;
import dev.safeguards.audit.AuditOutcome;
import dev.safeguards.audit.AuditReview;
import dev.safeguards.audit.TamperEvidentAuditLog;
import dev.safeguards.crypto.KeyEncryptionKey;
import dev.safeguards.crypto.KeyPurpose;
import dev.safeguards.crypto.ManagedKeyset;
import dev.safeguards.crypto.SigningKeyset;
import dev.safeguards.identity.Principal;
import dev.safeguards.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The break-glass life cycle on an injected clock, audited to a real tamper-evident log. */
class EmergencyAccessTest {

  private static final Permission READ = Permission.parse("patient:read");
  private static final ResourceRef P1 = new ResourceRef("Patient", "p-1");
  private static final ResourceRef P2 = new ResourceRef("Patient", "p-2");
  private static final String REASON = "Unresponsive patient brought to ER, no care team reachable";

  @TempDir Path tmp;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T03:00:00Z"));
  private final InMemoryAlertSink alerts = new InMemoryAlertSink();
  private TamperEvidentAuditLog log;
  private EmergencyAccess emergency;
  private AccessPolicy policy;
  private final Principal nurse = principal(ALICE, "nurse");

  @BeforeEach
  void setUp() throws Exception {
    KeyEncryptionKey kek = KeyEncryptionKey.generateMasterKeyFile(tmp.resolve("master.key"));
    SigningKeyset keys = SigningKeyset.create(ManagedKeyset.create(tmp.resolve("cp.json"),
        KeyPurpose.RECORD_SIGNING_ED25519, kek, clock));
    log = TamperEvidentAuditLog.builder(tmp.resolve("audit"), keys).clock(clock).open();
    emergency = EmergencyAccess.builder(clock, log, alerts).eligibleRoles("nurse", "clinician")
        .reviewerRoles("privacy-officer").permissions("patient:read").build();
    policy = AccessPolicy.builder().role("clinician", "patient:read").role("billing", "patient:read-demographics")
        .resourceRule("Patient", AccessRules.deny("not-on-care-team")).emergencyAccess(emergency).build();
  }

  @AfterEach
  void tearDown() throws Exception {
    log.close();
  }

  private List<AuditEvent> audited() throws AuditException {
    try (Stream<AuditEvent> s = AuditReview.of(tmp.resolve("audit")).events(AuditFilter.all())) {
      return s.toList();
    }
  }

  @Test
  void open_alertsAtOnce_auditsTheReason_andPermitsFlaggedAccessToThatPatientOnly() throws Exception {
    assertThat(policy.decide(nurse, READ, P1).permitted()).isFalse();

    EmergencyGrant grant = emergency.open(nurse, EmergencyRequest.forResource("p-1", REASON).from("10.0.0.7"));

    assertThat(grant.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(60)));
    assertThat(alerts.alerts()).singleElement().satisfies(a -> {
      assertThat(a.severity()).isEqualTo(Alert.Severity.CRITICAL);
      assertThat(a.type()).isEqualTo("break-glass-opened");
      assertThat(a.subject()).containsEntry("grant", grant.id()).containsEntry("user", ALICE.toString())
          .containsEntry("resource", "p-1");
      assertThat(a.toJson()).doesNotContain("Unresponsive");
    });
    AuditEvent opened = audited().get(0);
    assertThat(opened.action()).isEqualTo(AuditAction.EMERGENCY_ACCESS);
    assertThat(opened.subtype()).hasValue("open");
    assertThat(opened.justification()).hasValue(REASON);
    assertThat(opened.actor().sourceAddress()).hasValue("10.0.0.7");
    assertThat(opened.purposeOfUse()).containsExactly("ETREAT");

    AccessDecision d = policy.decide(nurse, READ, P1);
    assertThat(d.permitted()).isTrue();
    assertThat(d.emergencyGrant()).hasValue(grant.id());
    AuditEvent access = d.applyTo(AuditEvents.create(clock).event(AuditAction.READ, "rest")).build();
    assertThat(access.isEmergencyAccess()).isTrue();
    assertThat(access.purposeOfUse()).containsExactly("ETREAT");

    assertThat(policy.decide(nurse, READ, P2).permitted()).as("another patient").isFalse();
    assertThat(policy.decide(nurse, Permission.parse("patient:delete"), P1).permitted()).as("another permission")
        .isFalse();
    assertThat(policy.decide(principal(BOB, "nurse"), READ, P1).permitted()).as("another user").isFalse();
  }

  @Test
  void grant_expires() throws Exception {
    emergency.open(nurse, EmergencyRequest.forAll(REASON).lasting(Duration.ofMinutes(15)));
    assertThat(policy.decide(nurse, READ, P2).permitted()).isTrue();

    clock.advance(Duration.ofMinutes(15));

    assertThat(policy.decide(nurse, READ, P2).permitted()).isFalse();
    assertThat(policy.decide(nurse, READ, P2).rule()).isEqualTo(AccessPolicy.DENY_BY_DEFAULT);
  }

  @Test
  void grant_revoked_endsAtOnceAndIsAudited() throws Exception {
    EmergencyGrant grant = emergency.open(nurse, EmergencyRequest.forResource("p-1", REASON));

    Optional<EmergencyGrant> revoked = emergency.revoke(grant.id(), principal(OLGA, "privacy-officer"));

    assertThat(revoked.orElseThrow().revokedAt()).hasValue(clock.instant());
    assertThat(policy.decide(nurse, READ, P1).permitted()).isFalse();
    assertThat(audited()).extracting(e -> e.subtype().orElse("")).containsExactly("open", "revoke");
    assertThat(emergency.revoke("eg-none", nurse)).isEmpty();
  }

  @Test
  void ineligibleRole_isRefused_auditedAndAlerted() throws Exception {
    Principal billing = principal(BOB, "billing");

    assertThatThrownBy(() -> emergency.open(billing, EmergencyRequest.forResource("p-1", REASON)))
        .isInstanceOf(AccessDeniedException.class);

    AuditEvent refused = audited().get(0);
    assertThat(refused.outcome()).isEqualTo(AuditOutcome.MINOR_FAILURE);
    assertThat(refused.rule()).hasValue("break-glass:ineligible-role");
    assertThat(alerts.alerts()).singleElement().satisfies(a -> assertThat(a.type()).isEqualTo("break-glass-refused"));
    assertThat(policy.decide(billing, READ, P1).permitted()).isFalse();
  }

  @Test
  void missingReason_orTooLong_isRefused() {
    assertThatThrownBy(() -> EmergencyRequest.forResource("p-1", "  ")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EmergencyRequest.forAll(null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EmergencyRequest.forAll(REASON).purpose("TREAT"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(EmergencyRequest.forAll(REASON).purpose("BTG").purposeOfUse()).isEqualTo("BTG");
    assertThatThrownBy(() -> emergency.open(nurse, EmergencyRequest.forAll(REASON).lasting(Duration.ofHours(5))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most PT4H");
    assertThat(alerts.alerts()).isEmpty();
  }

  @Test
  void alertCannotBeSent_nothingOpens() throws Exception {
    EmergencyAccess silent = EmergencyAccess.builder(clock, log, alert -> {
      throw new AlertException("pager down");
    }).eligibleRoles("nurse").reviewerRoles("privacy-officer").permissions("patient:read").build();

    assertThatThrownBy(() -> silent.open(nurse, EmergencyRequest.forResource("p-1", REASON)))
        .isInstanceOf(AlertException.class);
    assertThat(silent.activeGrant(nurse, READ, P1)).isEmpty();
    assertThat(audited()).extracting(e -> e.rule().orElseThrow())
        .as("the opening is recorded, then at once its end because nobody was alerted")
        .containsExactly(audited().get(0).rule().orElseThrow(), "break-glass:alert-failed");
  }

  @Test
  void grantStoreDown_theOpeningIsRecordedAsNeverInForce() throws Exception {
    EmergencyGrantStore down = new EmergencyGrantStore() {
      @Override
      public void put(EmergencyGrant grant) {
        throw new dev.safeguards.StateUnavailableException("the grant store is unreachable");
      }

      @Override
      public Optional<EmergencyGrant> find(String id) {
        throw new dev.safeguards.StateUnavailableException("the grant store is unreachable");
      }

      @Override
      public List<EmergencyGrant> forUser(dev.safeguards.identity.UserId user) {
        throw new dev.safeguards.StateUnavailableException("the grant store is unreachable");
      }
    };
    EmergencyAccess unstored = EmergencyAccess.builder(clock, log, alerts).eligibleRoles("nurse")
        .reviewerRoles("privacy-officer").permissions("patient:read").store(down).build();

    assertThatThrownBy(() -> unstored.open(nurse, EmergencyRequest.forResource("p-1", REASON)))
        .isInstanceOf(dev.safeguards.StateUnavailableException.class);
    List<AuditEvent> events = audited();
    assertThat(events).extracting(e -> e.rule().orElseThrow())
        .containsExactly(events.get(0).rule().orElseThrow(), "break-glass:store-failed");
    assertThat(events.get(1).emergencyGrant()).isEqualTo(events.get(0).emergencyGrant());
  }

  @Test
  void reasonsNoReviewerCanRead_areRefused_withoutRepeatingThem() {
    String[] unreadable = {
        "\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u000e\u000f\u0010\u0011", // control only
        "\u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200b", // zero-width only
        "patient unconscious\u202e in ER bay 3", // a bidirectional override hiding what is shown
        "urgent!!!", // too short to say why
        "  urgent\n now  ", // after normalisation, 9 letters
        "x".repeat(1001)};
    for (String reason : unreadable) {
      assertThatThrownBy(() -> EmergencyRequest.forResource("p-1", reason)).as(reason.length() + " chars")
          .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining(reason.strip());
    }
  }

  @Test
  void reason_isNormalised_whiteSpaceCollapsedAndComposed() {
    String typed = "  Unresponsive patient\r\n\tin ER   bay 3, cafe\u0301 staff called  ";

    assertThat(EmergencyRequest.forResource("p-1", typed).reason())
        .isEqualTo("Unresponsive patient in ER bay 3, caf\u00e9 staff called");
  }

  @Test
  void auditCannotBeWritten_neitherAlertNorGrant() throws Exception {
    log.close();

    assertThatThrownBy(() -> emergency.open(nurse, EmergencyRequest.forResource("p-1", REASON)))
        .isInstanceOf(AuditException.class);
    assertThat(alerts.alerts()).as("no alert for an opening that was not recorded").isEmpty();
  }

  @Test
  void auditCannotBeWritten_nothingOpens() throws Exception {
    log.close();

    assertThatThrownBy(() -> emergency.open(nurse, EmergencyRequest.forResource("p-1", REASON)))
        .isInstanceOf(AuditException.class);
    assertThat(emergency.activeGrant(nurse, READ, P1)).isEmpty();
  }

  @Test
  void reviewQueue_listsWhoWhenWhyAndWhat_untilReviewed() throws Exception {
    EmergencyGrant grant = emergency.open(nurse, EmergencyRequest.forAll(REASON));
    AuditEvents events = AuditEvents.create(clock);
    for (ResourceRef r : List.of(P1, P2, P1)) {
      clock.advance(Duration.ofMinutes(1));
      log.record(policy.decide(nurse, READ, r).applyTo(events.event(AuditAction.READ, "rest")).build());
    }

    List<EmergencyReviewItem> queue = EmergencyAccess.reviewQueue(audited().stream());

    assertThat(queue).singleElement().satisfies(item -> {
      assertThat(item.grantId()).isEqualTo(grant.id());
      assertThat(item.user()).isEqualTo(ALICE);
      assertThat(item.openedAt()).isEqualTo(grant.openedAt());
      assertThat(item.reason()).isEqualTo(REASON);
      assertThat(item.resourceId()).isEmpty();
      assertThat(item.accessed()).containsExactly(P1, P2);
    });

    assertThatThrownBy(() -> emergency.markReviewed(grant.id(), principal(BOB, "nurse"), "justified"))
        .isInstanceOf(AccessDeniedException.class);
    assertThatThrownBy(() -> emergency.markReviewed(grant.id(), principal(ALICE, "privacy-officer"), "justified"))
        .isInstanceOf(AccessDeniedException.class).hasMessageContaining("own");
    emergency.markReviewed(grant.id(), principal(OLGA, "privacy-officer"), "justified");
    assertThat(EmergencyAccess.reviewQueue(audited().stream())).isEmpty();
  }

  @Test
  void aGrantTheStoreNoLongerHolds_isReviewedFromItsQueueItem() throws Exception {
    emergency.open(nurse, EmergencyRequest.forResource("p-1", REASON));
    EmergencyAccess restarted = EmergencyAccess.builder(clock, log, alerts).eligibleRoles("nurse", "clinician")
        .reviewerRoles("privacy-officer").permissions("patient:read").build(); // a new in-memory store
    EmergencyReviewItem item = EmergencyAccess.reviewQueue(audited().stream()).get(0);

    assertThatThrownBy(() -> restarted.markReviewed(item.grantId(), principal(OLGA, "privacy-officer"), "justified"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> restarted.markReviewed(item, principal(ALICE, "privacy-officer"), "justified"))
        .isInstanceOf(AccessDeniedException.class).hasMessageContaining("own");
    EmergencyReviewItem forged = new EmergencyReviewItem(item.grantId(), OLGA, item.openedAt(), item.purposeOfUse(),
        item.reason(), item.resourceType(), item.resourceId(), item.accessed(), item.revokedAt());
    assertThatThrownBy(() -> emergency.markReviewed(forged, principal(ALICE, "privacy-officer"), "justified"))
        .as("the store still holds it, with another user").isInstanceOf(IllegalArgumentException.class);
    restarted.markReviewed(item, principal(OLGA, "privacy-officer"), "justified");
    assertThat(EmergencyAccess.reviewQueue(audited().stream())).isEmpty();
  }

  @Test
  void builder_requiresRolesAndPermissions() {
    assertThatThrownBy(() -> EmergencyAccess.builder(clock, log, alerts).permissions("patient:read").build())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> EmergencyAccess.builder(clock, log, alerts).eligibleRoles("nurse")
        .reviewerRoles("po").permissions("patient:read").defaultDuration(Duration.ofHours(5)).build())
        .isInstanceOf(IllegalStateException.class);
  }
}
