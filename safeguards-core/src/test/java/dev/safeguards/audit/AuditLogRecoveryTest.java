package dev.safeguards.audit;

import static dev.safeguards.audit.AuditFixtures.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.safeguards.crypto.SigningKeyset;
import dev.safeguards.testing.CapturedLogs;
import dev.safeguards.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening a log after a crash: a torn last line is cut off and a recovery record appended; nothing else changes. */
class AuditLogRecoveryTest {

  private static final String FIRST = "audit-000000000001.jsonl";

  @TempDir Path tmp;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:15:30Z"));
  private final AuditEvents events = AuditEvents.create(clock);
  private SigningKeyset keys;

  @BeforeEach
  void setUp() throws Exception {
    keys = AuditFixtures.checkpointKeys(tmp, clock);
  }

  /** The segment as a crash would leave it: three events appended, no checkpoint, no close. */
  private byte[] crashedSegment(List<UUID> written) throws Exception {
    Path dir = tmp.resolve("running");
    TamperEvidentAuditLog log = TamperEvidentAuditLog.builder(dir, keys).clock(clock).open();
    for (int i = 0; i < 3; i++) {
      AuditEvent e = AuditFixtures.read(events, ALICE, i);
      log.record(e);
      written.add(e.id());
    }
    byte[] bytes = Files.readAllBytes(dir.resolve(FIRST));
    log.close();
    return bytes;
  }

  @Test
  void tornLastRecord_atEveryByteOffset_isCutAndRecordedAndTheLogVerifies() throws Exception {
    List<UUID> written = new java.util.ArrayList<>();
    byte[] segment = crashedSegment(written);
    int lastLineStart = lastLineStart(segment);
    for (int cut = lastLineStart; cut < segment.length; cut++) {
      Path dir = tmp.resolve("cut-" + cut);
      Files.createDirectory(dir);
      Files.write(dir.resolve(FIRST), Arrays.copyOf(segment, cut));
      int torn = cut - lastLineStart;

      try (TamperEvidentAuditLog log = TamperEvidentAuditLog.builder(dir, keys).clock(clock).open()) {
        log.record(AuditFixtures.read(events, ALICE, 9));
      }

      VerifiedAuditLog v = AuditLogVerifier.builder(keys).build().verify(dir);
      assertThat(v.recoveries()).as("cut at %d", cut).isEqualTo(torn > 0 ? 1 : 0);
      assertThat(v.events()).isEqualTo(3);
      assertThat(v.tornTailBytes()).isZero();
      try (Stream<AuditEvent> read = AuditReview.of(dir).events(AuditFilter.all())) {
        assertThat(read.map(AuditEvent::id).limit(2)).containsExactlyElementsOf(written.subList(0, 2));
      }
      if (torn > 0) {
        assertThat(Files.readString(dir.resolve(FIRST)))
            .contains("\"kind\":\"recovery\",\"time\":\"2026-11-23T10:15:30.000Z\",\"truncatedBytes\":" + torn + "}");
      }
    }
  }

  @Test
  void recovery_isLoggedWithoutContent() throws Exception {
    byte[] segment = crashedSegment(new java.util.ArrayList<>());
    Path dir = Files.createDirectory(tmp.resolve("torn"));
    Files.write(dir.resolve(FIRST), Arrays.copyOf(segment, segment.length - 5));
    CapturedLogs.clear();

    TamperEvidentAuditLog.builder(dir, keys).clock(clock).open().close();

    assertThat(CapturedLogs.lines()).anyMatch(l -> l.startsWith("WARN") && l.contains("recovered from a crash: cut "))
        .noneMatch(l -> l.contains(ALICE.toString()));
  }

  @Test
  void emptySegmentLeftByACrashDuringRotation_isStartedAgain() throws Exception {
    Path dir = tmp.resolve("rotating");
    try (TamperEvidentAuditLog log = TamperEvidentAuditLog.builder(dir, keys).clock(clock).open()) {
      log.record(AuditFixtures.read(events, ALICE, 1));
    }
    Files.createFile(dir.resolve("audit-000000000002.jsonl"));

    try (TamperEvidentAuditLog log = TamperEvidentAuditLog.builder(dir, keys).clock(clock).open()) {
      log.record(AuditFixtures.read(events, ALICE, 2));
    }

    VerifiedAuditLog v = AuditLogVerifier.builder(keys).build().verify(dir);
    assertThat(v.segments()).isEqualTo(2);
    assertThat(v.events()).isEqualTo(2);
  }

  @Test
  void tornSegmentRecordOfANewSegment_isRecovered() throws Exception {
    Path dir = tmp.resolve("rotating");
    try (TamperEvidentAuditLog log = TamperEvidentAuditLog.builder(dir, keys).clock(clock).open()) {
      log.record(AuditFixtures.read(events, ALICE, 1));
    }
    Files.writeString(dir.resolve("audit-000000000002.jsonl"), "{\"seq\":4,\"ki");

    try (TamperEvidentAuditLog log = TamperEvidentAuditLog.builder(dir, keys).clock(clock).open()) {
      log.record(AuditFixtures.read(events, ALICE, 2));
    }

    VerifiedAuditLog v = AuditLogVerifier.builder(keys).build().verify(dir);
    assertThat(v.recoveries()).isEqualTo(1);
    assertThat(v.events()).isEqualTo(2);
  }

  private static int lastLineStart(byte[] bytes) {
    for (int i = bytes.length - 2; i >= 0; i--) {
      if (bytes[i] == '\n') {
        return i + 1;
      }
    }
    return 0;
  }
}
