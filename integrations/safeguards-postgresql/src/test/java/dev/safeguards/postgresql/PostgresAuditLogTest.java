package dev.safeguards.postgresql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safeguards.audit.AuditAction;
import dev.safeguards.audit.AuditCheckpoint;
import dev.safeguards.audit.AuditConsistencyProof;
import dev.safeguards.audit.AuditActor;
import dev.safeguards.audit.AuditEvent;
import dev.safeguards.audit.AuditEventTooLargeException;
import dev.safeguards.audit.AuditEvents;
import dev.safeguards.audit.AuditException;
import dev.safeguards.audit.AuditLogTamperedException;
import dev.safeguards.audit.AuditLogVerifier;
import dev.safeguards.audit.AuditFilter;
import dev.safeguards.audit.AuditInclusionProof;
import dev.safeguards.audit.AuditRecords;
import dev.safeguards.audit.AuditReview;
import dev.safeguards.audit.AuditSealing;
import dev.safeguards.audit.DirectoryAnchor;
import dev.safeguards.audit.VerifiedAuditLog;
import dev.safeguards.crypto.KeyEncryptionKey;
import dev.safeguards.crypto.KeyPurpose;
import dev.safeguards.crypto.ManagedKeyset;
import dev.safeguards.crypto.SigningKeyset;
import dev.safeguards.identity.UserId;
import dev.safeguards.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The audit log in PostgreSQL: replicas appending at once make one tree with no gap or duplicate, which exported to
 * the file format verifies with the file log's verifier; the application's role can only insert and read; a row a
 * superuser changes is found.
 */
class PostgresAuditLogTest {

  private static final String ORIGIN = "clinic.example/audit";
  private static final UserId ALICE = UserId.parse("0193b2c4-7f00-7000-8000-00000000a11c");

  @TempDir static Path tmp;
  private static ClinicDatabase db;
  private static SigningKeyset checkpointKeys;
  private static KeyEncryptionKey kek;
  private static int schemas;

  @TempDir Path work;
  private String schema;

  @BeforeAll
  static void start() throws Exception {
    db = ClinicDatabase.start();
    kek = KeyEncryptionKey.generateMasterKeyFile(tmp.resolve("master.key"));
    checkpointKeys = SigningKeyset.create(ManagedKeyset.create(tmp.resolve("checkpoint.json"),
        KeyPurpose.RECORD_SIGNING_ED25519, kek, Clock.systemUTC()));
  }

  @AfterAll
  static void stop() {
    db.close();
  }

  /** A schema of its own for each test: one log each. */
  @BeforeEach
  void schema() {
    schema = "audit_test_" + (++schemas);
    PostgresSchema.migrate(db.owner(), schema);
    PostgresSchema.grant(db.owner(), schema, "clinic_app");
  }

  private PostgresState replica() {
    return db.state().schema(schema).connect();
  }

  private static AuditEvent read(AuditEvents events, String requestId, int patient) {
    return events.event(AuditAction.READ, "rest").subtype("GET:/patients/{id}").httpStatus(200)
        .actor(new AuditActor(Optional.of(ALICE), Set.of("clinician"), Optional.of("clinic-web"),
            Optional.of("s-1"), Optional.of("192.0.2.7"), Optional.empty()))
        .purposeOfUse("TREAT").entity("Patient", String.format("0193b2c4-7f00-7000-8000-%012d", patient))
        .rule("role:clinician").requestId(requestId).build();
  }

  private VerifiedAuditLog verify() throws Exception {
    return PostgresAuditLogs.verify(db.app(), schema, AuditLogVerifier.builder(checkpointKeys).build());
  }

