package dev.safeguards.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safeguards.annotation.Logout;
import dev.safeguards.audit.AuditLogVerifier;
import dev.safeguards.audit.VerifiedAuditLog;
import dev.safeguards.conformance.TestTls;
import dev.safeguards.crypto.KeyPurpose;
import dev.safeguards.crypto.ManagedKeyset;
import dev.safeguards.crypto.SigningKeyset;
import dev.safeguards.postgresql.ClinicDatabase;
import dev.safeguards.postgresql.PostgresAuditLogs;
import dev.safeguards.redis.RedisServer;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Two replicas of a starter application configured by properties alone to share a real Redis (sessions, revocations)
 * and a real PostgreSQL (one audit log), both started by the test: a logout on one replica ends the session on the
 * other, and every request either answered lands once in the one log, which verifies. The application's database
 * role may only insert and read the audit tables, so the schema is migrated beforehand ({@code migrate=false}).
 */
class StarterClusterTest {

  @RestController
  public static class Logouts {
    @PostMapping("/logout")
    @Logout
    public void logout() {
      throw new IllegalStateException("the gate answers logout itself");
    }
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import({StarterPropertiesTest.Notes.class, Logouts.class, TestServers.PlainConnector.class})
  static class Replica {}

  @TempDir
  Path dir;

  @Test
  void aLogoutOnOneReplica_endsTheSessionOnTheOther_andOneAuditLogHoldsEveryRequest() throws Exception {
    try (RedisServer redis = RedisServer.start(Files.createDirectories(dir.resolve("redis")));
        ClinicDatabase db = ClinicDatabase.start();
        TestIdentityProvider idp = new TestIdentityProvider(dir)) {
      TestTls tls = TestTls.generate(dir);
      idp.properties.remove("safeguards.audit.directory");
      idp.properties.put("safeguards.redis.uri", redis.uri());
      idp.properties.put("safeguards.redis.key-prefix", "notes");
      idp.properties.put("safeguards.postgresql.url", db.url());
      idp.properties.put("safeguards.postgresql.username", "clinic_app");
      idp.properties.put("safeguards.postgresql.password", ClinicDatabase.APP_PASSWORD);
      idp.properties.put("safeguards.postgresql.migrate", "false");
      int requests = 0;
      try (TestApp a = replica(tls, idp, "replica-a"); TestApp b = replica(tls, idp, "replica-b")) {
        // signed in after the replicas met an empty Redis: a session from before it would be ended (docs/cluster.md)
        String token = idp.token("clinician");
        assertThat(send(a, "GET", "/notes/1", token)).isEqualTo(200);
        assertThat(send(b, "GET", "/notes/1", token)).as("the session is the cluster's").isEqualTo(200);
        assertThat(send(b, "POST", "/logout", token)).isEqualTo(204);
        requests += 3;
        // replica A learns of it within its revocation bound (1 s): no sleep, a deadline
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        int status;
        do {
          status = send(a, "GET", "/notes/1", token);
          requests++;
        } while (status == 200 && System.nanoTime() < deadline);
        assertThat(status).as("the session ended on the other replica").isEqualTo(401);
      } // both close: each signs a last checkpoint

      SigningKeyset checkpointKeys = SigningKeyset.create(ManagedKeyset.open(dir.resolve("keys")
          .resolve(AuditLogKeys.CHECKPOINT), KeyPurpose.RECORD_SIGNING_ED25519, idp.kek, Clock.systemUTC()));
      VerifiedAuditLog log = PostgresAuditLogs.verify(db.app(), "safeguards",
          AuditLogVerifier.builder(checkpointKeys).build());
      assertThat(log.events()).as("one event per request, from both replicas, in one log").isEqualTo(requests);
      assertThat(log.origin()).isEqualTo("notes.example/audit");
    }
  }

  private static TestApp replica(TestTls tls, TestIdentityProvider idp, String name) throws Exception {
    Map<String, Object> properties = new HashMap<>(idp.properties);
    properties.put("safeguards.postgresql.replica", name);
    return TestApp.run(tls, properties, Replica.class);
  }

  private static int send(TestApp replica, String method, String path, String token) throws Exception {
    return replica.send(method, path, token, HttpRequest.BodyPublishers.noBody()).statusCode();
  }
}
