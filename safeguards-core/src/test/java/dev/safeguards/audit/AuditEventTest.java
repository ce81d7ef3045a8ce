package dev.safeguards.audit;

import static dev.safeguards.audit.AuditFixtures.ALICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safeguards.crypto.KeyEncryptionKey;
import dev.safeguards.crypto.KeyPurpose;
import dev.safeguards.crypto.ManagedKeyset;
import dev.safeguards.identity.Principal;
import dev.safeguards.identity.UuidV7Generator;
import dev.safeguards.integrity.internal.JsonCanonicalizer;
import dev.safeguards.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditEventTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:15:30.123456Z"));
  private final AuditEvents events = AuditEvents.create(clock);

  @TempDir Path dir;

  @Test
  void time_isUtcWithThreeFractionDigits_likeTheDocumentedPattern() {
    java.time.format.DateTimeFormatter documented = java.time.format.DateTimeFormatter
        .ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(java.time.ZoneOffset.UTC);
    java.util.List<Instant> instants = new java.util.ArrayList<>(java.util.List.of(Instant.EPOCH,
        Instant.parse("1969-12-31T23:59:59.999999999Z"), Instant.parse("0000-01-01T00:00:00Z"),
        Instant.parse("9999-12-31T23:59:59.999999Z"), Instant.parse("2026-02-28T07:08:09.010Z"),
        Instant.parse("+10000-01-01T00:00:00Z"), Instant.parse("-0001-12-31T23:59:59Z")));
    java.util.Random random = new java.util.Random(20261202);
    for (int i = 0; i < 10_000; i++) {
      instants.add(Instant.ofEpochSecond(random.nextLong() % 253_402_300_800L, random.nextInt(1_000_000_000)));
    }

    for (Instant t : instants) {
      assertThat(AuditJson.time(t)).as(t.toString()).isEqualTo(documented.format(t));
    }
    assertThat(AuditJson.time(Instant.parse("2026-11-23T10:15:30.1239Z"))).isEqualTo("2026-11-23T10:15:30.123Z");
  }

  @Test
  void event_fromFactory_hasUuidV7IdAndMillisecondTime() {
    AuditEvent e = AuditFixtures.read(events, ALICE, 1);

    assertThat(e.id().version()).isEqualTo(7);
    assertThat(e.recorded()).isEqualTo(Instant.parse("2026-11-23T10:15:30.123Z"));
    assertThat(UuidV7Generator.timestampMillis(e.id())).isEqualTo(e.recorded().toEpochMilli());
    assertThat(e.outcome()).isEqualTo(AuditOutcome.SUCCESS);
    assertThat(e.httpStatus()).hasValue(200);
  }

  @Test
  void encode_fullEvent_isTheDocumentedLayout() {
    AuditEvent e = AuditFixtures.read(events, ALICE, 1);

    String json = new String(AuditJson.encode(e), StandardCharsets.US_ASCII);

    assertThat(json).isEqualTo("{\"id\":\"" + e.id() + "\",\"recorded\":\"2026-11-23T10:15:30.123Z\","
        + "\"action\":\"read\",\"type\":\"rest\",\"subtype\":\"GET:/patients/{id}\",\"outcome\":\"success\","
        + "\"status\":200,\"actor\":{\"user\":\"" + ALICE + "\",\"roles\":[\"clinician\"],\"client\":\"clinic-web\","
        + "\"session\":\"s-" + ALICE.value() + "\",\"address\":\"192.0.2.7\",\"userAgent\":\"curl/8.5\"},"
        + "\"purposeOfUse\":[\"TREAT\"],\"entities\":[{\"type\":\"Patient\",\"id\":\""
        + AuditFixtures.patient(1) + "\"}],\"rule\":\"role:clinician\",\"requestId\":\"req-1\"}");
  }

  @Test
  void encodeThenDecode_anyEvent_roundTrips() {
    AuditEvent e = events.event(AuditAction.EMERGENCY_ACCESS, "break-glass")
        .outcome(AuditOutcome.SERIOUS_FAILURE)
        .actor(AuditActor.anonymous().from("2001:db8::1").withUserAgent("Mozilla/5.0 \"quoted\" \\ back"))
        .purposeOfUse("ETREAT")
        .emergencyGrant("grant-1")
        .justification("Unconscious patient in ER bay 3,\r\nno chart — \"stat\" access")
        .entity("Patient", "p\"1\\")
        .build();

    AuditEvent back = AuditJson.decode(JsonCanonicalizer.parseStrict(AuditJson.encode(e)));

    assertThat(back).isEqualTo(e);
    assertThat(back.isEmergencyAccess()).isTrue();
    assertThat(back.justification()).hasValue("Unconscious patient in ER bay 3,  no chart — \"stat\" access");
    assertThatThrownBy(() -> events.event(AuditAction.EMERGENCY_ACCESS, "break-glass").justification(" \n "))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void userAgent_withLineBreaksQuotesAndUnicode_staysOneAsciiLineAndCannotForgeARecord() {
    String attack = "x\"}\n{\"chain\":\"00\",\"record\":{\"seq\":9}}\r\u2028\u00e9\u0000";
    AuditEvent e = events.event(AuditAction.LOGIN, "login").actor(AuditActor.anonymous().withUserAgent(attack))
        .build();

    byte[] json = AuditJson.encode(e);

    for (byte b : json) {
      assertThat(b).isBetween((byte) 0x20, (byte) 0x7e);
    }
    assertThat(e.actor().userAgent()).as("nothing of it is a product token").isEmpty();
    assertThat(AuditJson.decode(JsonCanonicalizer.parseStrict(json))).isEqualTo(e);
  }

  @Test
  void userAgent_keepsOnlyProductTokens_soThatNoFreeTextIsKept() {
    assertThat(AuditActor.anonymous().withUserAgent("Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/120.0")
        .userAgent()).hasValue("Mozilla/5.0 Gecko/20100101 Firefox/120.0");
    assertThat(AuditActor.anonymous().withUserAgent("Apache-HttpClient/5.2.1 (Java/17.0.9)").userAgent())
        .hasValue("Apache-HttpClient/5.2.1");
    assertThat(AuditActor.anonymous().withUserAgent("okhttp/4.12.0-alpha").userAgent()).hasValue("okhttp/4.12.0-alpha");
    AuditActor phi = AuditActor.anonymous().withUserAgent("Jane Roe SSN 123-45-6789 MRN/123-45-6789 curl/8.5.0");
    assertThat(phi.userAgent()).hasValue("curl/8.5.0");
    assertThat(AuditActor.anonymous().withUserAgent("Jane Roe SSN 123-45-6789").userAgent()).isEmpty();
  }

  @Test
  void userAgent_manyProducts_keepsAtMostEight() {
    AuditActor a = AuditActor.anonymous().withUserAgent("p/1 ".repeat(20) + "a".repeat(1000));

    assertThat(a.userAgent().orElseThrow()).isEqualTo(String.join(" ", java.util.Collections.nCopies(8, "p/1")));
  }

  @Test
  void jsonString_controlAndNonAscii_areEscaped() {
    StringBuilder out = new StringBuilder();

    AuditJson.string(out, "a\n\u00e9\"\\\u007f");

    assertThat(out.toString()).isEqualTo("\"a\\u000a\\u00e9\\\"\\\\\\u007f\"");
  }

  @Test
  void builder_freeTextOrControlCharacters_areRefusedWithoutEchoingThem() {
    AuditEvent.Builder b = events.event(AuditAction.READ, "rest");

    assertThatThrownBy(() -> b.entity("Patient", "John Smith, diabetic"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("entity id must be visible ASCII without spaces");
    assertThatThrownBy(() -> b.rule("line\nbreak")).hasMessageNotContaining("line");
    assertThatThrownBy(() -> b.subtype("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.requestId("x".repeat(257))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.purposeOfUse("émergence")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> events.event(AuditAction.READ, "two words"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.httpStatus(42)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void actor_rolesAsIdentityProvidersNameThem_areKeptAndEncodedAsAscii() {
    String group = "Clínica Norte – Enfermería de guardia " + "x".repeat(150);
    AuditActor actor = new AuditActor(Optional.empty(), Set.of("head nurse", group), Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty());
    AuditEvent e = events.event(AuditAction.READ, "rest").actor(actor).build();

    byte[] line = AuditJson.encode(e);

    for (byte b : line) {
      assertThat(b).isBetween((byte) 0x20, (byte) 0x7e);
    }
    assertThat(actor.roles()).containsExactlyInAnyOrder("head nurse", group);
  }

  @Test
  void actor_roleWithALineBreakOrAZeroWidthCharacterOrTooLong_isRefused() {
    for (String role : new String[] {"nurse\r\nadmin", "nu\u200brse", "\u202eesrun", " ", "x".repeat(257),
        "\ud800"}) {
      assertThatThrownBy(() -> new AuditActor(Optional.empty(), Set.of(role), Optional.empty(), Optional.empty(),
          Optional.empty(), Optional.empty())).as(role).isInstanceOf(IllegalArgumentException.class)
          .hasMessageNotContaining(role.strip().isEmpty() ? "\u0000" : role);
    }
  }

  @Test
  void actor_ofPrincipal_takesUserRolesClientAndSession() {
    Principal p = new Principal(ALICE, Set.of("nurse", "clinician"), Set.of(), Set.of("pwd", "otp"),
        Instant.EPOCH, Optional.of("sid-1"), Optional.of("app"), Optional.of("jti-1"), Instant.EPOCH);

    AuditActor a = AuditActor.of(p).from("192.0.2.1");

    assertThat(a.user()).hasValue(ALICE);
    assertThat(a.roles()).containsExactly("clinician", "nurse");
    assertThat(a.sessionId()).hasValue("sid-1");
    assertThat(a.clientId()).hasValue("app");
    assertThat(a.sourceAddress()).hasValue("192.0.2.1");
  }

  @Test
  void record_subMillisecondTime_isRefused() {
    assertThatThrownBy(() -> new AuditEvent(java.util.UUID.randomUUID(), Instant.parse("2026-01-01T00:00:00.0001Z"),
        AuditAction.READ, "rest", Optional.empty(), AuditOutcome.SUCCESS, java.util.OptionalInt.empty(),
        AuditActor.anonymous(), java.util.List.of(), Optional.empty(), Optional.empty(), java.util.List.of(),
        Optional.empty(), Optional.empty())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void entity_rawQueryValue_isRefused_keyedHashIsKept() throws Exception {
    KeyEncryptionKey kek = KeyEncryptionKey.generateMasterKeyFile(dir.resolve("master.key"));
    QueryHasher hasher = QueryHasher.create(
        ManagedKeyset.create(dir.resolve("bi.json"), KeyPurpose.BLIND_INDEX, kek, clock));

    assertThatThrownBy(() -> new AuditEntity("Patient", "*", new TreeMap<>(Map.of("ssn", "123-45-6789"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("123-45-6789");

    AuditEntity search = AuditEntity.search("Patient", "*", Map.of("ssn", "123-45-6789"), hasher);
    AuditEntity again = AuditEntity.search("Patient", "*", Map.of("ssn", "123-45-6789"), hasher);
    AuditEntity other = AuditEntity.search("Patient", "*", Map.of("ssn", "987-65-4321"), hasher);

    assertThat(search.query().get("ssn")).startsWith("bi1:").doesNotContain("6789");
    assertThat(again).isEqualTo(search);
    assertThat(other.query().get("ssn")).isNotEqualTo(search.query().get("ssn"));
    String json = new String(AuditJson.encode(events.event(AuditAction.SEARCH, "rest").entity(search).build()),
        StandardCharsets.US_ASCII);
    assertThat(json).contains("\"query\":{\"ssn\":\"bi1:").doesNotContain("123-45");
  }

  @Test
  void queryHasher_wrongKeysetPurpose_isRefused() throws Exception {
    KeyEncryptionKey kek = KeyEncryptionKey.generateMasterKeyFile(dir.resolve("master.key"));
    ManagedKeyset fields = ManagedKeyset.create(dir.resolve("f.json"), KeyPurpose.FIELD_ENCRYPTION, kek, clock);

    assertThatThrownBy(() -> QueryHasher.create(fields)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void outcome_ofHttpStatus_mapsClasses() {
    assertThat(AuditOutcome.ofHttpStatus(204)).isEqualTo(AuditOutcome.SUCCESS);
    assertThat(AuditOutcome.ofHttpStatus(308)).isEqualTo(AuditOutcome.SUCCESS);
    assertThat(AuditOutcome.ofHttpStatus(403)).isEqualTo(AuditOutcome.MINOR_FAILURE);
    assertThat(AuditOutcome.ofHttpStatus(503)).isEqualTo(AuditOutcome.SERIOUS_FAILURE);
    assertThat(AuditOutcome.MAJOR_FAILURE.fhirCode()).isEqualTo("12");
    assertThat(AuditAction.EMERGENCY_ACCESS.code()).isEqualTo("emergency-access");
    assertThat(AuditAction.fromCode("emergency-access")).isEqualTo(AuditAction.EMERGENCY_ACCESS);
    assertThatThrownBy(() -> AuditAction.fromCode("steal")).isInstanceOf(IllegalArgumentException.class);
  }
}
