package dev.safeguards.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safeguards.audit.AuditAction;
import dev.safeguards.audit.AuditActor;
import dev.safeguards.audit.AuditEvents;
import dev.safeguards.crypto.KeyEncryptionKey;
import dev.safeguards.crypto.KeyPurpose;
import dev.safeguards.crypto.ManagedKeyset;
import dev.safeguards.crypto.SigningKeyset;
import dev.safeguards.postgresql.ClinicDatabase;
import dev.safeguards.postgresql.PostgresAuditLog;
import dev.safeguards.postgresql.PostgresState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code audit verify} and {@code audit export} on the log a {@link PostgresAuditLog} keeps in a real PostgreSQL
 * server, read as the application's role with its password from a file.
 */
class AuditDatabaseCommandsTest {

  @TempDir static Path tmp;
  private static ClinicDatabase db;
  private static Path publicKey;
  private static Path password;

  @TempDir Path work;
  private final Cli cli = new Cli(Clock.systemUTC());

  @BeforeAll
  static void writeLog() throws Exception {
    db = ClinicDatabase.start();
    KeyEncryptionKey kek = KeyEncryptionKey.generateMasterKeyFile(tmp.resolve("master.key"));
    SigningKeyset keys = SigningKeyset.create(ManagedKeyset.create(tmp.resolve("checkpoint.json"),
        KeyPurpose.RECORD_SIGNING_ED25519, kek, Clock.systemUTC()));
    publicKey = Files.writeString(tmp.resolve("checkpoint.jwks"), keys.publicJwks());
    password = Files.writeString(tmp.resolve("db-password"), ClinicDatabase.APP_PASSWORD + "\n");
    AuditEvents events = AuditEvents.create(Clock.systemUTC());
    try (PostgresState state = db.state().connect();
        PostgresAuditLog log = PostgresAuditLog.builder(state, "clinic.example/audit", keys).checkpointEvery(8)
            .open()) {
      for (int i = 1; i <= 20; i++) {
        // the reads of patient p3 come from one address: the breach scope of that address is p3 alone
        log.record(events.event(AuditAction.READ, "rest").requestId("req-" + i)
            .actor(AuditActor.anonymous().from(i % 4 == 3 ? "192.0.2.1" : "192.0.2.2"))
            .entity("Patient", "p" + (i % 4)).build());
      }
    }
  }

  @AfterAll
  static void stop() {
    db.close();
  }

  private Cli.Result run(String command, Object... more) {
    Object[] args = new Object[6 + more.length];
    System.arraycopy(new Object[] {"audit", command, db.url(), "--db-user=clinic_app",
        "--db-password-file=" + password, "--public-key=" + publicKey}, 0, args, 0, 6);
    System.arraycopy(more, 0, args, 6, more.length);
    return cli.run(args);
  }

  @Test
  void verify_readsTheLogStraightFromTheDatabase() {
    Cli.Result r = run("verify");

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("audit log " + db.url() + " intact", "20 events", "origin clinic.example/audit");
  }

  @Test
  void export_writesTheFileFormat_thatVerifiesWithoutTheDatabase() {
    Path dir = work.resolve("copy");
    Cli.Result exported = cli.run("audit", "export", db.url(), dir, "--db-user=clinic_app",
        "--db-password-file=" + password);
    assertThat(exported.exitCode()).as(exported.err()).isZero();
    assertThat(exported.out()).contains("exported 24 records");

    Cli.Result verified = cli.run("audit", "verify", dir, "--public-key=" + publicKey);
    assertThat(verified.exitCode()).as(verified.err()).isZero();
    assertThat(verified.out()).contains("intact", "20 events");
  }

  @Test
  void searchAndScope_readAPatientsEventsFromTheDatabase() {
    Cli.Result search = cli.run("audit", "search", db.url(), "--db-user=clinic_app", "--db-password-file=" + password,
        "--resource=Patient/p3");
    assertThat(search.exitCode()).as(search.err()).isZero();
    assertThat(search.out().lines()).hasSize(5).allMatch(l -> l.contains("Patient/p3"));

    Cli.Result scope = cli.run("audit", "scope", db.url(), "--db-user=clinic_app", "--db-password-file=" + password,
        "--address=192.0.2.1", "--format=csv");
    assertThat(scope.exitCode()).as(scope.err()).isZero();
    assertThat(scope.out().lines().skip(1)).singleElement().asString().startsWith("\"Patient\",\"p3\",\"5\"");
  }

  @Test
  void prove_fromTheDatabase_isCheckedWithThePublicKeyAlone() {
    Path proof = work.resolve("proof.json");
    Cli.Result proved = cli.run("audit", "prove", db.url(), "--db-user=clinic_app", "--db-password-file=" + password,
        "--seq=3", "--out=" + proof);
    assertThat(proved.exitCode()).as(proved.err()).isZero();
    assertThat(proved.out()).contains("the proof of record 3");

    Cli.Result checked = cli.run("audit", "check-proof", proof, "--public-key=" + publicKey);
    assertThat(checked.exitCode()).as(checked.err()).isZero();
  }

  @Test
  void aWrongPassword_isOneErrorLine_withoutThePassword() throws Exception {
    Path wrong = Files.writeString(work.resolve("wrong"), "not-" + ClinicDatabase.APP_PASSWORD);
    Cli.Result r = cli.run("audit", "verify", db.url(), "--db-user=clinic_app", "--db-password-file=" + wrong,
        "--public-key=" + publicKey);

    assertThat(r.exitCode()).isEqualTo(ExitCodes.INPUT);
    assertThat(r.oneErrorLine()).contains("28P01").doesNotContain(ClinicDatabase.APP_PASSWORD);
  }
}
