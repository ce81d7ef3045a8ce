package dev.safeguards.audit;

import static dev.safeguards.audit.AuditFixtures.ALICE;
import static dev.safeguards.audit.AuditFixtures.BOB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safeguards.crypto.KeyId;
import dev.safeguards.crypto.KeyPurpose;
import dev.safeguards.crypto.ReencryptionConfirmation;
import dev.safeguards.crypto.SigningKeyset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every review and breach-scope test of {@link AuditReviewTest} over the same log written with its identities sealed,
 * and what sealing adds: no identifier in the files, verification with the public key alone, sealed identities bound
 * to their event, and retention by key destruction.
 */
class SealedAuditReviewTest extends AuditReviewTest {

  private AuditSealing sealing;

  @Override
  AuditSealing sealing() throws Exception {
    if (sealing == null) {
      sealing = AuditFixtures.sealing(tmp.resolve("sealing"), clock);
    }
    return sealing;
  }

  private String files() throws Exception {
    StringBuilder all = new StringBuilder();
    try (Stream<Path> files = Files.list(logDir)) {
      for (Path f : files.filter(f -> f.toString().endsWith(".jsonl")).sorted().toList()) {
        all.append(Files.readString(f, StandardCharsets.US_ASCII));
      }
    }
    return all.toString();
  }

  private VerifiedAuditLog verify() throws Exception {
    return AuditLogVerifier.builder(SigningKeyset.fromPublicJwks(checkpointKeys.publicJwks())).build()
        .verify(logDir);
  }

  @Test
  void theFiles_holdNoIdentifier_andTheLogVerifiesWithThePublicKeyAlone() throws Exception {
    String files = files();

    List<String> identifiers = new ArrayList<>(List.of(ALICE.toString(), BOB.toString(), "192.0.2.7",
        "198.51.100.9", "s-bob", "s-alice", "clinic-web", "curl/8.5", "\"actor\"", "{\"type\":\"Patient\""));
    for (int p = 1; p <= 5; p++) {
      identifiers.add(AuditFixtures.patient(p));
    }
    assertThat(identifiers).allSatisfy(id -> assertThat(files).doesNotContain(id));
    assertThat(files).contains("\"sealed\":\"sg1:").contains("\"index\":{\"user\":\"bi1:")
        .contains("\"action\":\"delete\"").contains("\"emergencyGrant\":\"g-1\"");
    assertThat(verify().events()).isEqualTo(6);
  }

