package dev.safeguards.audit;

import static dev.safeguards.audit.AuditFixtures.ALICE;
import static dev.safeguards.audit.AuditFixtures.BOB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safeguards.crypto.ArchiveManifest;
import dev.safeguards.crypto.KeyEncryptionKey;
import dev.safeguards.crypto.KeyPurpose;
import dev.safeguards.crypto.ManagedKeyset;
import dev.safeguards.crypto.SealedArchive;
import dev.safeguards.crypto.SigningKeyset;
import dev.safeguards.crypto.StreamingCipher;
import dev.safeguards.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TamperEvidentAuditLogTest {

  @TempDir Path tmp;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:15:30Z"));
  private final AuditEvents events = AuditEvents.create(clock);
  private SigningKeyset keys;
  private Path logDir;

  @BeforeEach
  void setUp() throws Exception {
    keys = AuditFixtures.checkpointKeys(tmp, clock);
    logDir = tmp.resolve("audit");
  }

  private TamperEvidentAuditLog.Builder builder() {
    return TamperEvidentAuditLog.builder(logDir, keys).clock(clock);
  }

  private VerifiedAuditLog verify() throws AuditException {
    return AuditLogVerifier.builder(SigningKeyset.fromPublicJwks(keys.publicJwks())).build().verify(logDir);
  }

  @Test
  void appendAndClose_freshLog_verifiesWithThePublicKeyOnly() throws Exception {
    List<AuditCheckpoint> published = new ArrayList<>();
    UUID logId;
    try (TamperEvidentAuditLog log = builder().onCheckpoint(published::add).open()) {
      for (int i = 0; i < 10; i++) {
        log.record(AuditFixtures.read(events, ALICE, i));
      }
      logId = log.logId();
    }

    VerifiedAuditLog v = verify();

    assertThat(v.logId()).isEqualTo(logId);
    assertThat(v.events()).isEqualTo(10);
    assertThat(v.firstSequence()).isEqualTo(1);
    assertThat(v.lastSequence()).isEqualTo(12); // segment record, 10 events, final checkpoint
    assertThat(v.records()).isEqualTo(12);
    assertThat(v.checkpoints()).isEqualTo(1);
    assertThat(v.unsignedTail()).isZero();
    assertThat(v.tornTailBytes()).isZero();
    assertThat(v.lastTreeCheckpoint()).hasValue(published.get(0));
    assertThat(published.get(0).size()).isEqualTo(11);
    assertThat(published.get(0).origin()).isEqualTo("safeguards-audit/" + logId).isEqualTo(v.origin());
    assertThat(Files.readString(logDir.resolve("checkpoint"))).isEqualTo(published.get(0).note());
  }

  @Test
  void segmentFile_isTheDocumentedLayout() throws Exception {
    try (TamperEvidentAuditLog log = builder().open()) {
      log.record(AuditFixtures.read(events, ALICE, 1));
    }

    List<String> lines = Files.readAllLines(logDir.resolve("audit-000000000001.jsonl"), StandardCharsets.US_ASCII);

    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).matches("\\{\"seq\":1,\"kind\":\"segment\",\"format\":2,"
        + "\"origin\":\"safeguards-audit/([0-9a-f-]{36})\",\"log\":\"\\1\",\"segment\":1,"
        + "\"time\":\"2026-11-23T10:15:30.000Z\"}");
    assertThat(lines.get(1)).startsWith("{\"seq\":2,\"kind\":\"event\",\"event\":{\"id\":\"");
    assertThat(lines.get(2)).matches("\\{\"seq\":3,\"kind\":\"checkpoint\",\"size\":2,"
        + "\"note\":\"safeguards-audit/[0-9a-f-]{36}\\\\u000a2\\\\u000a[A-Za-z0-9+/]{43}=\\\\u000a\\\\u000a"
        + "\\\\u2014 safeguards-audit/[0-9a-f-]{36} [A-Za-z0-9+/]{91}=\\\\u000a\"}");
  }

  @Test
  void checkpointEvery_signsAfterNRecords() throws Exception {
    List<AuditCheckpoint> published = java.util.Collections.synchronizedList(new ArrayList<>());
    try (TamperEvidentAuditLog log = builder().checkpointEvery(3).onCheckpoint(published::add).open()) {
      for (int i = 0; i < 7; i++) {
        log.record(AuditFixtures.read(events, ALICE, i));
      }
      assertThat(log.stats().checkpoints()).isEqualTo(2);
    }

    // Segment record + 2 events = 3 records -> checkpoint covering 3; then 3 more events -> checkpoint covering 7.
    assertThat(published).extracting(AuditCheckpoint::size).containsExactly(3L, 7L, 10L);
    assertThat(verify().checkpoints()).isEqualTo(3);
  }

  @Test
  void checkpointInterval_signsOnceTheClockPassesIt() throws Exception {
    try (TamperEvidentAuditLog log = builder().checkpointInterval(Duration.ofSeconds(30)).open()) {
      log.record(AuditFixtures.read(events, ALICE, 1));
      log.checkpointIfDue();
      assertThat(log.stats().checkpoints()).isZero();

      clock.advance(Duration.ofSeconds(30));
      log.checkpointIfDue();
      assertThat(log.stats().checkpoints()).isEqualTo(1);

      clock.advance(Duration.ofMinutes(5));
      log.checkpointIfDue();
      assertThat(log.stats().checkpoints()).as("nothing new to sign").isEqualTo(1);

      log.record(AuditFixtures.read(events, ALICE, 2));
      assertThat(log.stats().checkpoints()).as("the next append finds the interval passed").isEqualTo(2);
    }
  }

  @Test
  void rotation_bySize_continuesTheChainAcrossSegments() throws Exception {
    try (TamperEvidentAuditLog log = builder().maxSegmentBytes(4096).open()) {
      for (int i = 0; i < 40; i++) {
        log.record(AuditFixtures.read(events, ALICE, i));
      }
      assertThat(log.stats().rotations()).isGreaterThan(2);
    }

    List<Path> segments = segmentFiles();
    VerifiedAuditLog v = verify();

    assertThat(v.segments()).isEqualTo(segments.size()).isGreaterThan(3);
    assertThat(v.events()).isEqualTo(40);
    for (Path segment : segments.subList(0, segments.size() - 1)) {
      List<String> lines = Files.readAllLines(segment);
      assertThat(lines.get(lines.size() - 1)).as("a closed segment ends with a checkpoint").contains("\"checkpoint\"");
      assertThat(Files.size(segment)).isLessThan(4096 + 2048);
    }
  }

  @Test
  void rotation_byAge_startsANewSegment() throws Exception {
    try (TamperEvidentAuditLog log = builder().maxSegmentAge(Duration.ofHours(1)).open()) {
      log.record(AuditFixtures.read(events, ALICE, 1));
      clock.advance(Duration.ofMinutes(59));
      log.record(AuditFixtures.read(events, ALICE, 2));
      assertThat(segmentFiles()).hasSize(1);

      clock.advance(Duration.ofMinutes(1));
      log.record(AuditFixtures.read(events, ALICE, 3));
      assertThat(segmentFiles()).hasSize(2);
    }

    assertThat(verify().events()).isEqualTo(3);
  }

  @Test
  void reopen_continuesTheSameChain() throws Exception {
    UUID id;
    try (TamperEvidentAuditLog log = builder().open()) {
      log.record(AuditFixtures.read(events, ALICE, 1));
      id = log.logId();
    }
    try (TamperEvidentAuditLog log = builder().open()) {
      assertThat(log.logId()).isEqualTo(id);
      log.record(AuditFixtures.read(events, BOB, 2));
    }

    VerifiedAuditLog v = verify();

    assertThat(v.events()).isEqualTo(2);
    assertThat(v.recoveries()).isZero();
    assertThat(v.checkpoints()).isEqualTo(2);
  }

  @Test
  void files_areOwnerOnly() throws Exception {
    try (TamperEvidentAuditLog log = builder().open()) {
      log.record(AuditFixtures.read(events, ALICE, 1));
    }

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(logDir))).isEqualTo("rwx------");
    try (Stream<Path> files = Files.walk(logDir)) {
      for (Path f : files.toList()) {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).as(f.toString())
            .isEqualTo(Files.isDirectory(f) ? "rwx------" : "rw-------");
      }
    }
  }

  @Test
  void open_directoryAlreadyOpen_isRefused() throws Exception {
    TamperEvidentAuditLog first = builder().open();
    assertThatThrownBy(() -> builder().open()).isInstanceOf(AuditException.class)
        .hasMessageContaining("another writer holds the audit log");
    first.close();
    builder().open().close();
  }

  @Test
  void builder_hmacKeysetOrBadSettings_areRefused() throws Exception {
    KeyEncryptionKey kek = KeyEncryptionKey.generateMasterKeyFile(tmp.resolve("m2.key"));
    SigningKeyset mac = SigningKeyset.create(
        ManagedKeyset.create(tmp.resolve("mac.json"), KeyPurpose.RECORD_MAC, kek, clock));

    assertThatThrownBy(() -> TamperEvidentAuditLog.builder(logDir, mac))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Ed25519 signed notes");
    assertThatThrownBy(() -> builder().checkpointEvery(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder().maxSegmentBytes(100)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder().maxSegmentAge(Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder().checkpointInterval(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void recordAll_writesTheBatchInOrderWithOneSync() throws Exception {
    List<AuditEvent> batch = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      batch.add(AuditFixtures.read(events, i % 2 == 0 ? ALICE : BOB, i));
    }
    try (TamperEvidentAuditLog log = builder().open()) {
      long syncsBefore = log.stats().syncs();
      log.recordAll(batch);
      log.recordAll(List.of());
      AuditLogStats stats = log.stats();
      assertThat(stats.events()).isEqualTo(200);
      assertThat(stats.syncs() - syncsBefore).as("one group sync for the whole batch").isEqualTo(1);
    }

    assertThat(verify().events()).isEqualTo(200);
    try (Stream<AuditEvent> read = AuditReview.of(logDir).events(AuditFilter.all())) {
      assertThat(read.map(AuditEvent::id).toList())
          .containsExactlyElementsOf(batch.stream().map(AuditEvent::id).toList());
    }
  }

  @Test
  void recordAll_batchCrossingCheckpointsAndRotations_staysOneVerifiableChain() throws Exception {
    List<AuditCheckpoint> published = java.util.Collections.synchronizedList(new ArrayList<>());
    List<AuditEvent> batch = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      batch.add(AuditFixtures.read(events, ALICE, i));
    }
    try (TamperEvidentAuditLog log = builder().checkpointEvery(7).maxSegmentBytes(4096)
        .onCheckpoint(published::add).open()) {
      log.record(AuditFixtures.read(events, BOB, 0));
      log.recordAll(batch);
      log.record(AuditFixtures.read(events, BOB, 1));
      assertThat(log.stats().rotations()).isGreaterThan(2);
    }

    VerifiedAuditLog v = verify();
    assertThat(v.events()).isEqualTo(62);
    assertThat(v.segments()).isGreaterThan(3);
    assertThat(v.checkpoints()).isEqualTo(published.size()).isGreaterThan(8);
    assertThat(v.unsignedTail()).isZero();
  }

  @Test
  void recordAll_afterClose_failsAndWritesNothing() throws Exception {
    TamperEvidentAuditLog log = builder().open();
    log.record(AuditFixtures.read(events, ALICE, 0));
    log.close();

    assertThatThrownBy(() -> log.recordAll(List.of(AuditFixtures.read(events, ALICE, 1))))
        .isInstanceOf(AuditException.class).hasMessage("the audit log is closed");
    assertThat(verify().events()).isEqualTo(1);
  }

  @Test
  void recordAll_ioFailureInsideTheBatch_failsItAndEveryLaterAppend() throws Exception {
    TamperEvidentAuditLog log = builder().maxSegmentBytes(4096).open();
    log.record(AuditFixtures.read(events, ALICE, 0));
    deleteRecursively(logDir);
    List<AuditEvent> batch = new ArrayList<>();
    for (int i = 1; i < 40; i++) {
      batch.add(AuditFixtures.read(events, ALICE, i));
    }

    assertThatThrownBy(() -> log.recordAll(batch))
        .isInstanceOf(AuditException.class).hasMessage("the audit log could not write a record");
    assertThatThrownBy(() -> log.record(AuditFixtures.read(events, ALICE, 99)))
        .isInstanceOf(AuditException.class)
        .hasMessage("the audit log failed and has not recovered yet");
    assertThatThrownBy(log::close).isInstanceOf(AuditException.class).hasMessageContaining("did not close cleanly");
  }

  @Test
  void record_afterClose_fails() throws Exception {
    TamperEvidentAuditLog log = builder().open();
    log.close();

    assertThatThrownBy(() -> log.record(AuditFixtures.read(events, ALICE, 1)))
        .isInstanceOf(AuditException.class).hasMessage("the audit log is closed");
  }

  @Test
  void ioFailure_directoryGoneAtRotation_failsThisAndEveryLaterAppend() throws Exception {
    TamperEvidentAuditLog log = builder().maxSegmentAge(Duration.ofMinutes(1)).open();
    log.record(AuditFixtures.read(events, ALICE, 1));
    deleteRecursively(logDir);
    clock.advance(Duration.ofMinutes(2));

    assertThatThrownBy(() -> log.record(AuditFixtures.read(events, ALICE, 2)))
        .isInstanceOf(AuditException.class).hasMessage("the audit log could not write a record");
    assertThatThrownBy(() -> log.record(AuditFixtures.read(events, ALICE, 3)))
        .isInstanceOf(AuditException.class)
        .hasMessage("the audit log failed and has not recovered yet");
    assertThatThrownBy(log::close).isInstanceOf(AuditException.class).hasMessageContaining("did not close cleanly");
  }

  @Test
  void manyThreads_appendConcurrently_noGapsNoDuplicatesAndSyncsAreShared() throws Exception {
    int threads = 16;
    int perThread = 100;
    java.util.Set<UUID> ids = ConcurrentHashMap.newKeySet();
    try (TamperEvidentAuditLog log = builder().checkpointEvery(97).open()) {
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> workers = new ArrayList<>();
      List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
      for (int t = 0; t < threads; t++) {
        int base = t * perThread;
        Thread w = new Thread(() -> {
          try {
            start.await();
            for (int i = 0; i < perThread; i++) {
              AuditEvent e = AuditFixtures.read(events, ALICE, base + i);
              log.record(e);
              ids.add(e.id());
            }
          } catch (Throwable e) {
            errors.add(e);
          }
        });
        w.start();
        workers.add(w);
      }
      start.countDown();
      for (Thread w : workers) {
        w.join();
      }
      assertThat(errors).isEmpty();
      AuditLogStats stats = log.stats();
      assertThat(stats.events()).isEqualTo(threads * perThread);
      assertThat(stats.syncs()).isPositive();
    }

    VerifiedAuditLog v = verify();
    assertThat(v.events()).isEqualTo(threads * perThread);
    try (Stream<AuditEvent> read = AuditReview.of(logDir).events(AuditFilter.all())) {
      List<UUID> written = read.map(AuditEvent::id).toList();
      assertThat(written).doesNotHaveDuplicates().hasSize(threads * perThread);
      assertThat(ids).containsExactlyInAnyOrderElementsOf(written);
    }
  }

  @Test
  void sealClosedSegments_archivesAllButTheActiveSegment() throws Exception {
    KeyEncryptionKey kek = KeyEncryptionKey.generateMasterKeyFile(tmp.resolve("m3.key"));
    StreamingCipher cipher = StreamingCipher.create(
        ManagedKeyset.create(tmp.resolve("stream.json"), KeyPurpose.STREAMING_ENCRYPTION, kek, clock));
    try (TamperEvidentAuditLog log = builder().maxSegmentBytes(4096).open()) {
      for (int i = 0; i < 20; i++) {
        log.record(AuditFixtures.read(events, ALICE, i));
      }
    }
    List<Path> segments = segmentFiles();
    Path archive = tmp.resolve("audit-archive.sgarc");

    ArchiveManifest manifest = TamperEvidentAuditLog.sealClosedSegments(logDir, archive, cipher, clock);

    assertThat(manifest.entries()).extracting(ArchiveManifest.Entry::name).containsExactlyElementsOf(
        segments.subList(0, segments.size() - 1).stream().map(p -> p.getFileName().toString()).toList());
    Path restored = tmp.resolve("restored");
    SealedArchive.restore(archive, cipher, restored);
    Files.copy(segments.get(segments.size() - 1), restored.resolve(segments.get(segments.size() - 1).getFileName()));
    VerifiedAuditLog v = AuditLogVerifier.builder(keys).build().verify(restored);
    assertThat(v.events()).isEqualTo(20);
  }

  @Test
  void verify_afterArchivingThePrefix_needsTheExplicitAllowance() throws Exception {
    try (TamperEvidentAuditLog log = builder().maxSegmentBytes(4096).open()) {
      for (int i = 0; i < 20; i++) {
        log.record(AuditFixtures.read(events, ALICE, i));
      }
    }
    Files.delete(segmentFiles().get(0));

    assertThatThrownBy(this::verify).isInstanceOfSatisfying(AuditLogTamperedException.class,
        e -> assertThat(e.tampering()).isEqualTo(AuditLogTamperedException.Tampering.DELETED));
    VerifiedAuditLog v = AuditLogVerifier.builder(keys).allowArchivedPrefix().build().verify(logDir);
    assertThat(v.firstSequence()).isGreaterThan(1);
  }

  private List<Path> segmentFiles() throws Exception {
    try (Stream<Path> files = Files.list(logDir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".jsonl")).sorted().toList();
    }
  }

  static void deleteRecursively(Path dir) throws Exception {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
