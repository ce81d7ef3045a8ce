package dev.safeguards.examples.minimal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safeguards.audit.AuditLogVerifier;
import dev.safeguards.audit.TamperEvidentAuditLog;
import dev.safeguards.crypto.KeyEncryptionKey;
import dev.safeguards.crypto.KeyPurpose;
import dev.safeguards.crypto.ManagedKeyset;
import dev.safeguards.crypto.SigningKeyset;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The minimal servlet example, running in real Jetty and called with a real HTTP client. */
class MinimalAppSmokeTest {

  @TempDir
  Path dir;

  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> send(Server server, String method, String path, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(server.getURI().resolve(path))
        .method(method, HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void helloEndpoint_needsAValidToken_andEveryRequestIsAudited() throws Exception {
    Server server = MinimalApp.start(dir, 0, Clock.systemUTC());
    String token = Files.readString(dir.resolve("demo-token.txt")).strip();
    try {
      HttpResponse<String> hello = send(server, "GET", "/hello", token);
      assertThat(hello.statusCode()).isEqualTo(200);
      assertThat(hello.body()).matches("\\{\"hello\":\"[0-9a-f-]{36}\"}");
      assertThat(send(server, "GET", "/hello", null).statusCode()).isEqualTo(401);
      assertThat(send(server, "GET", "/hello", token + "x").statusCode()).isEqualTo(401);
      assertThat(send(server, "GET", "/elsewhere", token).statusCode()).isEqualTo(404);
      assertThat(send(server, "POST", "/logout", token).statusCode()).isEqualTo(204);
      assertThat(send(server, "GET", "/hello", token).statusCode()).isEqualTo(401);
    } finally {
      server.stop();
      server.getBean(TamperEvidentAuditLog.class).close();
    }

    SigningKeyset auditKeys = SigningKeyset.create(ManagedKeyset.open(dir.resolve("audit.keyset.json"),
        KeyPurpose.RECORD_SIGNING_ED25519, KeyEncryptionKey.fromMasterKeyFile(dir.resolve("master.key")),
        Clock.systemUTC()));
    assertThat(AuditLogVerifier.builder(SigningKeyset.fromPublicJwks(auditKeys.publicJwks())).build()
        .verify(dir.resolve("audit")).records()).isGreaterThanOrEqualTo(6);
  }
}