  @Test
  void threeReplicasAppendingAtOnce_makeOneTree_withoutGapOrDuplicate_thatTheFileVerifierAccepts()
      throws Exception {
    List<PostgresState> states = new ArrayList<>();
    List<PostgresAuditLog> logs = threeReplicas(states, 50);
    AuditEvents events = AuditEvents.create(Clock.systemUTC());
    ExecutorService pool = Executors.newFixedThreadPool(12);
    List<Callable<Void>> producers = new ArrayList<>();
    for (int r = 0; r < 3; r++) {
      for (int t = 0; t < 4; t++) {
        PostgresAuditLog log = logs.get(r);
        String prefix = "r" + r + "-t" + t + "-";
        producers.add(() -> {
          for (int i = 0; i < 50; i++) {
            log.record(read(events, prefix + i, i));
          }
          return null;
        });
      }
    }
    try {
      for (Future<Void> f : pool.invokeAll(producers)) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    for (PostgresAuditLog log : logs) {
      log.close();
    }
    states.forEach(PostgresState::close);

    VerifiedAuditLog verified = verify();
    assertThat(verified.events()).isEqualTo(600);
    assertThat(verified.origin()).isEqualTo(ORIGIN);
    assertThat(verified.unsignedTail()).as("the last replica to close signed the whole log").isZero();
    assertThat(verified.checkpoints()).isGreaterThanOrEqualTo(12);
    try (Connection c = db.app().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*), min(seq), max(seq), count(DISTINCT replica) FROM " + schema
            + ".audit_record")) {
      rs.next();
      assertThat(rs.getLong(1)).as("no gap").isEqualTo(rs.getLong(3));
      assertThat(rs.getLong(2)).isEqualTo(1);
      assertThat(rs.getInt(4)).as("every replica wrote").isEqualTo(3);
    }
    Path exported = work.resolve("export");
    PostgresAuditLogs.export(db.app(), schema, exported);
    Map<String, Long> requests = requestIds(exported);
    assertThat(requests).hasSize(600).allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1));
  }

  @Test
  void theApplicationsRole_canOnlyReadAndInsert_andNoOneCanChangeARow() throws Exception {
    try (PostgresState state = replica();
        PostgresAuditLog log = PostgresAuditLog.builder(state, ORIGIN, checkpointKeys).open()) {
      log.record(read(AuditEvents.create(Clock.systemUTC()), "req-1", 1));
    }
    for (String table : PostgresSchema.AUDIT_TABLES) {
      for (String change : List.of("UPDATE " + schema + "." + table + " SET " + column(table) + " = "
          + column(table), "DELETE FROM " + schema + "." + table, "TRUNCATE " + schema + "." + table)) {
        assertThatThrownBy(() -> ClinicDatabase.execute(db.app(), change)).as(change)
            .isInstanceOf(SQLException.class).extracting(e -> ((SQLException) e).getSQLState())
            .isEqualTo("42501");
        // the owner, and even a superuser, meet the trigger
        assertThatThrownBy(() -> ClinicDatabase.execute(db.owner(), change)).as(change)
            .isInstanceOf(SQLException.class).hasMessageContaining("append-only");
        assertThatThrownBy(() -> ClinicDatabase.execute(db.superuser(), change)).as(change)
            .isInstanceOf(SQLException.class).hasMessageContaining("append-only");
      }
    }
    assertThat(verify().events()).isEqualTo(1);
  }

  private static String column(String table) {
    return switch (table) {
      case "audit_log" -> "origin";
      case "audit_node" -> "hash";
      case "audit_checkpoint" -> "note";
      default -> "record";
    };
  }

  @Test
  void aRecordASuperuserChanged_isFoundAtItsPosition() throws Exception {
    try (PostgresState state = replica();
        PostgresAuditLog log = PostgresAuditLog.builder(state, ORIGIN, checkpointKeys).checkpointEvery(10).open()) {
      AuditEvents events = AuditEvents.create(Clock.systemUTC());
      for (int i = 1; i <= 30; i++) {
        log.record(read(events, "req-" + i, i));
      }
    }
    ClinicDatabase.execute(db.superuser(), "ALTER TABLE " + schema + ".audit_record DISABLE TRIGGER append_only; "
        + "UPDATE " + schema + ".audit_record SET record = convert_to(replace(convert_from(record, 'UTF8'), "
        + "'\"req-7\"', '\"req-8\"'), 'UTF8') WHERE seq = 8; "
        + "ALTER TABLE " + schema + ".audit_record ENABLE TRIGGER append_only");

    assertThatThrownBy(this::verify).isInstanceOf(AuditLogTamperedException.class).satisfies(e -> {
      AuditLogTamperedException t = (AuditLogTamperedException) e;
      assertThat(t.tampering()).isEqualTo(AuditLogTamperedException.Tampering.MODIFIED);
      assertThat(t.sequence()).as("the changed record, by its stored leaf hash").isEqualTo(8);
    });
  }

  @Test
  void sealedIdentities_areNotInTheDatabase_andTheLogStillVerifies() throws Exception {
    AuditSealing sealing = AuditSealing.create(
        ManagedKeyset.create(work.resolve("identity.json"), KeyPurpose.FIELD_ENCRYPTION, kek, Clock.systemUTC()),
        ManagedKeyset.create(work.resolve("index.json"), KeyPurpose.BLIND_INDEX, kek, Clock.systemUTC()));
    try (PostgresState state = replica(); PostgresAuditLog log = PostgresAuditLog.builder(state, ORIGIN,
        checkpointKeys).sealIdentities(sealing).open()) {
      log.record(read(AuditEvents.create(Clock.systemUTC()), "req-1", 4711));
    }
    try (Connection c = db.app().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT string_agg(convert_from(record, 'UTF8'), '') FROM " + schema
            + ".audit_record")) {
      rs.next();
      assertThat(rs.getString(1)).contains("\"sealed\":\"sg1:").doesNotContain("000000004711")
          .doesNotContain(ALICE.toString()).doesNotContain("192.0.2.7");
    }
    assertThat(verify().events()).isEqualTo(1);
  }

  @Test
  void anEventTooLargeForALine_isRefusedAlone_andTheLogStillExportsAndVerifies() throws Exception {
    // 800 roles of 250 non-ASCII letters each: over a megabyte once escaped, longer than a line of the files may be.
    Set<String> roles = new java.util.HashSet<>();
    for (int i = 0; i < 800; i++) {
      roles.add("\u00e9".repeat(250) + i);
    }
    AuditEvents events = AuditEvents.create(Clock.systemUTC());
    AuditEvent huge = events.event(AuditAction.READ, "rest").httpStatus(200)
        .actor(new AuditActor(Optional.of(ALICE), roles, Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty()))
        .build();
    try (PostgresState state = replica();
        PostgresAuditLog log = PostgresAuditLog.builder(state, ORIGIN, checkpointKeys).open()) {
      log.record(read(events, "req-1", 1));
      assertThatThrownBy(() -> log.recordAll(List.of(read(events, "req-2", 2), huge)))
          .isInstanceOfSatisfying(AuditEventTooLargeException.class, e -> assertThat(e.index()).isEqualTo(1))
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\u00e9").doesNotContain(ALICE.toString()));
      log.record(read(events, "req-3", 3));
    }
    // Written, its line would be longer than the file verifier takes: the export would not verify.
    assertThat(verify().events()).isEqualTo(2);
  }

  /**
   * A transaction commits without waiting for the WAL flush, so that the log's lock is not held meanwhile, and the
   * log waits for the flush before it acknowledges: a database crash under load (an immediate shutdown loses what was
   * only in its memory) must not take back an event any caller was told was written, nor leave a gap.
   */
  @Test
  void theDatabaseCrashingUnderLoad_losesNoAcknowledgedEvent_andLeavesNoGap() throws Exception {
    List<PostgresState> states = new ArrayList<>();
    List<PostgresAuditLog> logs = threeReplicas(states, 40);
    AuditEvents events = AuditEvents.create(Clock.systemUTC());
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    AtomicBoolean crashed = new AtomicBoolean();
    AtomicInteger refused = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(12);
    List<Future<?>> producers = new ArrayList<>();
    for (int r = 0; r < 3; r++) {
      for (int t = 0; t < 4; t++) {
        PostgresAuditLog log = logs.get(r);
        String prefix = "r" + r + "-t" + t + "-";
        producers.add(pool.submit(() -> {
          for (int i = 0; !crashed.get(); i++) {
            try {
              log.record(read(events, prefix + i, i));
              acknowledged.add(prefix + i);
            } catch (AuditException e) {
              refused.incrementAndGet();
            }
          }
        }));
      }
    }
    try {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (acknowledged.size() < 600) {
        assertThat(System.nanoTime()).as("appends under way").isLessThan(deadline);
        Thread.onSpinWait();
      }
      db.server.crash();
      crashed.set(true);
      for (Future<?> f : producers) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(refused.get()).as("the crash came while events were being written").isPositive();
    db.server.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    for (int r = 0; r < logs.size(); r++) {
      PostgresAuditLog log = logs.get(r);
      awaitRecovered(log, deadline);
      log.record(read(events, "after-crash-" + r, 1));
      log.close();
    }
    states.forEach(PostgresState::close);

    VerifiedAuditLog verified = verify();
    assertThat(verified.unsignedTail()).isZero();
    try (Connection c = db.app().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*), max(seq) FROM " + schema + ".audit_record")) {
      rs.next();
      assertThat(rs.getLong(1)).as("no gap").isEqualTo(rs.getLong(2));
    }
    Path exported = work.resolve("export");
    PostgresAuditLogs.export(db.app(), schema, exported);
    Map<String, Long> requests = requestIds(exported);
    assertThat(acknowledged).as("every acknowledged event survived the crash").allSatisfy(id ->
        assertThat(requests.get(id)).as(id).isEqualTo(1L));
    assertThat(requests).allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1));
  }

  /** Opens replicas a, b and c of the test's log, each with its own state (added to {@code states}). */
  private List<PostgresAuditLog> threeReplicas(List<PostgresState> states, long checkpointEvery) throws AuditException {
    List<PostgresAuditLog> logs = new ArrayList<>();
    for (String name : List.of("a", "b", "c")) {
      PostgresState state = replica();
      states.add(state);
      logs.add(PostgresAuditLog.builder(state, ORIGIN, checkpointKeys).replica(name).checkpointEvery(checkpointEvery)
          .open());
    }
    return logs;
  }

  /** Waits until {@code log} takes events again, by itself, before {@code deadline} ({@link System#nanoTime}). */
  private static void awaitRecovered(PostgresAuditLog log, long deadline) {
    while (true) {
      try {
        log.checkAvailable();
        return;
      } catch (AuditException e) {
        assertThat(System.nanoTime()).as("recovered by itself").isLessThan(deadline);
        Thread.onSpinWait();
      }
    }
  }

  /** How often each request id occurs in the exported log. */
  private static Map<String, Long> requestIds(Path exported) throws java.io.IOException {
    String key = "\"requestId\":\"";
    return Files.readAllLines(exported.resolve(AuditRecords.segmentFileName(1)), StandardCharsets.US_ASCII).stream()
        .filter(l -> l.contains(key))
        .map(l -> l.substring(l.indexOf(key) + key.length(), l.indexOf('"', l.indexOf(key) + key.length())))
        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
  }

  @Test
  void recordsThatWaitedTheInterval_getACheckpoint_withoutAnotherEvent() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-12-05T10:00:00Z"));
    try (PostgresState state = replica(); PostgresAuditLog log = PostgresAuditLog.builder(state, ORIGIN,
        checkpointKeys).clock(clock).checkpointInterval(Duration.ofMillis(40)).open()) {
      AuditEvents events = AuditEvents.create(clock);
      log.record(read(events, "req-1", 1));
      log.record(read(events, "req-2", 2));
      assertThat(checkpoints()).isZero();
      clock.advance(Duration.ofMinutes(1));
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (checkpoints() == 0) {
        assertThat(System.nanoTime()).as("a checkpoint by time").isLessThan(deadline);
        Thread.onSpinWait();
      }
    }
    assertThat(verify().unsignedTail()).isZero();
  }

  @Test
  void theDatabaseStopped_refusesMeanwhile_recordsTheRefusals_andGoesOnUnattended() throws Exception {
    AuditEvents events = AuditEvents.create(Clock.systemUTC());
    try (PostgresState state = replica();
        PostgresAuditLog log = PostgresAuditLog.builder(state, ORIGIN, checkpointKeys).checkpointEvery(20).open()) {
      for (int i = 1; i <= 10; i++) {
        log.record(read(events, "before-" + i, i));
      }
      db.server.stop();
      assertThatThrownBy(() -> log.record(read(events, "lost", 11))).isInstanceOf(AuditException.class)
          .hasMessageNotContaining(ClinicDatabase.APP_PASSWORD);
      for (int i = 0; i < 3; i++) {
        assertThatThrownBy(log::checkAvailable).as("the gate refuses before the application acts")
            .isInstanceOf(AuditException.class);
      }
      db.server.start();
      awaitRecovered(log, System.nanoTime() + Duration.ofSeconds(30).toNanos());
      for (int i = 1; i <= 5; i++) {
        log.record(read(events, "after-" + i, i));
      }
    }
    VerifiedAuditLog verified = verify();
    assertThat(verified.events()).isEqualTo(15);
    assertThat(verified.recoveries()).isEqualTo(1);
    Path exported = work.resolve("export");
    PostgresAuditLogs.export(db.app(), schema, exported);
    String recovery = Files.readAllLines(exported.resolve(AuditRecords.segmentFileName(1))).stream()
        .filter(l -> l.contains("\"kind\":\"recovery\"")).findFirst().orElseThrow();
    long refused = Long.parseLong(recovery.replaceAll(".*\"refused\":([0-9]+).*", "$1"));
    assertThat(refused).as("the lost event and the refused requests, at least").isGreaterThanOrEqualTo(4);
    assertThat(recovery).as("after the ten events before").startsWith("{\"seq\":12,");
  }

  @Test
  void checkpointsReachTheAnchor_andALogCutBackInTheDatabase_isRefusedAtOpen_andByTheVerifier() throws Exception {
    DirectoryAnchor anchor = DirectoryAnchor.create(work.resolve("anchor"), checkpointKeys);
    AuditEvents events = AuditEvents.create(Clock.systemUTC());
    try (PostgresState a = replica(); PostgresState b = replica()) {
      PostgresAuditLog onA = PostgresAuditLog.builder(a, ORIGIN, checkpointKeys).anchor(anchor).checkpointEvery(10)
          .replica("a").open();
      PostgresAuditLog onB = PostgresAuditLog.builder(b, ORIGIN, checkpointKeys).anchor(anchor).checkpointEvery(10)
          .replica("b").open();
      for (int i = 1; i <= 25; i++) {
        onA.record(read(events, "a-" + i, i));
        onB.record(read(events, "b-" + i, i));
      }
      onA.close();
      onB.close();
    }
    AuditCheckpoint anchored = anchor.latest(ORIGIN).orElseThrow();
    assertThat(anchored.size()).as("the newest checkpoint, the one over the whole log")
        .isEqualTo(verify().lastTreeCheckpoint().orElseThrow().size());

    // someone with the database's superuser cuts the log back to 20 records, tree and checkpoints included
    ClinicDatabase.execute(db.superuser(), "SET session_replication_role = replica; "
        + "DELETE FROM " + schema + ".audit_record WHERE seq > 20; "
        + "DELETE FROM " + schema + ".audit_node WHERE (idx + 1) * (1::bigint << level) > 20; "
        + "DELETE FROM " + schema + ".audit_checkpoint WHERE size >= 20");

    try (PostgresState a = replica()) {
      assertThatThrownBy(() -> PostgresAuditLog.builder(a, ORIGIN, checkpointKeys).anchor(anchor).open())
          .isInstanceOf(AuditLogTamperedException.class).extracting(e -> ((AuditLogTamperedException) e).tampering())
          .isEqualTo(AuditLogTamperedException.Tampering.TRUNCATED);
    }
    assertThatThrownBy(() -> PostgresAuditLogs.verify(db.app(), schema,
        AuditLogVerifier.builder(checkpointKeys).trustCheckpoint(anchored.note()).build()))
        .isInstanceOf(AuditLogTamperedException.class).extracting(e -> ((AuditLogTamperedException) e).tampering())
        .isEqualTo(AuditLogTamperedException.Tampering.TRUNCATED);
    assertThat(verify().records()).as("without the anchor, the cut log alone verifies: why anchors").isEqualTo(20);
  }

  @Test
  void theStoredTree_givesProofsThatVerify_acrossItsStoredLevels() throws Exception {
    DirectoryAnchor anchor = DirectoryAnchor.create(work.resolve("anchor"), checkpointKeys);
    AuditEvents events = AuditEvents.create(Clock.systemUTC());
    try (PostgresState state = replica(); PostgresAuditLog log = PostgresAuditLog.builder(state, ORIGIN,
        checkpointKeys).anchor(anchor).checkpointEvery(97).maxBatch(7).open()) {
      for (int i = 1; i <= 700; i++) {
        log.record(read(events, "req-" + i, i));
      }
    }
    // every checkpoint reached the anchor, each with a consistency proof from the one before (levels 8 and up are
    // stored rows, the others computed from them)
    AuditCheckpoint last = anchor.latest(ORIGIN).orElseThrow();
    assertThat(last.size()).isEqualTo(verify().lastTreeCheckpoint().orElseThrow().size()).isGreaterThan(700);
    StoredTree tree = StoredTree.of(db.app(), schema);
    assertThat(dev.safeguards.tlog.Proofs.root(tree, last.size())).isEqualTo(last.root());
    for (long index : new long[] {0, 1, 255, 256, 511, 600, last.size() - 1}) {
      byte[] leaf = tree.node(0, index);
      dev.safeguards.tlog.Proofs.verifyInclusion(leaf, index, last.size(),
          dev.safeguards.tlog.Proofs.inclusion(tree, index, last.size()), last.root());
    }
  }

  @Test
  void aPatientsHistory_isAnIndexLookup_andTheSameAsTheFileReviewFinds() throws Exception {
    AuditSealing sealing = AuditSealing.create(
        ManagedKeyset.create(work.resolve("identity.json"), KeyPurpose.FIELD_ENCRYPTION, kek, Clock.systemUTC()),
        ManagedKeyset.create(work.resolve("index.json"), KeyPurpose.BLIND_INDEX, kek, Clock.systemUTC()));
    UserId bob = UserId.parse("0193b2c4-7f00-7000-8000-000000000b0b");
    AuditEvents events = AuditEvents.create(Clock.systemUTC());
    try (PostgresState state = replica(); PostgresAuditLog log = PostgresAuditLog.builder(state, ORIGIN,
        checkpointKeys).sealIdentities(sealing).checkpointEvery(50).open()) {
      for (int i = 1; i <= 200; i++) {
        AuditEvent e = read(events, "req-" + i, i % 20); // 20 patients, ten reads each
        log.record(i % 3 == 0 ? events.event(AuditAction.READ, "rest").subtype("GET:/patients/{id}")
            .httpStatus(200).actor(new AuditActor(Optional.of(bob), Set.of("nurse"), Optional.of("clinic-web"),
                Optional.of("s-2"), Optional.of("192.0.2.8"), Optional.empty()))
            .purposeOfUse("TREAT").entity("Patient", String.format("0193b2c4-7f00-7000-8000-%012d", i % 20))
            .requestId("req-" + i).build() : e);
      }
    }
    Path exported = work.resolve("export");
    PostgresAuditLogs.export(db.app(), schema, exported);
    AuditReview fromDatabase = PostgresAuditLogs.review(db.app(), schema, sealing);
    AuditReview fromFiles = AuditReview.of(exported, sealing);
    String patient = String.format("0193b2c4-7f00-7000-8000-%012d", 7);
    for (AuditFilter filter : List.of(AuditFilter.builder().resource("Patient", patient).build(),
        AuditFilter.builder().user(bob).build(), AuditFilter.builder().user(bob).resource("Patient", patient).build(),
        AuditFilter.builder().action(AuditAction.READ).build())) {
      List<String> database;
      List<String> files;
      try (var a = fromDatabase.events(filter); var b = fromFiles.events(filter)) {
        database = a.map(e -> e.requestId().orElseThrow()).toList();
        files = b.map(e -> e.requestId().orElseThrow()).toList();
      }
      assertThat(database).as("%s", filter).isEqualTo(files).isNotEmpty();
    }
    // bounded: the patient's history reads the log's first record and the patient's ten events, nothing else
    int read = 0;
    try (AuditReview.Records records = PostgresAuditLogs.records(db.app(), schema, sealing)
        .open(AuditFilter.builder().resource("Patient", patient).build())) {
      while (records.next() != null) {
        read++;
      }
    }
    assertThat(read).isEqualTo(1 + 10);
    assertThat(fromDatabase.breachScope(AuditFilter.builder().user(bob).build()).resources()).hasSize(20);
  }

  @Test
  void aRecordsProof_andACheckpointsConsistency_comeStraightFromTheDatabase_andAChangedRecordFailsItsProof()
      throws Exception {
    AuditEvents events = AuditEvents.create(Clock.systemUTC());
    try (PostgresState state = replica(); PostgresAuditLog log = PostgresAuditLog.builder(state, ORIGIN,
        checkpointKeys).checkpointEvery(10).open()) {
      for (int i = 1; i <= 30; i++) {
        log.record(read(events, "req-" + i, i));
      }
    }
    AuditInclusionProof proof = PostgresAuditLogs.prove(db.app(), schema, 5);
    proof.verify(checkpointKeys);
    assertThat(proof.record()).contains("\"requestId\":\"req-4\"");
    AuditInclusionProof parsed = AuditInclusionProof.parse(proof.toJson());
    parsed.verify(checkpointKeys);

    AuditCheckpoint first;
    try (Connection c = db.app().getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT note FROM " + schema + ".audit_checkpoint ORDER BY size LIMIT 1")) {
      rs.next();
      first = AuditCheckpoint.read(rs.getString(1));
    }
    AuditConsistencyProof consistency = PostgresAuditLogs.proveConsistency(db.app(), schema, first);
    consistency.verify(checkpointKeys);
    assertThat(consistency.newer().size()).isGreaterThan(first.size());
    assertThatThrownBy(() -> PostgresAuditLogs.prove(db.app(), schema, 10_000)).isInstanceOf(AuditException.class)
        .hasMessageContaining("no checkpoint covers");

    ClinicDatabase.execute(db.superuser(), "ALTER TABLE " + schema + ".audit_record DISABLE TRIGGER append_only; "
        + "UPDATE " + schema + ".audit_record SET record = convert_to(replace(convert_from(record, 'UTF8'), "
        + "'\"req-4\"', '\"req-9\"'), 'UTF8') WHERE seq = 5; "
        + "ALTER TABLE " + schema + ".audit_record ENABLE TRIGGER append_only");
    AuditInclusionProof forged = PostgresAuditLogs.prove(db.app(), schema, 5);
    assertThatThrownBy(() -> forged.verify(checkpointKeys)).as("the changed record does not lead to the root")
        .isInstanceOf(dev.safeguards.tlog.ProofException.class);
  }

  private long checkpoints() throws SQLException {
    DataSource app = db.app();
    try (Connection c = app.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM " + schema + ".audit_checkpoint")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void anExportThatCannotConnect_leavesNoDirectory_soThatARetryWorks() throws Exception {
    PGSimpleDataSource nowhere = new PGSimpleDataSource();
    nowhere.setUrl(db.url());
    nowhere.setUser("clinic_app");
    nowhere.setPassword("not-the-password");
    Path exported = work.resolve("export");

    assertThatThrownBy(() -> PostgresAuditLogs.export(nowhere, schema, exported)).isInstanceOf(SQLException.class);
    assertThat(exported).doesNotExist();
    assertThat(PostgresAuditLogs.export(db.app(), schema, exported).records()).isZero();
  }

  @Test
  void anExportThatFailsHalfway_removesWhatItWrote() throws Exception {
    Path exported = work.resolve("export");

    assertThatThrownBy(() -> PostgresAuditLogs.export(db.app(), "no_such_schema", exported))
        .isInstanceOf(SQLException.class);
    assertThat(exported).doesNotExist();
  }
}
