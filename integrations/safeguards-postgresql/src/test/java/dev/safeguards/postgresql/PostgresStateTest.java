package dev.safeguards.postgresql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safeguards.StateUnavailableException;
import dev.safeguards.access.EmergencyGrant;
import dev.safeguards.access.EmergencyGrantStore;
import dev.safeguards.access.Permission;
import dev.safeguards.authn.AccessGrant;
import dev.safeguards.authn.RefreshTokenStore;
import dev.safeguards.authn.RefreshTokenStore.StoredRefreshToken;
import dev.safeguards.identity.UserId;
import dev.safeguards.testing.CapturedLogs;
import dev.safeguards.testing.MutableClock;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL stores against a real PostgreSQL server, as two replicas would use them: the schema migrated by its
 * owner, the application connected as a role granted only what it needs.
 */
class PostgresStateTest {

  private static final String APP_PASSWORD = ClinicDatabase.APP_PASSWORD;
  private static final UserId ALICE = UserId.parse("0193b2c4-7f00-7000-8000-00000000a11c");
  /** The user of the crash test's grants, which no other test reads. */
  private static final UserId CAROL = UserId.parse("0193b2c4-7f00-7000-8000-0000000ca201");

  private static ClinicDatabase db;
  private static PostgresServer server;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-05T10:00:00Z"));
  private PostgresState a;
  private PostgresState b;

  @BeforeAll
  static void startPostgres() throws Exception {
    db = ClinicDatabase.start();
    server = db.server;
  }

  @AfterAll
  static void stopPostgres() {
    db.close();
  }

  static DataSource owner() {
    return db.owner();
  }

  private PostgresState connect() {
    return db.state().clock(clock).connect();
  }

  @BeforeEach
  void connectReplicas() {
    a = connect();
    b = connect();
  }

  @AfterEach
  void close() {
    a.close();
    b.close();
  }

  @Test
  void emergencyGrants_roundTrip_byIdAndByUser_revocationIncluded_andAreForgottenADayAfterTheyEnd()
      throws Exception {
    EmergencyGrantStore onA = a.emergencyGrants();
    EmergencyGrantStore onB = b.emergencyGrants();
    EmergencyGrant one = new EmergencyGrant("g1", ALICE, "Patient", Optional.of("p1"),
        Set.of(Permission.parse("patient:read"), Permission.parse("patient:write")), "ETREAT", clock.instant(),
        clock.instant().plus(Duration.ofHours(1)), Optional.empty());
    EmergencyGrant two = new EmergencyGrant("g2", ALICE, "Patient", Optional.empty(),
        Set.of(Permission.parse("patient:read")), "ETREAT", clock.instant(), clock.instant().plus(Duration.ofHours(2)),
        Optional.empty());
    onA.put(one);
    onA.put(two);

    assertThat(onB.find("g1")).contains(one);
    assertThat(onB.find("g3")).isEmpty();
    assertThat(onB.forUser(ALICE)).containsExactly(one, two);
    assertThat(onB.forUser(UserId.parse("0193b2c4-7f00-7000-8000-0000000000b0"))).isEmpty();
    EmergencyGrant revoked = one.revoked(clock.instant().plus(Duration.ofMinutes(3)));
    onB.put(revoked);
    assertThat(onA.find("g1")).contains(revoked);
    assertThat(onA.forUser(ALICE)).containsExactly(revoked, two);

    clock.advance(Duration.ofHours(1).plus(PostgresEmergencyGrantStore.KEPT).plusSeconds(1));
    assertThat(onA.forUser(ALICE)).as("a day after it ended, g1 is forgotten").containsExactly(two);
    onA.put(new EmergencyGrant("g3", ALICE, "Patient", Optional.empty(), Set.of(Permission.parse("patient:read")),
        "ETREAT", clock.instant(), clock.instant().plusSeconds(60), Optional.empty()));
    assertThat(rows("SELECT id FROM safeguards.emergency_grant ORDER BY id")).as("and deleted by a later write")
        .containsExactly("g2", "g3");
  }

  @Test
  void refreshTokens_roundTrip_aTokenIsUsedOnce_andARevokedFamilyIsKnownEverywhere() {
    RefreshTokenStore onA = a.refreshTokens();
    RefreshTokenStore onB = b.refreshTokens();
    AccessGrant grant = new AccessGrant(ALICE, Set.of("clinician", "nurse"), Set.of("patient/*.read"),
        Set.of("pwd", "otp"), clock.instant(), "s1", Optional.of("portal"));
    StoredRefreshToken token = new StoredRefreshToken("hash1", "family1", grant, clock.instant().plus(
        Duration.ofDays(1)));
    onA.save(token);

    assertThat(onB.find("hash1")).contains(token);
    assertThat(onB.find("unknown")).isEmpty();
    assertThat(onB.markUsed("unknown")).isFalse();
    assertThat(onB.markUsed("hash1")).isTrue();
    assertThat(onA.markUsed("hash1")).isFalse();
    assertThat(onA.isFamilyRevoked("family1")).isFalse();
    onA.revokeFamily("family1");
    assertThat(onB.isFamilyRevoked("family1")).isTrue();

    clock.advance(Duration.ofDays(1));
    assertThat(onB.find("hash1")).as("its family ended").isEmpty();
    clock.advance(PostgresRefreshTokenStore.FAMILY_MARK);
    assertThat(onB.isFamilyRevoked("family1")).isFalse();
  }

