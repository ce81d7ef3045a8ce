package dev.safeguards.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.safeguards.audit.AuditCheckpoint;
import dev.safeguards.audit.AuditWitness;
import dev.safeguards.audit.TamperEvidentAuditLog;
import dev.safeguards.audit.WitnessAnchor;
import dev.safeguards.crypto.KeyEncryptionKey;
import dev.safeguards.crypto.KeyPurpose;
import dev.safeguards.crypto.ManagedKeyset;
import dev.safeguards.crypto.SigningKeyset;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code witness serve}: its HTTP endpoint cosigns a real log's checkpoints; bad arguments are input problems. */
class WitnessServeCommandTest {

  @TempDir Path tmp;
  private final TestClock clock = new TestClock("2026-11-23T10:00:00Z");
  private final Cli cli = new Cli(clock);

  @Test
  void theEndpoint_cosignsALogsCheckpoints_andAnswersOnlyPostAddCheckpoint() throws Exception {
    AuditLogFixture log = new AuditLogFixture(tmp, clock);
    KeyEncryptionKey kek = KeyEncryptionKey.generateMasterKeyFile(tmp.resolve("witness-master.key"));
    SigningKeyset key = SigningKeyset.create(ManagedKeyset.create(tmp.resolve("w.keyset.json"),
        KeyPurpose.RECORD_SIGNING_ED25519, kek, clock));
    String origin = AuditLogFixture.origin(log.directory);
    AuditWitness witness = AuditWitness.open(tmp.resolve("state"), "witness.example/w1", key,
        Map.of(origin, SigningKeyset.fromPublicJwks(log.signer.publicJwks())), clock);
    HttpServer server = WitnessServeCommand.start(witness, new InetSocketAddress("127.0.0.1", 0));
    try {
      URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
      WitnessAnchor anchor = WitnessAnchor.create(base, witness.verifierKey(), HttpClient.newHttpClient(),
          Duration.ofSeconds(10));
      try (TamperEvidentAuditLog reopened = TamperEvidentAuditLog.builder(log.directory, log.signer).clock(clock)
          .origin(origin).anchor(anchor).open()) {
        reopened.checkpoint();
      }
      AuditCheckpoint last = log.checkpoints.get(log.checkpoints.size() - 1);
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> size = http.send(HttpRequest.newBuilder(base.resolve("/add-checkpoint"))
          .POST(HttpRequest.BodyPublishers.ofString("old 0\n\n" + last.note())).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(size.statusCode()).isEqualTo(409);
      assertThat(size.headers().firstValue("Content-Type")).hasValue("text/x.tlog.size");
      assertThat(Long.parseLong(size.body().strip())).isGreaterThanOrEqualTo(last.size());
      assertThat(http.send(HttpRequest.newBuilder(base.resolve("/add-checkpoint")).GET().build(),
          HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);
      assertThat(http.send(HttpRequest.newBuilder(base.resolve("/other")).GET().build(),
          HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
    } finally {
      server.stop(0);
    }
  }

  @Test
  void badArguments_areInputProblems() throws Exception {
    Path key = tmp.resolve("m.key");
    KeyEncryptionKey.generateMasterKeyFile(key);
    Path jwks = Files.writeString(tmp.resolve("log.pub"), "not a key set");

    Cli.Result noEquals = cli.run("witness", "serve", "--state", tmp.resolve("s"), "--name", "w.example/w1",
        "--log", "clinic.example/audit", "--master-key-file", key);
    assertThat(noEquals.exitCode()).isEqualTo(3);
    assertThat(noEquals.oneErrorLine()).contains("ORIGIN=FILE");
    Cli.Result badKeys = cli.run("witness", "serve", "--state", tmp.resolve("s"), "--name", "w.example/w1",
        "--log", "clinic.example/audit=" + jwks, "--master-key-file", key);
    assertThat(badKeys.exitCode()).isEqualTo(3);
    assertThat(badKeys.oneErrorLine()).contains("not a JWK set");
  }
}