  @Test
  void keysetsOfAnotherPurpose_areRefused_andTheEvidenceSaysTheLogSeals() throws Exception {
    assertThatThrownBy(() -> AuditSealing.create(sealing.indexKeys(), sealing.identityKeys()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("field-encryption");
    assertThatThrownBy(() -> AuditSealing.create(sealing.identityKeys(), sealing.identityKeys()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blind-index");
    try (TamperEvidentAuditLog log = TamperEvidentAuditLog.builder(logDir, checkpointKeys).clock(clock)
        .sealIdentities(sealing).open()) {
      assertThat(log.evidence().settings().get("identities").toString())
          .startsWith("sealed: AES-256-GCM under audit-identity.json");
    }
  }

  @Test
  void aReviewWithoutTheKeys_isRefusedSayingWhy() {
    assertThatThrownBy(() -> {
      try (Stream<AuditEvent> s = AuditReview.of(logDir).events(AuditFilter.all())) {
        s.toList();
      }
    }).isInstanceOf(IllegalStateException.class)
        .hasMessage("audit segment audit-000000000001.jsonl line 2 is sealed: review this log with its AuditSealing "
            + "(the audit identity and index keysets)");
  }

  @Test
  void aSealedIdentityMovedToAnotherEvent_doesNotOpen_andTheVerifierFindsTheChange() throws Exception {
    Path first = logDir.resolve("audit-000000000001.jsonl");
    List<String> lines = new ArrayList<>(Files.readAllLines(first, StandardCharsets.US_ASCII));
    List<Integer> events = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains("\"kind\":\"event\"")) {
        events.add(i);
      }
    }
    String sealedOfSecond = sealed(lines.get(events.get(1)));
    lines.set(events.get(0), lines.get(events.get(0)).replace(sealed(lines.get(events.get(0))), sealedOfSecond));
    Files.writeString(first, String.join("\n", lines) + "\n", StandardCharsets.US_ASCII);

    assertThatThrownBy(() -> find(AuditFilter.all())).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("line " + (events.get(0) + 1) + " is not a readable event record")
        .cause().hasMessageContaining("its sealed identity does not open");
    assertThatThrownBy(this::verify).isInstanceOf(AuditLogTamperedException.class);
  }

  private static String sealed(String line) {
    int start = line.indexOf("\"sealed\":\"") + 10;
    return line.substring(start, line.indexOf('"', start));
  }

  @Test
  void afterItsKeyIsDestroyed_anEventIsCountedUnreadable_andTheLogStillVerifies() throws Exception {
    KeyId old = sealing.identityKeys().primaryKeyId();
    sealing.identityKeys().rotate();
    clock.advance(Duration.ofDays(1));
    try (TamperEvidentAuditLog log = TamperEvidentAuditLog.builder(logDir, checkpointKeys).clock(clock)
        .sealIdentities(sealing).open()) {
      log.record(AuditFixtures.read(events, ALICE, 6));
      log.record(events.event(AuditAction.READ, "break-glass").httpStatus(200)
          .actor(new AuditActor(Optional.of(BOB), Set.of("nurse"), Optional.empty(), Optional.empty(),
              Optional.empty(), Optional.empty()))
          .purposeOfUse("ETREAT").emergencyGrant("g-2").justification("unconscious in the emergency room")
          .entity("Patient", AuditFixtures.patient(7)).build());
    }
    assertThat(files()).doesNotContain("unconscious");
    assertThat(find(AuditFilter.all())).hasSize(8);
    assertThat(find(AuditFilter.builder().emergencyOnly().user(BOB).build())).singleElement()
        .satisfies(e -> assertThat(e.justification()).hasValue("unconscious in the emergency room"));

    sealing.identityKeys().destroy(old, ReencryptionConfirmation.confirmedByOperator(KeyPurpose.FIELD_ENCRYPTION,
        Set.of(old), "audit retention ended for events before 2026-11-24"));

    AtomicLong unreadable = new AtomicLong();
    try (Stream<AuditEvent> s = review.events(AuditFilter.all(), unreadable)) {
      assertThat(s.toList()).flatExtracting(AuditEvent::entities).extracting(AuditEntity::id)
          .containsExactly(AuditFixtures.patient(6), AuditFixtures.patient(7));
    }
    assertThat(unreadable).hasValue(6);
    AtomicLong bobs = new AtomicLong();
    try (Stream<AuditEvent> s = review.events(AuditFilter.builder().user(BOB).build(), bobs)) {
      assertThat(s.toList()).hasSize(1);
    }
    assertThat(bobs).as("only Bob's two earlier events: the index tells them apart unopened").hasValue(2);
    AtomicLong deletes = new AtomicLong();
    try (Stream<AuditEvent> s = review.events(AuditFilter.builder().action(AuditAction.DELETE).build(), deletes)) {
      assertThat(s.toList()).isEmpty();
    }
    assertThat(deletes).hasValue(1);
    BreachScope alice = review.breachScope(AuditFilter.builder().user(ALICE).build());
    assertThat(alice.unreadable()).isEqualTo(4);
    assertThat(alice.resources()).extracting(BreachScope.Resource::id).containsExactly(AuditFixtures.patient(6));
    assertThat(alice.toJson()).startsWith("{\"events\":1,\"unreadable\":4,");
    assertThat(verify().events()).isEqualTo(8);
  }
}
