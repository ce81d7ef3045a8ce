package dev.safeguards.audit;

import static dev.safeguards.audit.AuditFixtures.ALICE;
import static dev.safeguards.audit.AuditFixtures.BOB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safeguards.crypto.SigningKeyset;
import dev.safeguards.identity.UserId;
import dev.safeguards.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Periodic review and breach scoping over a real log on disk, written in the clear ({@link Sealed}: sealed). */
class AuditReviewTest {

  static final Instant T0 = Instant.parse("2026-11-23T08:00:00Z");

  @TempDir Path tmp;
  final MutableClock clock = new MutableClock(T0);
  final AuditEvents events = AuditEvents.create(clock);
  SigningKeyset checkpointKeys;
  Path logDir;
  AuditReview review;

  /** How the log's events are sealed; null: not at all. */
  AuditSealing sealing() throws Exception {
    return null;
  }

  /**
   * Alice reads patients 1..3 at 08:00, 08:10, 08:20 from 192.0.2.7; Bob is refused patient 2 at 08:30 from
   * 198.51.100.9 and deletes patient 4 at 08:40; Alice opens an emergency grant and reads patient 5 at 08:50. Small
   * segments, so the review crosses files.
   */
  @BeforeEach
  void writeLog() throws Exception {
    logDir = tmp.resolve("audit");
    checkpointKeys = AuditFixtures.checkpointKeys(tmp, clock);
    TamperEvidentAuditLog.Builder builder = TamperEvidentAuditLog.builder(logDir, checkpointKeys).clock(clock)
        .maxSegmentBytes(4096).checkpointEvery(2);
    if (sealing() != null) {
      builder.sealIdentities(sealing());
    }
    try (TamperEvidentAuditLog log = builder.open()) {
      for (int p = 1; p <= 3; p++) {
        log.record(AuditFixtures.read(events, ALICE, p));
        clock.advance(Duration.ofMinutes(10));
      }
      log.record(events.event(AuditAction.READ, "rest").httpStatus(403).actor(bob()).entity("Patient",
          AuditFixtures.patient(2)).rule("deny-by-default").build());
      clock.advance(Duration.ofMinutes(10));
      log.record(events.event(AuditAction.DELETE, "rest").httpStatus(204).actor(bob()).entity("Patient",
          AuditFixtures.patient(4)).build());
      clock.advance(Duration.ofMinutes(10));
      log.record(events.event(AuditAction.READ, "rest").httpStatus(200)
          .actor(AuditActor.of(principalAlice()).from("192.0.2.7")).purposeOfUse("ETREAT").emergencyGrant("g-1")
          .entity("Patient", AuditFixtures.patient(5)).build());
    }
    review = sealing() == null ? AuditReview.of(logDir) : AuditReview.of(logDir, sealing());
  }

  private static AuditActor bob() {
    return new AuditActor(Optional.of(BOB), Set.of("billing"), Optional.empty(), Optional.of("s-bob"),
        Optional.of("198.51.100.9"), Optional.empty());
  }

  private static dev.safeguards.identity.Principal principalAlice() {
    return new dev.safeguards.identity.Principal(ALICE, Set.of("nurse"), Set.of(), Set.of("pwd", "otp"), T0,
        Optional.of("s-alice"), Optional.empty(), Optional.empty(), T0.plusSeconds(600));
  }

  List<AuditEvent> find(AuditFilter filter) throws AuditException {
    try (Stream<AuditEvent> s = review.events(filter)) {
      return s.toList();
    }
  }

  @Test
  void events_all_inLogOrderAcrossSegments() throws Exception {
    List<AuditEvent> all = find(AuditFilter.all());

    assertThat(all).hasSize(6);
    assertThat(all).extracting(AuditEvent::recorded).isSorted();
    try (Stream<Path> files = Files.list(logDir)) {
      assertThat(files.filter(f -> f.toString().endsWith(".jsonl")).count()).isGreaterThan(1);
    }
  }

  @Test
  void events_byUserActionOutcomeAndTime() throws Exception {
    assertThat(find(AuditFilter.builder().user(BOB).build())).hasSize(2);
    assertThat(find(AuditFilter.builder().action(AuditAction.DELETE).build()))
        .singleElement().satisfies(e -> assertThat(e.actor().user()).hasValue(BOB));
    assertThat(find(AuditFilter.builder().outcome(AuditOutcome.MINOR_FAILURE).build()))
        .singleElement().satisfies(e -> assertThat(e.httpStatus()).hasValue(403));
    assertThat(find(AuditFilter.builder().from(T0.plus(Duration.ofMinutes(10)))
        .to(T0.plus(Duration.ofMinutes(30))).build())).hasSize(2);
    assertThat(find(AuditFilter.builder().user(ALICE).user(BOB).action(AuditAction.READ).build())).hasSize(5);
    assertThat(find(AuditFilter.builder().user(UserId.parse("0193b2c4-7f00-7000-8000-000000000000")).build()))
        .isEmpty();
  }

