package dev.safeguards.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.safeguards.testing.MutableClock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An event's subject keys are what its record says (a sealed event's: the very tokens of its index member), and a
 * filter's candidate keys meet exactly the events of its subject, across an index key rotation too.
 */
class AuditSubjectsTest {

  private static final String ORIGIN = "clinic.example/audit";

  @TempDir Path tmp;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-05T10:00:00Z"));
  private final AuditEvents events = AuditEvents.create(clock);

  @Test
  void aSealedEventsKeys_areTheTokensOfItsIndex_andMeetTheCandidatesOfItsPatientOnly() throws Exception {
    AuditSealing sealing = AuditFixtures.sealing(tmp, clock);
    AuditSubjects.Encoded one = AuditSubjects.encode(AuditFixtures.read(events, AuditFixtures.ALICE, 1), sealing,
        ORIGIN);

    JsonNode index = new ObjectMapper().readTree(one.eventObject()).get("index");
    Set<String> written = new HashSet<>();
    index.properties().forEach(f -> {
      if (f.getKey().equals("entities")) {
        f.getValue().forEach(t -> written.add("entity:" + t.textValue()));
      } else {
        written.add(f.getKey() + ":" + f.getValue().textValue());
      }
    });
    assertThat(Set.copyOf(one.subjects())).isEqualTo(written).hasSize(4);
    assertThat(one.subjects()).noneMatch(k -> k.contains(AuditFixtures.patient(1))
        || k.contains(AuditFixtures.ALICE.toString()));

    assertThat(candidates(sealing, AuditFixtures.patient(1))).containsAnyElementsOf(one.subjects());
    assertThat(candidates(sealing, AuditFixtures.patient(2))).doesNotContainAnyElementsOf(one.subjects());

    sealing.indexKeys().rotate(); // a new primary key: events indexed before are still found
    AuditSubjects.Encoded later = AuditSubjects.encode(AuditFixtures.read(events, AuditFixtures.ALICE, 1), sealing,
        ORIGIN);
    Set<String> after = candidates(sealing, AuditFixtures.patient(1));
    assertThat(after).containsAnyElementsOf(one.subjects()).containsAnyElementsOf(later.subjects());
    assertThat(AuditSubjects.candidates(AuditFilter.builder().user(AuditFixtures.ALICE).build(), sealing)
        .orElseThrow()).containsAnyElementsOf(one.subjects());
  }

  @Test
  void inTheClear_theKeysNameTheSubjects_andAFilterWithoutOneHasNoCandidates() {
    AuditEvent event = AuditFixtures.read(events, AuditFixtures.ALICE, 1);
    AuditSubjects.Encoded one = AuditSubjects.encode(event, null, ORIGIN);

    assertThat(one.subjects()).contains("user:" + AuditFixtures.ALICE, "entity:Patient/" + AuditFixtures.patient(1));
    assertThat(one.eventObject()).isEqualTo(AuditRecords.eventObject(event, null, ORIGIN));
    assertThat(AuditSubjects.candidates(AuditFilter.builder().resource("Patient", AuditFixtures.patient(1)).build(),
        null)).contains(Set.of("entity:Patient/" + AuditFixtures.patient(1)));
    assertThat(AuditSubjects.candidates(AuditFilter.builder().action(AuditAction.READ).build(), null)).isEmpty();
  }

  private static Set<String> candidates(AuditSealing sealing, String patient) {
    return AuditSubjects.candidates(AuditFilter.builder().resource("Patient", patient).build(), sealing)
        .orElseThrow();
  }
}
