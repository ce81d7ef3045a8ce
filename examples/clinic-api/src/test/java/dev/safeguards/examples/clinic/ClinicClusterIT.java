package dev.safeguards.examples.clinic;

import static dev.safeguards.examples.clinic.PackagedClinic.java;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.safeguards.audit.AuditEvent;
import dev.safeguards.audit.AuditFilter;
import dev.safeguards.audit.AuditLogVerifier;
import dev.safeguards.audit.VerifiedAuditLog;
import dev.safeguards.crypto.SigningKeyset;
import dev.safeguards.examples.clinic.contract.ClinicClient;
import dev.safeguards.examples.clinic.domain.DataDirectory;
import dev.safeguards.postgresql.ClinicDatabase;
import dev.safeguards.postgresql.PostgresAuditLogs;
import dev.safeguards.redis.RedisServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three replicas of the packaged clinic API ({@code serve --cluster}), each its own JVM, against one PostgreSQL and
 * one Redis started from their artifacts, under a round-robin load of writes and reads; one replica is killed with
 * SIGKILL mid-load and started again. Afterwards every acknowledged write is readable from any replica, each has
 * exactly one audit event, and the one audit log verifies, written by all three, with no gap in its sequence.
 */
class ClinicClusterIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int REPLICAS = 3;
  private static final int WRITERS = 3;

  @TempDir
  Path dir;

  private final Path jar = Path.of("").toAbsolutePath().resolve("target/clinic-api.jar");

  private record Started(Process process, ClinicClient client) {}

  private Started start(Path data, ClinicDatabase db, RedisServer redis, int replica) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(java(), "-jar", jar.toString(), "serve", "--data-dir", data.toString(),
        "--https-port", "0", "--http-port", "0", "--cluster", "--jdbc-url", db.url(), "--db-user",
        "safeguards_owner", "--redis-uri", redis.uri(), "--replica", "replica-" + replica).redirectErrorStream(true);
    pb.environment().put(ClinicApi.DB_PASSWORD, ClinicDatabase.OWNER_PASSWORD);
    Process server = pb.start();
    PackagedClinic.Ports ports = PackagedClinic.awaitListening(server);
    return new Started(server, new ClinicClient(data.resolve("tls/server.crt"), ports.https(), ports.http()));
  }

  private static String patient(String name) {
    return "{\"name\":\"" + name + "\",\"dateOfBirth\":\"1970-01-01\",\"ssn\":\"123-45-6789\",\"diagnosis\":\"Z00.0\"}";
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void threeReplicas_oneKilledMidLoad_everyAcknowledgedWriteAndItsOneEventSurvive() throws Exception {
    assertThat(jar).as("packaged by this build").exists();
    Path data = dir.resolve("data");
    try (ClinicDatabase db = ClinicDatabase.start();
        RedisServer redis = RedisServer.start(Files.createDirectories(dir.resolve("redis")))) {
      AtomicReferenceArray<Started> replicas = new AtomicReferenceArray<>(REPLICAS);
      replicas.set(0, start(data, db, redis, 0)); // the first makes the data directory's keys
      String token = PackagedClinic.clinicianToken(jar, data);
      for (int r = 1; r < REPLICAS; r++) {
        replicas.set(r, start(data, db, redis, r));
      }

      Map<String, String> created = new ConcurrentHashMap<>(); // id -> name, acknowledged (201) by some replica
      AtomicInteger acked = new AtomicInteger();
      AtomicInteger refusedOrCut = new AtomicInteger();
      AtomicBoolean stop = new AtomicBoolean();
      List<Thread> writers = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        int writer = w;
        Thread t = new Thread(() -> {
          for (int i = 0; !stop.get(); i++) {
            Started s = replicas.get((writer + i) % REPLICAS); // round robin
            try {
              String name = "Patient " + writer + "-" + i;
              HttpResponse<String> r = s.client().post("/patients", token, patient(name));
              if (r.statusCode() == 201) {
                created.put(JSON.readTree(r.body()).get("id").asText(), name);
                acked.incrementAndGet();
              } else {
                refusedOrCut.incrementAndGet();
              }
              List<String> ids = new ArrayList<>(created.keySet());
              if (!ids.isEmpty()) {
                s.client().get("/patients/" + ids.get(i % ids.size()), token);
              }
            } catch (Exception e) {
              refusedOrCut.incrementAndGet(); // the replica was killed under this request: not acknowledged
            }
          }
        }, "writer-" + w);
        writers.add(t);
        t.start();
      }
      awaitAcked(acked, 30);
      Started victim = replicas.get(1);
      victim.process().destroyForcibly(); // SIGKILL, mid-load
      assertThat(victim.process().waitFor(1, TimeUnit.MINUTES)).isTrue();
      int before = acked.get();
      awaitAcked(acked, before + 30); // the others go on meanwhile
      replicas.set(1, start(data, db, redis, 1));
      awaitAcked(acked, acked.get() + 30);
      stop.set(true);
      for (Thread t : writers) {
        t.join(TimeUnit.MINUTES.toMillis(1));
      }

      // Every acknowledged write is readable, from every replica.
      for (Map.Entry<String, String> e : created.entrySet()) {
        for (int r = 0; r < REPLICAS; r++) {
          HttpResponse<String> read = replicas.get(r).client().get("/patients/" + e.getKey(), token);
          assertThat(read.statusCode()).as("acknowledged create %s on replica %d", e.getKey(), r).isEqualTo(200);
          JsonNode p = JSON.readTree(read.body());
          assertThat(p.get("name").asText()).isEqualTo(e.getValue());
        }
      }
      for (int r = 0; r < REPLICAS; r++) {
        replicas.get(r).process().destroy(); // SIGTERM: a clean close, the last one signs the whole log
        assertThat(replicas.get(r).process().waitFor(1, TimeUnit.MINUTES)).isTrue();
      }

      // One audit trail: it verifies, all three wrote it, no gap, and each acknowledged create has exactly one event.
      SigningKeyset key = SigningKeyset.fromPublicJwks(Files.readString(data.resolve("keys/audit-checkpoint.pub")));
      VerifiedAuditLog verified = PostgresAuditLogs.verify(db.owner(), "safeguards",
          AuditLogVerifier.builder(key).build());
      try (Connection c = db.owner().getConnection(); Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT count(*), max(seq), count(DISTINCT replica) "
              + "FROM safeguards.audit_record")) {
        rs.next();
        assertThat(rs.getLong(1)).as("no gap, no duplicate").isEqualTo(rs.getLong(2))
            .isEqualTo(verified.records());
        assertThat(rs.getInt(3)).as("written by every replica").isEqualTo(REPLICAS);
      }
      Map<String, Integer> createEvents = new HashMap<>();
      try (Stream<AuditEvent> events = PostgresAuditLogs.review(db.owner(), "safeguards",
          DataDirectory.open(data, Optional.empty(), Clock.systemUTC()).auditSealing())
          .events(AuditFilter.builder().build())) {
        events.filter(e -> e.httpStatus().orElse(0) == 201)
            .forEach(e -> e.entities().forEach(x -> createEvents.merge(x.id(), 1, Integer::sum)));
      }
      for (String id : created.keySet()) {
        assertThat(createEvents.get(id)).as("the create of " + id + " has exactly one event").isEqualTo(1);
      }
      System.out.printf("ClinicClusterIT: %d acknowledged creates, %d refused or cut by the kill, %d audit records%n",
          created.size(), refusedOrCut.get(), verified.records());
    }
  }

  private static void awaitAcked(AtomicInteger acked, int atLeast) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (acked.get() < atLeast) {
      assertThat(System.nanoTime()).as("%d writes acknowledged", atLeast).isLessThan(deadline);
      Thread.onSpinWait();
    }
  }
}