  @Test
  void events_byResourceSessionAddressAndEmergency() throws Exception {
    assertThat(find(AuditFilter.builder().resource("Patient", AuditFixtures.patient(2)).build())).hasSize(2);
    assertThat(find(AuditFilter.builder().resourceType("Patient").build())).hasSize(6);
    assertThat(find(AuditFilter.builder().resourceType("Encounter").build())).isEmpty();
    assertThat(find(AuditFilter.builder().session("s-bob").build())).hasSize(2);
    assertThat(find(AuditFilter.builder().sourceAddress("192.0.2.7").build())).hasSize(4);
    assertThat(find(AuditFilter.builder().emergencyOnly().build()))
        .singleElement().satisfies(e -> assertThat(e.emergencyGrant()).hasValue("g-1"));
  }

  @Test
  void filter_rangeEndingBeforeItStarts_isRefused() {
    assertThatThrownBy(() -> AuditFilter.builder().from(T0).to(T0.minusSeconds(1)).build())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void events_damagedEventRecord_failsNamingTheLine() throws Exception {
    Path first = logDir.resolve("audit-000000000001.jsonl");
    String text = Files.readString(first, StandardCharsets.US_ASCII);
    Files.writeString(first, text.replaceFirst("\"action\":\"read\"", "\"action\":\"steal\""));

    assertThatThrownBy(() -> find(AuditFilter.all())).isInstanceOf(IllegalStateException.class)
        .hasMessage("audit segment audit-000000000001.jsonl line 2 is not a readable event record; verify the log");
  }

  @Test
  void breachScope_ofACompromisedAccount_listsEveryPatientItTouched() throws Exception {
    BreachScope scope = review.breachScope(AuditFilter.builder().user(ALICE).build()).ofType("Patient");

    assertThat(scope.events()).isEqualTo(4);
    assertThat(scope.resources()).extracting(BreachScope.Resource::id).containsExactly(
        AuditFixtures.patient(1), AuditFixtures.patient(2), AuditFixtures.patient(3), AuditFixtures.patient(5));
    BreachScope.Resource five = scope.resources().get(3);
    assertThat(five.emergencyAccess()).isTrue();
    assertThat(five.users()).containsExactly(ALICE);
  }

  @Test
  void breachScope_ofAnAddressInAWindow_countsRefusedTouchesApart() throws Exception {
    BreachScope scope = review.breachScope(AuditFilter.builder().sourceAddress("198.51.100.9")
        .from(T0.plus(Duration.ofMinutes(30))).to(T0.plus(Duration.ofMinutes(31))).build());

    assertThat(scope.resources()).singleElement().satisfies(r -> {
      assertThat(r.id()).isEqualTo(AuditFixtures.patient(2));
      assertThat(r.accesses()).isEqualTo(1);
      assertThat(r.successfulAccesses()).isZero();
      assertThat(r.actions()).containsExactly(AuditAction.READ);
    });
  }

  @Test
  void breachScope_exports() throws Exception {
    BreachScope scope = review.breachScope(AuditFilter.builder().user(BOB).build());

    assertThat(scope.toCsv()).isEqualTo(
        "type,id,accesses,successfulAccesses,firstAccess,lastAccess,actions,users,emergencyAccess\r\n"
            + "\"Patient\",\"" + AuditFixtures.patient(2) + "\",\"1\",\"0\",\"2026-11-23T08:30:00.000Z\","
            + "\"2026-11-23T08:30:00.000Z\",\"read\",\"" + BOB + "\",\"false\"\r\n"
            + "\"Patient\",\"" + AuditFixtures.patient(4) + "\",\"1\",\"1\",\"2026-11-23T08:40:00.000Z\","
            + "\"2026-11-23T08:40:00.000Z\",\"delete\",\"" + BOB + "\",\"false\"\r\n");
    assertThat(scope.toJson()).isEqualTo("{\"events\":2,\"unreadable\":0,\"resources\":[{\"type\":\"Patient\",\"id\":\""
        + AuditFixtures.patient(2) + "\",\"accesses\":1,\"successfulAccesses\":0,"
        + "\"firstAccess\":\"2026-11-23T08:30:00.000Z\",\"lastAccess\":\"2026-11-23T08:30:00.000Z\","
        + "\"actions\":[\"read\"],\"users\":[\"" + BOB + "\"],\"emergencyAccess\":false},{\"type\":\"Patient\","
        + "\"id\":\"" + AuditFixtures.patient(4) + "\",\"accesses\":1,\"successfulAccesses\":1,"
        + "\"firstAccess\":\"2026-11-23T08:40:00.000Z\",\"lastAccess\":\"2026-11-23T08:40:00.000Z\","
        + "\"actions\":[\"delete\"],\"users\":[\"" + BOB + "\"],\"emergencyAccess\":false}]}");
  }

  @Test
  void breachScope_anEventNamingAResourceTwice_isOneAccessToIt() {
    BreachScope scope = BreachScope.of(Stream.of(events.event(AuditAction.READ, "rest")
        .entity("Patient", "p-1").entity("Patient", "p-1").entity("Patient", "p-2").build()));

    assertThat(scope.resources()).extracting(BreachScope.Resource::accesses).containsExactly(1L, 1L);
  }

  @Test
  void breachScope_csv_defusesSpreadsheetFormulas() {
    BreachScope scope = BreachScope.of(Stream.of(events.event(AuditAction.READ, "rest")
        .entity("Patient", "=HYPERLINK(\"http://x\")").build()));

    assertThat(scope.toCsv()).contains("\"'=HYPERLINK(\"\"http://x\"\")\"");
  }
}
