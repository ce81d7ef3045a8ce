package dev.safeguards.examples.clinic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.safeguards.audit.AuditLogVerifier;
import dev.safeguards.audit.VerifiedAuditLog;
import dev.safeguards.crypto.SigningKeyset;
import dev.safeguards.examples.clinic.contract.ClinicClient;
import dev.safeguards.examples.clinic.contract.MutableClock;
import dev.safeguards.examples.clinic.domain.DataDirectory;
import dev.safeguards.postgresql.ClinicDatabase;
import dev.safeguards.postgresql.PostgresAuditLogs;
import dev.safeguards.redis.RedisServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Two replicas of the clinic API ({@code serve --cluster}) sharing one data directory's keys, one Redis and one
 * PostgreSQL, each started from its artifact: a patient written on one is read on the other, a logout on one is
 * refused on the other, the audit review on either sees both, and the one audit log in PostgreSQL verifies.
 */
class ClinicClusterTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String JANE = "{\"name\":\"Jane Roe\",\"dateOfBirth\":\"1961-03-04\",\"ssn\":\"123-45-6789\","
      + "\"diagnosis\":\"E11.9 type 2 diabetes\"}";

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.now());

  private String token(Path data, String user, String roles) {
    StringWriter out = new StringWriter();
    CommandLine cl = ClinicApi.commandLine(clock);
    cl.setOut(new PrintWriter(out));
    assertThat(cl.execute("token", "--data-dir", data.toString(), "--user", user, "--role", roles, "--mfa"))
        .isEqualTo(0);
    return out.toString().strip();
  }

  @Test
  void twoReplicas_shareState_patients_andOneVerifiedAuditTrail() throws Exception {
    Path data = dir.resolve("data");
    try (ClinicDatabase db = ClinicDatabase.start();
        RedisServer redis = RedisServer.start(Files.createDirectories(dir.resolve("redis")))) {
      List<ClinicApp> replicas = new ArrayList<>();
      List<ClinicClient> clients = new ArrayList<>();
      try {
        for (String name : List.of("a", "b")) {
          ClinicApp app = ClinicApp.start(DataDirectory.open(data, Optional.empty(), clock),
              new ClinicApp.Settings("127.0.0.1", 0, 0, Duration.ofMinutes(15), List.of(), Optional.empty(),
                  Optional.empty(), Optional.of(new ClinicApp.Cluster(db.url(), "safeguards_owner",
                      ClinicDatabase.OWNER_PASSWORD, redis.uri(), name))));
          replicas.add(app);
          clients.add(new ClinicClient(data.resolve("tls/server.crt"), app.httpsPort(), app.httpPort()));
        }
        ClinicClient a = clients.get(0);
        ClinicClient b = clients.get(1);
        String clinician = token(data, "alice", "clinician");
        String admin = token(data, "adam", "admin");

        HttpResponse<String> created = a.post("/patients", clinician, JANE);
        assertThat(created.statusCode()).isEqualTo(201);
        String id = JSON.readTree(created.body()).get("id").asText();
        JsonNode read = JSON.readTree(b.get("/patients/" + id, clinician).body());
        assertThat(read.get("name").asText()).as("written on a, read on b").isEqualTo("Jane Roe");

        // the audit review on b sees the write on a and the read on b (events reach the log a moment after)
        List<String> actions;
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        do {
          actions = JSON.readTree(b.get("/audit?patient=" + id, admin).body()).findValuesAsText("action");
        } while (actions.size() < 2 && System.nanoTime() < deadline);
        assertThat(actions).contains("CREATE", "READ");

        assertThat(a.post("/logout", clinician, "").statusCode()).isEqualTo(204);
        deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (b.get("/patients/" + id, clinician).statusCode() != 401) {
          assertThat(System.nanoTime()).as("logged out on b too").isLessThan(deadline);
          Thread.onSpinWait();
        }
      } finally {
        for (ClinicApp app : replicas) {
          app.stop();
        }
      }
      SigningKeyset checkpointKeys = SigningKeyset.fromPublicJwks(Files.readString(
          DataDirectory.open(data, Optional.empty(), clock).auditCheckpointPublicKey()));
      VerifiedAuditLog verified = PostgresAuditLogs.verify(db.owner(), "safeguards",
          AuditLogVerifier.builder(checkpointKeys).build());
      assertThat(verified.events()).isGreaterThanOrEqualTo(5);
      assertThat(verified.unsignedTail()).as("the last replica to stop signed the whole log").isZero();
    }
  }
}