  @Test
  void theSameRefreshTokenRacedOnTwoReplicas_isUsedExactlyOnce_everyRound() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      for (int round = 0; round < 50; round++) {
        String hash = "race-" + round;
        a.refreshTokens().save(new StoredRefreshToken(hash, "f-" + round, new AccessGrant(ALICE, Set.of(), Set.of(),
            Set.of("pwd"), clock.instant(), "s", Optional.empty()), clock.instant().plusSeconds(600)));
        List<Callable<Boolean>> racers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          PostgresState replica = i % 2 == 0 ? a : b;
          racers.add(() -> replica.refreshTokens().markUsed(hash));
        }
        int winners = 0;
        for (Future<Boolean> f : pool.invokeAll(racers)) {
          winners += f.get() ? 1 : 0;
        }
        assertThat(winners).as("round %d", round).isEqualTo(1);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void theApplicationsRole_cannotChangeTheSchema() {
    DataSource app = db.app();
    for (String ddl : List.of("CREATE TABLE safeguards.mine (x int)", "DROP TABLE safeguards.refresh_token",
        "ALTER TABLE safeguards.emergency_grant ADD COLUMN x int", "TRUNCATE safeguards.refresh_token",
        "DELETE FROM safeguards.schema_version")) {
      assertThatThrownBy(() -> {
        try (Connection c = app.getConnection(); Statement s = c.createStatement()) {
          s.execute(ddl);
        }
      }).as(ddl).isInstanceOf(SQLException.class).extracting(e -> ((SQLException) e).getSQLState())
          .isEqualTo("42501"); // insufficient_privilege
    }
  }

  @Test
  void migrating_isIdempotent_andSafeFromSeveralReplicasAtOnce() throws Exception {
    assertThat(PostgresSchema.migrate(owner(), "safeguards")).as("the database's set-up migrated it").isZero();
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Callable<Integer>> replicas = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        replicas.add(() -> PostgresSchema.migrate(owner(), "other_app"));
      }
      int applied = 0;
      for (Future<Integer> f : pool.invokeAll(replicas)) {
        applied += f.get();
      }
      assertThat(applied).as("one replica migrated, the others found it current").isEqualTo(PostgresSchema.VERSION);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void eachStore_isOnePerState() {
    try (PostgresState state = db.state().connect()) {
      assertThat(state.emergencyGrants()).isSameAs(state.emergencyGrants());
      assertThat(state.refreshTokens()).isSameAs(state.refreshTokens());
    }
  }

