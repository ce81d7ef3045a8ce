package dev.safeguards.examples.clinic;

import static dev.safeguards.examples.clinic.PackagedClinic.java;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.safeguards.audit.AuditEvent;
import dev.safeguards.audit.AuditFilter;
import dev.safeguards.audit.AuditLogVerifier;
import dev.safeguards.audit.AuditReview;
import dev.safeguards.audit.VerifiedAuditLog;
import dev.safeguards.crypto.SigningKeyset;
import dev.safeguards.examples.clinic.contract.ClinicClient;
import dev.safeguards.examples.clinic.domain.DataDirectory;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every write the clinic acknowledged survives SIGKILL (issue 17, finding 13): the packaged API under concurrent creates
 * and updates, killed at random points and restarted on the same data directory, several times; afterwards every
 * create and update answered 2xx is in the database, has its audit event, and the audit log verifies.
 */
class ClinicCrashIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int CYCLES = 4;
  private static final int WRITERS = 4;

  @TempDir
  Path dir;

  private final Path jar = Path.of("").toAbsolutePath().resolve("target/clinic-api.jar");

  private static String patient(String diagnosis) {
    return "{\"name\":\"Crash Test\",\"dateOfBirth\":\"1970-01-01\",\"ssn\":\"123-45-6789\",\"diagnosis\":\""
        + diagnosis + "\"}";
  }

  private record Started(Process process, ClinicClient client) {}

  private Started start(Path data) throws Exception {
    Process server = new ProcessBuilder(java(), "-jar", jar.toString(), "serve", "--data-dir", data.toString(),
        "--https-port", "0", "--http-port", "0").redirectErrorStream(true).start();
    PackagedClinic.Ports ports = PackagedClinic.awaitListening(server);
    return new Started(server, new ClinicClient(data.resolve("tls/server.crt"), ports.https(), ports.http()));
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void sigkillUnderConcurrentWrites_everyAcknowledgedWriteAndItsAuditEventSurvive() throws Exception {
    assertThat(jar).as("packaged by this build").exists();
    Path data = dir.resolve("data");
    long seed = System.nanoTime();
    System.out.println("ClinicCrashIT seed " + seed);
    Random random = new Random(seed);
    Map<String, String> created = new ConcurrentHashMap<>(); // id -> diagnosis acknowledged at creation
    Map<String, String> updated = new ConcurrentHashMap<>(); // id -> the last diagnosis an update acknowledged
    Map<String, Integer> updates = new ConcurrentHashMap<>(); // id -> acknowledged updates
    Map<String, List<String>> attempts = new ConcurrentHashMap<>(); // id -> every diagnosis sent, in order
    String token = null;
    for (int cycle = 0; cycle < CYCLES; cycle++) {
      Started s = start(data);
      if (token == null) {
        token = PackagedClinic.clinicianToken(jar, data);
      }
      String bearer = token;
      AtomicBoolean stop = new AtomicBoolean();
      java.util.concurrent.atomic.AtomicInteger acked = new java.util.concurrent.atomic.AtomicInteger();
      List<Thread> writers = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        int writer = w;
        int c = cycle;
        Thread t = new Thread(() -> {
          List<String> mine = new ArrayList<>();
          for (int i = 0; !stop.get(); i++) {
            try {
              if (mine.isEmpty() || i % 2 == 0) {
                String diagnosis = "D" + c + "-" + writer + "-" + i;
                HttpResponse<String> r = s.client().post("/patients", bearer, patient(diagnosis));
                if (r.statusCode() == 201) {
                  String id = JSON.readTree(r.body()).get("id").asText();
                  created.put(id, diagnosis);
                  mine.add(id);
                  acked.incrementAndGet();
                }
              } else {
                String id = mine.get(i % mine.size());
                String diagnosis = "U" + c + "-" + writer + "-" + i;
                attempts.computeIfAbsent(id, k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(diagnosis);
                HttpResponse<String> r = s.client().put("/patients/" + id, bearer, patient(diagnosis));
                if (r.statusCode() == 200) {
                  updated.put(id, diagnosis);
                  updates.merge(id, 1, Integer::sum);
                  acked.incrementAndGet();
                }
              }
            } catch (Exception e) {
              return; // the server was killed under this request: it was not acknowledged
            }
          }
        }, "writer-" + w);
        writers.add(t);
        t.start();
      }
      // Kill at a random point once the load is under way: after a few acknowledged writes, 0 to 1 s later.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (acked.get() < 5 && System.nanoTime() < deadline && s.process().isAlive()) {
        Thread.onSpinWait();
      }
      long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(random.nextInt(1000));
      while (System.nanoTime() < until && s.process().isAlive()) {
        Thread.onSpinWait();
      }
      s.process().destroyForcibly(); // SIGKILL
      assertThat(s.process().waitFor(1, TimeUnit.MINUTES)).isTrue();
      stop.set(true);
      for (Thread t : writers) {
        t.join(TimeUnit.MINUTES.toMillis(1));
      }
    }
    assertThat(created).as("the load acknowledged creates").isNotEmpty();

    // Restarted once more: every acknowledged create and the last acknowledged update of each patient are there.
    Started s = start(data);
    try {
      for (Map.Entry<String, String> e : created.entrySet()) {
        HttpResponse<String> r = s.client().get("/patients/" + e.getKey(), token);
        assertThat(r.statusCode()).as("acknowledged create " + e.getKey()).isEqualTo(200);
        JsonNode p = JSON.readTree(r.body());
        String acknowledged = updated.getOrDefault(e.getKey(), e.getValue());
        List<String> sent = attempts.getOrDefault(e.getKey(), List.of());
        // The last acknowledged value, or one sent after it whose answer the kill cut off; never an older one.
        List<String> allowed = new ArrayList<>(List.of(acknowledged));
        allowed.addAll(sent.subList(sent.indexOf(acknowledged) + 1, sent.size()));
        assertThat(p.get("diagnosis").asText()).as("patient " + e.getKey()).isIn(allowed);
      }
    } finally {
      s.process().destroy(); // SIGTERM: a clean close with a last checkpoint
      assertThat(s.process().waitFor(1, TimeUnit.MINUTES)).isTrue();
    }

    // Every acknowledged write has its audit event, and the log verifies with the published key alone.
    SigningKeyset key = SigningKeyset.fromPublicJwks(Files.readString(data.resolve("keys/audit-checkpoint.pub")));
    VerifiedAuditLog verified = AuditLogVerifier.builder(key).build().verify(data.resolve("audit"));
    Map<String, Integer> createEvents = new HashMap<>();
    Map<String, Integer> updateEvents = new HashMap<>();
    AuditReview review = AuditReview.of(data.resolve("audit"),
        DataDirectory.open(data, Optional.empty(), Clock.systemUTC()).auditSealing());
    try (Stream<AuditEvent> events = review.events(AuditFilter.builder().build())) {
      events.forEach(e -> e.entities().forEach(x -> {
        if (e.httpStatus().orElse(0) == 201) {
          createEvents.merge(x.id(), 1, Integer::sum);
        } else if (e.httpStatus().orElse(0) == 200 && e.subtype().orElse("").startsWith("PUT:")) {
          updateEvents.merge(x.id(), 1, Integer::sum);
        }
      }));
    }
    for (String id : created.keySet()) {
      assertThat(createEvents).as("the create of " + id + " is audited").containsKey(id);
    }
    updates.forEach((id, n) -> assertThat(updateEvents.getOrDefault(id, 0)).as("updates of " + id + " audited")
        .isGreaterThanOrEqualTo(n));
    System.out.printf("ClinicCrashIT: %d cycles, %d acknowledged creates, %d acknowledged updates, %d audit records%n",
        CYCLES, created.size(), updates.values().stream().mapToInt(Integer::intValue).sum(), verified.records());
  }
}
