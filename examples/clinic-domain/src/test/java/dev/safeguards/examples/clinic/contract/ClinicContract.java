package dev.safeguards.examples.clinic.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.safeguards.alert.Alert;
import dev.safeguards.alert.AlertSink;
import dev.safeguards.alert.InMemoryAlertSink;
import dev.safeguards.audit.AuditLogVerifier;
import dev.safeguards.audit.VerifiedAuditLog;
import dev.safeguards.crypto.SigningKeyset;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The clinic's contract, end to end: what every clinic application (the JAX-RS one, the Spring Boot one) must answer,
 * over real TLS with a real HTTP client, against its real SQLite file and audit log. Each application's test extends
 * it and starts the application in {@link #start}; the same assertions run against every one, so they cannot drift.
 *
 * <p>Both keep one data directory layout (keys, database, audit log, TLS key store, users), so the contract also reads
 * the files: the audit log verifies with nothing but the published public key, and no file holds PHI in the clear.
 */
public abstract class ClinicContract {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String JANE = "{\"name\":\"Jane Roe\",\"dateOfBirth\":\"1961-03-04\",\"ssn\":\"123-45-6789\","
      + "\"diagnosis\":\"E11.9 type 2 diabetes\"}";
  /** Every PHI value the contract stores: none may appear in the clear in the data directory. */
  private static final List<String> PHI = List.of("Jane Roe", "1961-03-04", "123-45-6789", "123456789",
      "E11.9 type 2 diabetes", "E11.9, controlled");

  /** A running clinic application. */
  protected interface Clinic {
    /** Its HTTPS port on 127.0.0.1. */
    int httpsPort();

    /** Its plain HTTP port on 127.0.0.1, where every request is refused. */
    int httpPort();

    /** Stops it: the server, then the database and the audit log (which signs a last checkpoint). */
    void stop() throws Exception;
  }

  /**
   * Starts the application on 127.0.0.1 (HTTPS and plain HTTP, each on a free port) serving the data directory {@code
   * data} (created on first use, its master key beside it), keeping a copy of every audit checkpoint in {@code
   * anchors}, with {@code clock} for every time, sessions ending after {@code idleTimeout} idle, and every alert
   * sent to {@code alerts} too.
   */
  protected abstract Clinic start(Path data, Path anchors, Clock clock, Duration idleTimeout, AlertSink alerts)
      throws Exception;

  /**
   * Runs the application's command line as its {@code main} would, with {@code args} (such as {@code token --data-dir
   * DIR --user alice --role clinician --mfa}), {@code clock} for every time, and its output in {@code out} and {@code
   * err}.
   *
   * @return the exit code {@code main} would exit with
   */
  protected abstract int run(Clock clock, PrintWriter out, PrintWriter err, String... args);

  @TempDir
  Path dir;

  /** Another directory than the data's, standing in for another mount. */
  @TempDir
  Path anchors;

  private final MutableClock clock = new MutableClock(Instant.now());
  private final InMemoryAlertSink alerts = new InMemoryAlertSink();
  private Clinic app;
  private ClinicClient client;

  private void start(Duration idleTimeout) throws Exception {
    app = start(dir, anchors.resolve("audit"), clock, idleTimeout, alerts);
    client = new ClinicClient(dir.resolve("tls/server.crt"), app.httpsPort(), app.httpPort());
  }

  @AfterEach
  void stop() throws Exception {
    if (app != null) {
      app.stop();
    }
  }

  /** Mints a token through the application's command line, exactly as its demo does. */
  private String token(String user, String roles, boolean mfa) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    List<String> args = new ArrayList<>(List.of("token", "--data-dir", dir.toString(), "--user", user, "--role",
        roles));
    if (mfa) {
      args.add("--mfa");
    }
    assertThat(run(clock, new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new))).as(err.toString())
        .isEqualTo(0);
    return out.toString().strip();
  }

  /** The exit code and standard error of the command line with {@code args}, as {@code "code:err"}. */
  private String run(String... args) {
    StringWriter err = new StringWriter();
    return run(clock, new PrintWriter(new StringWriter()), new PrintWriter(err), args) + ":" + err;
  }

  /**
   * The actions of the audit review at {@code path} once it lists at least {@code atLeast} (events reach the disk
   * through the asynchronous sink a moment after the response); gives up after ten seconds.
   */
  private static List<String> auditActions(ClinicClient client, String path, String token, int atLeast)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    List<String> actions;
    do {
      actions = json(client.get(path, token)).findValuesAsText("action");
    } while (actions.size() < atLeast && System.nanoTime() < deadline);
    return actions;
  }

  private static JsonNode json(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body());
  }

  @Test
  void tour_everySafeguardActs_andTheDataDirectoryHoldsNoPhiInTheClear() throws Exception {
    start(Duration.ofMinutes(15));
    String clinician = token("alice", "clinician", true);
    String billing = token("bob", "billing", true);
    String nurse = token("nina", "nurse", true);
    String admin = token("adam", "admin", true);

    // Transport: public health over HTTPS with HSTS; plain HTTP refused.
    HttpResponse<String> health = client.get("/health", null);
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(json(health).get("status").asText()).isEqualTo("ok");
    assertThat(health.headers().firstValue("Strict-Transport-Security")).hasValueSatisfying(
        v -> assertThat(v).contains("max-age=31536000"));
    assertThat(client.plainGet("/health").statusCode()).isEqualTo(403);

    // Authentication: no token, and a token without a second factor, are refused.
    assertThat(client.post("/patients", null, JANE).statusCode()).isEqualTo(401);
    assertThat(client.post("/patients", token("alice", "clinician", false), JANE).statusCode()).isEqualTo(401);

    HttpResponse<String> created = client.post("/patients", clinician, JANE);
    assertThat(created.statusCode()).isEqualTo(201);
    String id = json(created).get("id").asText();
    assertThat(created.headers().firstValue("Location")).hasValue(client.base() + "/patients/" + id);

    // Authorization and minimum necessary, per role.
    JsonNode full = json(client.get("/patients/" + id, clinician));
    assertThat(full.get("ssn").asText()).isEqualTo("123-45-6789");
    assertThat(full.get("diagnosis").asText()).isEqualTo("E11.9 type 2 diabetes");
    assertThat(full.get("version").asLong()).isEqualTo(1);
    HttpResponse<String> billed = client.get("/patients/" + id, billing);
    assertThat(billed.statusCode()).isEqualTo(200);
    assertThat(json(billed).has("name")).isTrue();
    assertThat(json(billed).has("ssn")).isFalse();
    assertThat(json(billed).has("diagnosis")).isFalse();
    assertThat(client.get("/patients/" + id, nurse).statusCode()).isEqualTo(403);
    assertThat(client.get("/patients/" + id, admin).statusCode()).isEqualTo(403);
    assertThat(client.get("/patients/not-a-uuid", clinician).statusCode()).isEqualTo(400);
    HttpResponse<String> absent = client.get("/patients/00000000-0000-7000-8000-000000000000", clinician);
    assertThat(absent.statusCode()).isEqualTo(404);
    assertThat(absent.headers().firstValue("Content-Type")).hasValue("application/problem+json");

    // Search by SSN through the blind index, in any spelling, never in the URL.
    HttpResponse<String> found = client.post("/patients/search", clinician, "{\"ssn\":\"123456789\"}");
    assertThat(found.statusCode()).isEqualTo(200);
    assertThat(json(found)).hasSize(1);
    assertThat(json(found).get(0).get("id").asText()).isEqualTo(id);
    assertThat(json(client.post("/patients/search", clinician, "{\"ssn\":\"987-65-4321\"}"))).isEmpty();
    assertThat(client.post("/patients/search", clinician, "{\"ssn\":\"12\"}").statusCode()).isEqualTo(400);
    assertThat(client.post("/patients/search", clinician, "{\"ssn\":\"123456789\",\"name\":\"Jane Roe\"}")
        .statusCode()).as("a field the query does not have").isEqualTo(400);

    // The audit log names what each request touched, one spelling per patient: the create its new id, the search
    // every patient it returned, a read under an upper-case id.
    List<String> trail = auditActions(client, "/audit?patient=" + id, admin, 0);
    assertThat(trail).contains("CREATE", "SEARCH", "READ");
    assertThat(client.get("/patients/" + id.toUpperCase(Locale.ROOT), clinician).statusCode()).isEqualTo(200);
    assertThat(auditActions(client, "/audit?patient=" + id, admin, trail.size() + 1)).hasSize(trail.size() + 1);

    // Minimum necessary follows what authorised the read: billing + nurse reads through billing, sees what billing
    // sees.
    JsonNode both = json(client.get("/patients/" + id, token("bea", "billing,nurse", true)));
    assertThat(both.has("name")).isTrue();
    assertThat(both.has("ssn")).isFalse();
    assertThat(both.has("diagnosis")).isFalse();

    // Updates add signed versions chained to the one before.
    HttpResponse<String> updated = client.put("/patients/" + id, clinician, JANE.replace("E11.9 type 2 diabetes",
        "E11.9, controlled"));
    assertThat(updated.statusCode()).isEqualTo(200);
    assertThat(json(updated).get("version").asLong()).isEqualTo(2);
    assertThat(json(updated).get("diagnosis").asText()).isEqualTo("E11.9, controlled");
    JsonNode history = json(client.get("/patients/" + id + "/history", clinician));
    assertThat(history.get("id").asText()).isEqualTo(id);
    assertThat(history.get("chainVerified").asBoolean()).isTrue();
    assertThat(history.get("versions")).hasSize(2);
    assertThat(history.get("versions").get(0).get("verified").asBoolean()).isTrue();
    assertThat(history.get("versions").get(1).get("diagnosis").asText()).isEqualTo("E11.9, controlled");
    assertThat(client.get("/patients/" + id + "/history", billing).statusCode()).isEqualTo(403);
    assertThat(client.put("/patients/00000000-0000-7000-8000-000000000000", clinician, JANE).statusCode())
        .isEqualTo(404);

    // Input checks: named fields, never echoed values; JSON only; a wrong Content-Digest.
    HttpResponse<String> bad = client.post("/patients", clinician,
        "{\"name\":\"Jane Roe\",\"dateOfBirth\":\"1961-13-04\",\"ssn\":\"12\",\"diagnosis\":\"x\"}");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(json(bad).get("detail").asText()).isEqualTo(
        "dateOfBirth: a past date as YYYY-MM-DD; ssn: nine digits, as 123-45-6789 or 123456789");
    assertThat(bad.body()).doesNotContain("1961-13-04", "Jane");
    assertThat(client.send(client.request(client.base() + "/patients", clinician)
        .header("Content-Type", "application/xml").POST(HttpRequest.BodyPublishers.ofString("<p/>")))
        .statusCode()).isEqualTo(415);
    assertThat(client.send(client.request(client.base() + "/patients/search", clinician)
        .header("Content-Type", "application/json")
        .header("Content-Digest", "sha-256=:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=:")
        .POST(HttpRequest.BodyPublishers.ofString("{\"ssn\":\"123456789\"}"))).statusCode())
        .isEqualTo(400);

    // Break-glass: billing may not; a nurse may, is alerted on at once, then reads the patient.
    String reason = "{\"patientId\":\"" + id + "\",\"reason\":\"unconscious in the emergency department\"}";
    assertThat(client.post("/break-glass", billing, reason).statusCode()).isEqualTo(403);
    HttpResponse<String> grant = client.post("/break-glass", nurse, reason);
    assertThat(grant.statusCode()).isEqualTo(201);
    assertThat(json(grant).get("patientId").asText()).isEqualTo(id);
    assertThat(json(grant).get("grantId").asText()).isNotBlank();
    assertThat(Instant.parse(json(grant).get("expiresAt").asText())).isAfter(clock.instant());
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (alerts.alerts().isEmpty() && System.nanoTime() < deadline) { // delivered by the alert thread
      Thread.onSpinWait();
    }
    assertThat(alerts.alerts()).extracting(Alert::type).contains("break-glass-opened");
    HttpResponse<String> unknown = client.post("/break-glass", nurse,
        reason.replace(id, "00000000-0000-7000-8000-000000000000"));
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(client.post("/break-glass", nurse, reason.replace("unconscious in the emergency department",
        "\\u200b\\u200b\\u200b\\u200b\\u200b\\u200b\\u200b\\u200b\\u200b\\u200b")).statusCode())
        .as("a zero-width reason").isEqualTo(400);
    JsonNode emergencyRead = json(client.get("/patients/" + id, nurse));
    assertThat(emergencyRead.get("diagnosis").asText()).isEqualTo("E11.9, controlled");

    // Logout ends the session: the same token is refused afterwards.
    assertThat(client.post("/logout", billing, "").statusCode()).isEqualTo(204);
    assertThat(client.get("/patients/" + id, billing).statusCode()).isEqualTo(401);

    // The administrator reviews the audit log, deletes, and reads no clinical data.
    HttpResponse<String> review = client.get("/audit?user=nina", admin);
    assertThat(review.statusCode()).isEqualTo(200);
    assertThat(json(review).findValuesAsText("action")).contains("EMERGENCY_ACCESS", "READ");
    assertThat(json(review).findValuesAsText("justification")).contains("unconscious in the emergency department");
    assertThat(client.get("/audit?patient=" + id, clinician).statusCode()).isEqualTo(403);
    assertThat(client.get("/audit?from=yesterday", admin).statusCode()).isEqualTo(400);
    assertThat(client.get("/audit?user=nobody", admin).statusCode()).isEqualTo(400);
    HttpResponse<String> compliance = client.get("/compliance", admin);
    assertThat(compliance.statusCode()).isEqualTo(200);
    assertThat(compliance.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
    // Every specification met but audit controls: the demo keeps the checkpoint key in its one data directory.
    assertThat(json(compliance).get("specifications")).hasSize(9).allSatisfy(row -> assertThat(
        row.get("status").asText()).as(row.get("id").asText())
        .isEqualTo(row.get("id").asText().equals("164.312(b)") ? "partially-met" : "met"));
    assertThat(compliance.body()).contains("is kept in the audit log's data directory");
    assertThat(json(compliance).get("endpoints").findValuesAsText("path")).contains("/patients/{id:uuid}", "/health",
        "/patients/search", "/break-glass", "/logout", "/audit", "/compliance");
    HttpResponse<String> markdown = client.get("/compliance?format=markdown", admin);
    assertThat(markdown.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/markdown");
    assertThat(markdown.body()).contains("| 164.312(b) | Audit controls |");
    assertThat(client.get("/compliance?format=pdf", admin).statusCode()).isEqualTo(400);
    assertThat(client.get("/compliance", clinician).statusCode()).isEqualTo(403);
    assertThat(client.delete("/patients/" + id, clinician).statusCode()).isEqualTo(403);
    assertThat(client.delete("/patients/" + id, admin).statusCode()).isEqualTo(204);
    assertThat(client.get("/patients/" + id, clinician).statusCode()).isEqualTo(404);
    assertThat(client.delete("/patients/" + id, admin).statusCode()).isEqualTo(404);

    app.stop();
    app = null;

    // The audit log verifies with nothing but the published public key.
    SigningKeyset publicKey = SigningKeyset.fromPublicJwks(Files.readString(dir.resolve("keys/audit-checkpoint.pub")));
    VerifiedAuditLog verified = AuditLogVerifier.builder(publicKey).build().verify(dir.resolve("audit"));
    assertThat(verified.records()).isGreaterThan(25);

    // Nothing in the data directory holds PHI in the clear: database, audit log, keys, users.
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
        for (String phi : PHI) {
          assertThat(content).as("%s holds no PHI", dir.relativize(f)).doesNotContain(phi);
        }
      }
    }
  }

  @Test
  void idleSession_endsAfterTheIdleTimeout_withoutSleeping() throws Exception {
    start(Duration.ofMinutes(2));
    String clinician = token("alice", "clinician", true);
    assertThat(client.post("/patients", clinician, JANE).statusCode()).isEqualTo(201);

    clock.advance(Duration.ofMinutes(1));
    assertThat(client.post("/patients/search", clinician, "{\"ssn\":\"123456789\"}").statusCode()).isEqualTo(200);
    clock.advance(Duration.ofMinutes(3));

    assertThat(client.post("/patients/search", clinician, "{\"ssn\":\"123456789\"}").statusCode()).isEqualTo(401);
  }

  @Test
  void tamperedRecord_isNeverServed() throws Exception {
    start(Duration.ofMinutes(15));
    String clinician = token("alice", "clinician", true);
    String first = json(client.post("/patients", clinician, JANE)).get("id").asText();
    String second = json(client.post("/patients", clinician, JANE.replace("Jane Roe", "John Doe"))).get("id").asText();

    // Someone with database access moves one patient's encrypted diagnosis onto another patient.
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("db/clinic.db").toAbsolutePath());
        Statement s = c.createStatement();
        PreparedStatement copy = c.prepareStatement("UPDATE patient_version SET diagnosis = ? WHERE id = ?")) {
      String stolen;
      try (ResultSet r = s.executeQuery("SELECT diagnosis FROM patient_version WHERE id = '" + second + "'")) {
        r.next();
        stolen = r.getString(1);
      }
      copy.setString(1, stolen);
      copy.setString(2, first);
      assertThat(copy.executeUpdate()).isEqualTo(1);
    }

    HttpResponse<String> read = client.get("/patients/" + first, clinician);
    assertThat(read.statusCode()).isEqualTo(500);
    assertThat(read.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(read.body()).doesNotContain("E11.9").doesNotContain("Jane");
    assertThat(client.get("/patients/" + second, clinician).statusCode()).isEqualTo(200);
  }

  @Test
  void tokenCommand_badInput_exitsWithAClearMessage() {
    assertThat(run("token", "--data-dir", dir.toString(), "--user", "alice", "--role", "surgeon"))
        .startsWith("2:").contains("unknown role 'surgeon'");
    assertThat(run("token", "--data-dir", dir.toString(), "--user", "alice", "--role", "clinician", "--ttl", "2h"))
        .startsWith("2:").contains("--ttl");
    assertThat(run("token", "--data-dir", dir.toString(), "--user", "Alice Smith", "--role", "clinician"))
        .startsWith("2:").contains("--user");
    assertThat(run("token", "--user", "alice", "--role", "clinician")).startsWith("2:").contains("--data-dir");
    assertThat(run("token", "--data-dir", dir.toString(), "--master-key-file", dir.resolve("none").toString(),
        "--user", "alice", "--role", "clinician")).startsWith("3:").contains("master key");
  }
}