  @Test
  void aSchemaNeverCreated_isRefusedWithWhatToDo_notReportedAsAnOutage() {
    assertThatThrownBy(() -> PostgresState.builder(server.jdbcUrl("clinic")).credentials("clinic_app", APP_PASSWORD)
        .schema("never_created").connect()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no Safeguards tables").hasMessageContaining("PostgresSchema.migrate");
  }

  @Test
  void aSchemaNotMigrated_orNewerThanTheLibrary_isRefusedWithWhatToDo() throws Exception {
    try (Connection c = owner().getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA not_migrated; CREATE TABLE not_migrated.schema_version (version integer PRIMARY KEY, "
          + "description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now()); "
          + "GRANT USAGE ON SCHEMA not_migrated TO clinic_app; "
          + "GRANT SELECT ON not_migrated.schema_version TO clinic_app");
    }
    assertThatThrownBy(() -> PostgresState.builder(server.jdbcUrl("clinic")).credentials("clinic_app", APP_PASSWORD)
        .schema("not_migrated").connect()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("version 0").hasMessageContaining("PostgresSchema.migrate");
    try (Connection c = owner().getConnection(); Statement s = c.createStatement()) {
      s.execute("INSERT INTO not_migrated.schema_version (version, description) VALUES (99, 'from the future')");
    }
    assertThatThrownBy(() -> PostgresSchema.migrate(owner(), "not_migrated")).isInstanceOf(
        IllegalStateException.class).hasMessageContaining("newer than this library");
  }

  @Test
  void aWrongPassword_isRefused_withoutNamingIt() {
    assertThatThrownBy(() -> PostgresState.builder(server.jdbcUrl("clinic"))
        .credentials("clinic_app", "not-" + APP_PASSWORD).connect())
        .isInstanceOf(StateUnavailableException.class).hasMessageContaining("28P01") // invalid_password
        .hasMessageNotContaining(APP_PASSWORD);
  }

  @Test
  void theServerStopped_failsClosed_loggedOnce_andRecoversUnattended() throws Exception {
    CapturedLogs.clear();
    server.stop();
    for (int i = 0; i < 5; i++) {
      assertThatThrownBy(() -> a.emergencyGrants().forUser(ALICE)).isInstanceOf(StateUnavailableException.class)
          .hasMessageNotContaining(APP_PASSWORD);
    }
    assertThat(CapturedLogs.lines()).filteredOn(l -> l.contains("dev.safeguards.postgresql.PostgresState:"))
        .hasSize(1).allMatch(l -> l.startsWith("ERROR"));

    server.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      try {
        assertThat(a.emergencyGrants().forUser(ALICE)).isNotNull();
        break;
      } catch (StateUnavailableException e) {
        assertThat(System.nanoTime()).as("recovered").isLessThan(deadline);
        Thread.onSpinWait();
      }
    }
  }

  @Test
  void aServerThatStopsAnswering_midStatement_isRefusedWithinTheCommandTimeout_andRecoversUnattended()
      throws Exception {
    Duration timeout = Duration.ofSeconds(2);
    ExecutorService requests = Executors.newSingleThreadExecutor();
    try (PostgresState replica = db.state().clock(clock).commandTimeout(timeout).connect();
        Connection admin = server.superuser("clinic"); Statement s = admin.createStatement()) {
      admin.setAutoCommit(false);
      s.execute("LOCK TABLE safeguards.emergency_grant IN ACCESS EXCLUSIVE MODE"); // so the statement waits there
      Future<List<EmergencyGrant>> request = requests.submit(() -> replica.emergencyGrants().forUser(ALICE));
      long deadline = System.nanoTime() + timeout.toNanos() / 2;
      while (rows("SELECT 1 FROM pg_stat_activity WHERE usename = 'clinic_app' AND wait_event_type = 'Lock'")
          .isEmpty()) {
        assertThat(System.nanoTime()).as("the statement waits for the lock").isLessThan(deadline);
        Thread.onSpinWait();
      }
      long frozen = System.nanoTime();
      try {
        server.freeze(); // it no longer answers, not even to end the statement at its timeout
        assertThatThrownBy(() -> request.get(timeout.multipliedBy(10).toMillis(), TimeUnit.MILLISECONDS))
            .as("refused, not left waiting").isInstanceOf(ExecutionException.class)
            .cause().isInstanceOf(StateUnavailableException.class).hasMessageNotContaining(APP_PASSWORD);
        assertThat(Duration.ofNanos(System.nanoTime() - frozen)).isLessThan(timeout.multipliedBy(3));
      } finally {
        server.thaw();
      }
      admin.rollback();
      long recovery = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (true) {
        try {
          assertThat(replica.emergencyGrants().forUser(ALICE)).isNotNull();
          break;
        } catch (StateUnavailableException e) {
          assertThat(System.nanoTime()).as("recovered").isLessThan(recovery);
          Thread.onSpinWait();
        }
      }
    } finally {
      requests.shutdownNow();
    }
  }

  @Test
  void everyAcknowledgedWrite_survivesACrashOfTheServer_andIsReadByEveryReplicaAfter() throws Exception {
    EmergencyGrant open = new EmergencyGrant("crash-open", CAROL, "Patient", Optional.of("p1"),
        Set.of(Permission.parse("patient:read")), "ETREAT", clock.instant(), clock.instant().plus(Duration.ofHours(1)),
        Optional.empty());
    EmergencyGrant revoked = new EmergencyGrant("crash-revoked", CAROL, "Patient", Optional.empty(),
        Set.of(Permission.parse("patient:read")), "ETREAT", clock.instant(), clock.instant().plus(Duration.ofHours(1)),
        Optional.empty());
    AccessGrant grant = new AccessGrant(CAROL, Set.of("nurse"), Set.of(), Set.of("pwd"), clock.instant(), "s-crash",
        Optional.empty());
    a.emergencyGrants().put(open);
    a.emergencyGrants().put(revoked);
    b.emergencyGrants().put(revoked.revoked(clock.instant()));
    a.refreshTokens().save(new StoredRefreshToken("crash-used", "crash-family", grant,
        clock.instant().plus(Duration.ofDays(1))));
    assertThat(b.refreshTokens().markUsed("crash-used")).isTrue();
    b.refreshTokens().revokeFamily("crash-family");

    server.crash(); // an immediate shutdown: what only the server's memory held is gone
    server.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    try (PostgresState after = connect()) {
      while (true) {
        try {
          assertThat(after.emergencyGrants().find("crash-open")).contains(open);
          break;
        } catch (StateUnavailableException e) {
          assertThat(System.nanoTime()).as("recovered").isLessThan(deadline);
          Thread.onSpinWait();
        }
      }
      assertThat(after.emergencyGrants().find("crash-revoked").flatMap(EmergencyGrant::revokedAt)).isPresent();
      assertThat(after.refreshTokens().markUsed("crash-used")).as("used before the crash").isFalse();
      assertThat(after.refreshTokens().isFamilyRevoked("crash-family")).isTrue();
    }
  }

  private static List<String> rows(String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = server.superuser("clinic"); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }
}
