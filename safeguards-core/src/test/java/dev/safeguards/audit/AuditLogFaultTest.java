package dev.safeguards.audit;

import static dev.safeguards.audit.AuditFixtures.ALICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safeguards.crypto.SigningKeyset;
import dev.safeguards.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file log's promises under failure, on real files: an I/O error met inside a write, a caller's interrupt, and
 * what a recovery keeps. The I/O error is made real by putting a directory where the log's next segment file must go,
 * so that creating it fails (the tests run as root, so permissions cannot refuse it), and removing it lets the log
 * recover.
 */
class AuditLogFaultTest {

  private static final String SECOND = "audit-000000000002.jsonl";

  @TempDir Path tmp;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-06T10:00:00Z"));
  private final AuditEvents events = AuditEvents.create(clock);
  private SigningKeyset keys;
  private Path logDir;

  @BeforeEach
  void setUp() throws Exception {
    keys = AuditFixtures.checkpointKeys(tmp, clock);
    logDir = tmp.resolve("audit");
  }

  private TamperEvidentAuditLog.Builder builder() {
    return TamperEvidentAuditLog.builder(logDir, keys).clock(clock)
        .retryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(8));
  }

  private VerifiedAuditLog verify() throws AuditException {
    return AuditLogVerifier.builder(SigningKeyset.fromPublicJwks(keys.publicJwks())).build().verify(logDir);
  }

  private List<UUID> idsInTheLog() throws Exception {
    try (Stream<AuditEvent> read = AuditReview.of(logDir).events(AuditFilter.all())) {
      return read.map(AuditEvent::id).toList();
    }
  }

  private List<AuditEvent> batch(int from, int count) {
    List<AuditEvent> batch = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      batch.add(AuditFixtures.read(events, ALICE, i));
    }
    return batch;
  }

  @Test
  void recordAll_failsAfterACheckpointAndARotationInsideTheBatch_noneOfItAppearsAfterRecovery() throws Exception {
    recordAllFailsInsideTheBatch_noneOfItAppearsAfterRecovery(builder());
  }

  @Test
  void recordAll_acknowledgedBeforeSync_failsInsideTheBatch_noneOfItAppearsAfterRecovery() throws Exception {
    recordAllFailsInsideTheBatch_noneOfItAppearsAfterRecovery(builder().acknowledgeBeforeSync());
  }

  private void recordAllFailsInsideTheBatch_noneOfItAppearsAfterRecovery(TamperEvidentAuditLog.Builder builder)
      throws Exception {
    TamperEvidentAuditLog log = builder.checkpointEvery(2).maxSegmentBytes(4096).open();
    AuditEvent before = AuditFixtures.read(events, ALICE, 0);
    log.record(before);
    Path blocker = Files.createDirectory(logDir.resolve(SECOND)); // the rotation inside the batch cannot create it
    List<AuditEvent> refused = batch(1, 40);

    assertThatThrownBy(() -> log.recordAll(refused)).isInstanceOf(AuditException.class)
        .hasMessage("the audit log could not write a record");
    Files.delete(blocker);
    clock.advance(Duration.ofSeconds(2));
    log.checkAvailable(); // recovers
    // The caller (AsyncAuditSink holds a failed batch and hands it over again) retries the whole batch.
    log.recordAll(refused);
    log.close();

    VerifiedAuditLog v = verify();
    assertThat(v.recoveries()).isEqualTo(1);
    List<UUID> expected = new ArrayList<>(List.of(before.id()));
    refused.forEach(e -> expected.add(e.id()));
    assertThat(idsInTheLog()).as("the refused batch left nothing behind, so its retry is not a duplicate")
        .containsExactlyElementsOf(expected);
  }

  @Test
  void recordAll_failsAfterACheckpointInsideTheBatch_theCheckpointIsNotPublished() throws Exception {
    List<AuditCheckpoint> published = new java.util.concurrent.CopyOnWriteArrayList<>();
    TamperEvidentAuditLog log = builder().checkpointEvery(2).maxSegmentBytes(4096).onCheckpoint(published::add)
        .open();
    log.record(AuditFixtures.read(events, ALICE, 0));
    log.checkpoint();
    Path blocker = Files.createDirectory(logDir.resolve(SECOND));

    assertThatThrownBy(() -> log.recordAll(batch(1, 40))).isInstanceOf(AuditException.class);
    Files.delete(blocker);
    clock.advance(Duration.ofSeconds(2));
    log.checkAvailable();
    log.close();

    // Every checkpoint that was published is one the recovered log still extends: none was cut back with the batch.
    verify();
    TamperEvidentAuditLog.builder(logDir, keys).clock(clock).open().close();
    long records = verify().records();
    assertThat(published).isNotEmpty().allSatisfy(c -> assertThat(c.size()).isLessThanOrEqualTo(records));
    for (AuditCheckpoint c : published) {
      AuditLogVerifier.builder(SigningKeyset.fromPublicJwks(keys.publicJwks())).trustCheckpoint(c).build()
          .verify(logDir);
    }
  }

  @Test
  void close_whileFailedWithinTheBackoff_whatTheFailedBatchLeftDoesNotAppearOnceReopened() throws Exception {
    TamperEvidentAuditLog log = builder().checkpointEvery(2).maxSegmentBytes(4096).open();
    AuditEvent before = AuditFixtures.read(events, ALICE, 0);
    log.record(before);
    Path blocker = Files.createDirectory(logDir.resolve(SECOND));
    assertThatThrownBy(() -> log.recordAll(batch(1, 40))).isInstanceOf(AuditException.class);
    Files.delete(blocker);

    log.close(); // before the backoff has passed: the log has not recovered on its own yet
    TamperEvidentAuditLog.builder(logDir, keys).clock(clock).open().close();

    assertThat(idsInTheLog()).as("a refused event never appears later").containsExactly(before.id());
    assertThat(verify().recoveries()).isEqualTo(1);
  }

  @Test
  void record_eventLongerThanALineMayBe_isRefusedAndTheLogStillOpensAndVerifies() throws Exception {
    TamperEvidentAuditLog log = builder().open();
    AuditEvent huge = AuditFixtures.tooLarge(events, ALICE);

    assertThatThrownBy(() -> log.record(huge)).isInstanceOf(AuditException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\u00e9").doesNotContain(ALICE.toString()));
    assertThatThrownBy(() -> log.recordAll(List.of(AuditFixtures.read(events, ALICE, 1), huge)))
        .isInstanceOf(AuditException.class);
    AuditEvent after = AuditFixtures.read(events, ALICE, 2);
    log.record(after);
    log.close();

    // Had it been written, its line would be longer than a reader takes: the log would not open again.
    TamperEvidentAuditLog.builder(logDir, keys).clock(clock).open().close();
    assertThat(idsInTheLog()).containsExactly(after.id());
  }

  @Test
  void justification_withLoneSurrogatesAndAPairCutAtTheLimit_isRecordedVerifiedAndReadBack() throws Exception {
    AuditSealing sealing = AuditFixtures.sealing(tmp.resolve("sealing"), clock);
    String[] reasons = {
        "patient \ud800 unconscious \udfff", // lone surrogates
        "a".repeat(AuditValues.MAX_JUSTIFICATION - 1) + "\ud83d\ude91", // the ambulance is cut in half at the limit
        "\u202e\u200b\u0000\u2028 right-to-left override, zero width, NUL, line separator"};
    for (boolean sealed : new boolean[] {false, true}) {
      Path dir = tmp.resolve(sealed ? "sealed" : "clear");
      TamperEvidentAuditLog.Builder b = TamperEvidentAuditLog.builder(dir, keys).clock(clock);
      List<AuditEvent> written = new ArrayList<>();
      try (TamperEvidentAuditLog log = sealed ? b.sealIdentities(sealing).open() : b.open()) {
        for (String reason : reasons) {
          AuditEvent e = events.event(AuditAction.EMERGENCY_ACCESS, "rest").httpStatus(200)
              .actor(AuditActor.anonymous()).emergencyGrant("g-1").justification(reason).build();
          log.record(e);
          written.add(e);
        }
      }
      TamperEvidentAuditLog.builder(dir, keys).clock(clock).open().close();
      AuditLogVerifier.builder(SigningKeyset.fromPublicJwks(keys.publicJwks())).build().verify(dir);
      AuditReview review = sealed ? AuditReview.of(dir, sealing) : AuditReview.of(dir);
      try (Stream<AuditEvent> read = review.events(AuditFilter.all())) {
        assertThat(read.map(AuditEvent::justification).toList()).as(sealed ? "sealed" : "in the clear")
            .containsExactlyElementsOf(written.stream().map(AuditEvent::justification).toList());
      }
    }
  }

  @Test
  void recovery_failingAgain_backsOffDoublingUpToTheMaximum_thenRecoversOnceTheFilesAreBack() throws Exception {
    TamperEvidentAuditLog log = builder().maxSegmentAge(Duration.ofMinutes(1)).open();
    AuditEvent kept = AuditFixtures.read(events, ALICE, 0);
    log.record(kept);
    Path backup = Files.createDirectory(tmp.resolve("backup"));
    try (Stream<Path> files = Files.list(logDir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Files.copy(f, backup.resolve(f.getFileName()));
      }
    }
    TamperEvidentAuditLogTest.deleteRecursively(logDir); // the log's directory vanishes (an unmounted volume)
    clock.advance(Duration.ofMinutes(2)); // the next append rotates: it must create a file there
    dev.safeguards.testing.CapturedLogs.clear();
    assertThatThrownBy(() -> log.record(AuditFixtures.read(events, ALICE, 1))).isInstanceOf(AuditException.class)
        .hasMessage("the audit log could not write a record");

    List<String> tries = new ArrayList<>();
    for (int second = 1; second <= 30; second++) {
      clock.advance(Duration.ofSeconds(1));
      assertThatThrownBy(log::checkAvailable).isInstanceOf(AuditException.class);
      for (String line : dev.safeguards.testing.CapturedLogs.lines()) {
        if (line.contains("has not recovered yet (next try in ")) {
          tries.add(second + " " + line.substring(line.indexOf("PT"), line.indexOf(')')));
        }
      }
      dev.safeguards.testing.CapturedLogs.clear();
    }
    // Tried at 1 s, then 2, 4 and 8 s later, then every 8 s (the maximum): never in between.
    assertThat(tries).containsExactly("1 PT2S", "3 PT4S", "7 PT8S", "15 PT8S", "23 PT8S");

    Files.createDirectories(logDir);
    try (Stream<Path> files = Files.list(backup)) {
      for (Path f : files.toList()) {
        Files.copy(f, logDir.resolve(f.getFileName()));
      }
    }
    clock.advance(Duration.ofSeconds(1)); // 31: the next try is at 31
    log.checkAvailable();
    AuditEvent after = AuditFixtures.read(events, ALICE, 2);
    log.record(after);
    log.close();

    assertThat(verify().recoveries()).isEqualTo(1);
    assertThat(idsInTheLog()).containsExactly(kept.id(), after.id());
  }

  @Test
  void checkpointListenerAndAnchorThrowing_areLoggedAndTheLogGoesOn() throws Exception {
    java.util.concurrent.atomic.AtomicInteger told = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger anchored = new java.util.concurrent.atomic.AtomicInteger();
    CheckpointAnchor broken = new CheckpointAnchor() {
      @Override
      public String describe() {
        return "broken anchor";
      }

      @Override
      public void verifyExtends(AuditCheckpoint current, ConsistencyProofs proofs) {
        // holds nothing yet
      }

      @Override
      public void publish(AuditCheckpoint checkpoint, ConsistencyProofs proofs) {
        anchored.incrementAndGet();
        throw new IllegalStateException("anchor bug");
      }
    };
    TamperEvidentAuditLog log = builder().origin("clinic.example/audit").anchor(broken).checkpointEvery(1)
        .onCheckpoint(c -> {
          told.incrementAndGet();
          throw new IllegalStateException("listener bug");
        }).open();
    for (int i = 0; i < 5; i++) {
      log.record(AuditFixtures.read(events, ALICE, i));
    }
    log.close();

    VerifiedAuditLog v = verify();
    assertThat(v.events()).isEqualTo(5);
    assertThat(anchored.get()).as("the publisher went on after each failure").isPositive();
    assertThat(told.get()).as("the listener is told of every checkpoint").isEqualTo((int) v.checkpoints());
  }

  @Test
  void close_whileProducersAppend_everyAcknowledgedEventIsInTheLogAndNoRefusedOne() throws Exception {
    TamperEvidentAuditLog log = builder().checkpointEvery(7).maxSegmentBytes(16 * 1024).open();
    java.util.Set<UUID> acknowledged = java.util.concurrent.ConcurrentHashMap.newKeySet();
    java.util.Set<UUID> refused = java.util.concurrent.ConcurrentHashMap.newKeySet();
    List<Thread> producers = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int base = t * 100_000;
      Thread producer = new Thread(() -> {
        for (int i = base; ; i++) {
          AuditEvent e = AuditFixtures.read(events, ALICE, i);
          try {
            log.record(e);
            acknowledged.add(e.id());
          } catch (AuditException closed) {
            refused.add(e.id());
            return;
          }
        }
      });
      producer.start();
      producers.add(producer);
    }
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(1);
    while (acknowledged.size() < 300 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }

    log.close();
    for (Thread producer : producers) {
      producer.join(java.util.concurrent.TimeUnit.MINUTES.toMillis(1));
      assertThat(producer.isAlive()).as("no producer is left waiting").isFalse();
    }

    assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(300);
    assertThat(refused).hasSize(4);
    List<UUID> inLog = idsInTheLog();
    assertThat(inLog).doesNotHaveDuplicates().containsAll(acknowledged).doesNotContainAnyElementsOf(refused);
    assertThat(verify().events()).isEqualTo(inLog.size());
  }

  @Test
  void crashWhileWritingTilesOrTheCheckpointFile_theWriterRebuildsThemAndTheLogVerifies() throws Exception {
    for (String crash : List.of("stray temp files", "torn tile", "empty tile", "checkpoint file lost")) {
      logDir = tmp.resolve(crash.replace(' ', '-'));
      try (TamperEvidentAuditLog log = builder().checkpointEvery(5).open()) {
        for (int i = 0; i < 300; i++) { // a full tile at level 0 and partial ones above and after it
          log.record(AuditFixtures.read(events, ALICE, i));
        }
      }
      List<Path> tiles;
      try (Stream<Path> walk = Files.walk(logDir.resolve("tile"))) {
        tiles = walk.filter(Files::isRegularFile).sorted().toList();
      }
      Path newest = tiles.get(tiles.size() - 1);
      switch (crash) {
        case "stray temp files" -> {
          for (Path t : tiles) {
            Files.write(t.resolveSibling("." + t.getFileName() + ".123.tmp"), new byte[] {1, 2, 3});
          }
          Files.write(logDir.resolve(".checkpoint.456.tmp"), new byte[] {'x'});
        }
        case "torn tile" -> Files.write(newest, java.util.Arrays.copyOf(Files.readAllBytes(newest), 40));
        case "empty tile" -> Files.write(newest, new byte[0]);
        default -> Files.delete(logDir.resolve(TamperEvidentAuditLog.CHECKPOINT_FILE));
      }

      try (TamperEvidentAuditLog log = builder().open()) {
        log.record(AuditFixtures.read(events, ALICE, 300));
      }

      assertThat(verify().events()).as(crash).isEqualTo(301);
    }
  }

  @Test
  void record_callerInterruptedWhenTheSegmentRotates_isRecordedAndTheLogStaysUp() throws Exception {
    TamperEvidentAuditLog log = builder().maxSegmentAge(Duration.ofMinutes(1)).open();
    log.record(AuditFixtures.read(events, ALICE, 0));
    clock.advance(Duration.ofMinutes(2)); // the next append rotates, and syncs the directory

    boolean keptInterrupt;
    Thread.currentThread().interrupt(); // e.g. a container cancelling the request's thread
    try {
      log.record(AuditFixtures.read(events, ALICE, 1));
    } finally {
      keptInterrupt = Thread.interrupted();
    }
    log.record(AuditFixtures.read(events, ALICE, 2));
    log.close();

    assertThat(keptInterrupt).as("the caller's interrupt is kept").isTrue();
    VerifiedAuditLog v = verify();
    assertThat(v.events()).isEqualTo(3);
    assertThat(v.segments()).isEqualTo(2);
    assertThat(v.recoveries()).as("no failure, so nothing to recover from").isZero();
  }

  /**
   * A log whose rotation failed (a directory stands where the next segment must go) with one event recorded before,
   * the obstacle gone and the backoff passed: the next call recovers it.
   */
  private TamperEvidentAuditLog failedAtARotation_andDueToRecover() throws Exception {
    TamperEvidentAuditLog log = builder().maxSegmentAge(Duration.ofMinutes(1)).open();
    log.record(AuditFixtures.read(events, ALICE, 0));
    Path blocker = Files.createDirectory(logDir.resolve(SECOND));
    clock.advance(Duration.ofMinutes(2));
    assertThatThrownBy(() -> log.record(AuditFixtures.read(events, ALICE, 1))).isInstanceOf(AuditException.class);
    Files.delete(blocker);
    clock.advance(Duration.ofSeconds(2));
    return log;
  }

  @Test
  void checkAvailable_callerInterruptedWhenTheLogRecovers_recovers() throws Exception {
    TamperEvidentAuditLog log = failedAtARotation_andDueToRecover();

    boolean keptInterrupt;
    Thread.currentThread().interrupt();
    try {
      log.checkAvailable(); // recovers: cuts back, syncs the directory, rereads the segment
    } finally {
      keptInterrupt = Thread.interrupted();
    }
    log.record(AuditFixtures.read(events, ALICE, 2));
    log.close();

    assertThat(keptInterrupt).isTrue();
    assertThat(verify().recoveries()).isEqualTo(1);
    assertThat(idsInTheLog()).hasSize(2);
  }

  @Test
  void checkpoint_callerInterruptedWhenTheLogRecovers_recovers() throws Exception {
    TamperEvidentAuditLog log = failedAtARotation_andDueToRecover();

    boolean keptInterrupt;
    Thread.currentThread().interrupt();
    try {
      log.checkpoint(); // recovers first, as record does
    } finally {
      keptInterrupt = Thread.interrupted();
    }
    log.close();

    assertThat(keptInterrupt).isTrue();
    assertThat(verify().recoveries()).isEqualTo(1);
  }

  @Test
  void crashWhileTheCheckpointRecordIsWritten_atEveryByteOffset_isCutAndRecovered() throws Exception {
    byte[] segment;
    Path written = tmp.resolve("written");
    try (TamperEvidentAuditLog log = TamperEvidentAuditLog.builder(written, keys).clock(clock).checkpointEvery(4)
        .open()) {
      for (int i = 0; i < 3; i++) { // the segment record and three events: then the checkpoint record
        log.record(AuditFixtures.read(events, ALICE, i));
      }
    }
    segment = Files.readAllBytes(written.resolve("audit-000000000001.jsonl"));
    int start = segment.length - 2;
    while (segment[start] != '\n') {
      start--;
    }
    start++;
    assertThat(new String(segment, start, segment.length - start, java.nio.charset.StandardCharsets.US_ASCII))
        .contains("\"kind\":\"checkpoint\"");
    for (int cut = start; cut < segment.length; cut++) {
      // As the crash left it: the checkpoint record not yet synced, so not yet published (no checkpoint file).
      logDir = Files.createDirectory(tmp.resolve("cut-" + cut));
      Files.write(logDir.resolve("audit-000000000001.jsonl"), java.util.Arrays.copyOf(segment, cut));

      try (TamperEvidentAuditLog log = builder().open()) {
        log.record(AuditFixtures.read(events, ALICE, 3));
      }

      VerifiedAuditLog v = verify();
      assertThat(v.events()).as("cut at %d", cut).isEqualTo(4);
      assertThat(v.recoveries()).isEqualTo(cut > start ? 1 : 0);
      assertThat(v.tornTailBytes()).isZero();
    }
  }
}
