package dev.safeguards.postgresql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safeguards.Safeguards;
import dev.safeguards.access.AccessPolicy;
import dev.safeguards.audit.AuditLogVerifier;
import dev.safeguards.audit.AuditRecords;
import dev.safeguards.audit.VerifiedAuditLog;
import dev.safeguards.authn.AccessGrant;
import dev.safeguards.authn.AccessTokenIssuer;
import dev.safeguards.authn.JwkSource;
import dev.safeguards.authn.TokenPolicy;
import dev.safeguards.authn.TokenVerifier;
import dev.safeguards.conformance.TestTls;
import dev.safeguards.crypto.KeyEncryptionKey;
import dev.safeguards.crypto.KeyPurpose;
import dev.safeguards.crypto.ManagedKeyset;
import dev.safeguards.crypto.SigningKeyset;
import dev.safeguards.gate.Route;
import dev.safeguards.gate.Routes;
import dev.safeguards.identity.UserId;
import dev.safeguards.servlet.SafeguardsFilter;
import dev.safeguards.session.SessionPolicy;
import dev.safeguards.session.SessionStore;
import dev.safeguards.session.SessionTracker;
import dev.safeguards.authn.RevocationList;
import dev.safeguards.transport.TlsPolicy;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An API over HTTPS whose gate writes to the PostgreSQL audit log, under load while PostgreSQL is stopped and started
 * again: meanwhile requests are refused with 503 before the application acts and none is served unaudited; afterwards
 * service resumes by itself, every request answered 200 has its event, and the log verifies with a recovery record
 * that counts the refusals.
 */
class PostgresGateTest {

  private static final String ISSUER = "https://idp.example";
  private static final String AUDIENCE = "clinic-api";
  private static final String ORIGIN = "clinic.example/audit";
  private static final UserId ALICE = UserId.parse("0193b2c4-7f00-7000-8000-00000000a11c");

  @TempDir Path tmp;

  @Test
  void theDatabaseStoppedUnderLoad_refuses503_servesNoneUnaudited_andResumes() throws Exception {
    Clock clock = Clock.systemUTC();
    KeyEncryptionKey kek = KeyEncryptionKey.generateMasterKeyFile(tmp.resolve("master.key"));
    SigningKeyset tokenKeys = SigningKeyset.create(ManagedKeyset.create(tmp.resolve("tokens.json"),
        KeyPurpose.TOKEN_SIGNING_ED25519, kek, clock));
    SigningKeyset checkpointKeys = SigningKeyset.create(ManagedKeyset.create(tmp.resolve("checkpoint.json"),
        KeyPurpose.RECORD_SIGNING_ED25519, kek, clock));
    AtomicInteger served = new AtomicInteger(); // requests the application ran
    Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    try (ClinicDatabase db = ClinicDatabase.start(); PostgresState state = db.state().connect()) {
      PostgresAuditLog audit = PostgresAuditLog.builder(state, ORIGIN, checkpointKeys).checkpointEvery(25).open();
      RevocationList revocations = RevocationList.inMemory(1000, clock);
      Safeguards safeguards = Safeguards.builder()
          .tokens(TokenVerifier.create(TokenPolicy.builder(ISSUER, AUDIENCE, JwkSource.of(tokenKeys.publicJwks()))
              .requireMfa().revocations(revocations).build()))
          .sessions(SessionTracker.create(new SessionPolicy(Duration.ofMinutes(15), Duration.ofHours(8)),
              SessionStore.inMemory(1000, clock), revocations, clock))
          .access(AccessPolicy.builder().role("clinician", "patient:read").build())
          .routes(Routes.of(Route.protect("GET", "/patients", "patient:read")))
          .audit(audit).build();
      TestTls tls = TestTls.generate(tmp);
      Server jetty = jetty(safeguards, tls, served);
      int port = ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
      String token = AccessTokenIssuer.builder(tokenKeys, ISSUER, AUDIENCE).build().issue(new AccessGrant(ALICE,
          Set.of("clinician"), Set.of(), Set.of("pwd", "otp"), clock.instant(), "s1", Optional.of("web")));
      HttpClient client = HttpClient.newBuilder().sslContext(tls.clientContext())
          .connectTimeout(Duration.ofSeconds(10)).build();
      HttpRequest request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/patients"))
          .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).build();

      AtomicBoolean stop = new AtomicBoolean();
      List<Thread> load = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        Thread th = new Thread(() -> {
          while (!stop.get()) {
            try {
              int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
              statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
            } catch (IOException | InterruptedException e) {
              statuses.computeIfAbsent(-1, s -> new AtomicInteger()).incrementAndGet();
            }
          }
        });
        th.start();
        load.add(th);
      }
      IntSupplier ok = () -> statuses.getOrDefault(200, new AtomicInteger()).get();
      IntSupplier refused = () -> statuses.getOrDefault(503, new AtomicInteger()).get();
      until(() -> ok.getAsInt() >= 40, "serving");
      db.server.stop();
      until(() -> refused.getAsInt() >= 20, "refusing while the database is down");
      db.server.start();
      int okBefore = ok.getAsInt();
      until(() -> ok.getAsInt() >= okBefore + 40, "serving again, unattended");
      stop.set(true);
      for (Thread th : load) {
        th.join();
      }
      jetty.stop();
      audit.close();

      assertThat(statuses.keySet()).as("only served or refused: %s", statuses).containsOnly(200, 503);
      Path exported = tmp.resolve("export");
      PostgresAuditLogs.export(db.app(), state.schema(), exported);
      List<String> records = Files.readAllLines(exported.resolve(AuditRecords.segmentFileName(1)));
      long eventsServed = records.stream().filter(l -> l.contains("\"kind\":\"event\"")
          && l.contains("\"status\":200")).count();
      assertThat(eventsServed).as("every request answered 200 has its event (a commit whose answer was lost when "
          + "the server stopped may add one)").isBetween((long) ok.getAsInt(), ok.getAsInt() + 2L);
      assertThat(served.get()).as("the application ran only for requests whose audit was possible")
          .isLessThanOrEqualTo(ok.getAsInt() + refused.getAsInt());
      String recovery = records.stream().filter(l -> l.contains("\"kind\":\"recovery\"")).findFirst().orElseThrow();
      assertThat(Long.parseLong(recovery.replaceAll(".*\"refused\":([0-9]+).*", "$1")))
          .as("the refusals are in the log too").isGreaterThanOrEqualTo(refused.getAsInt());
      VerifiedAuditLog verified = PostgresAuditLogs.verify(db.app(), state.schema(),
          AuditLogVerifier.builder(checkpointKeys).build());
      assertThat(verified.recoveries()).isEqualTo(1);
    }
  }

  private static void until(java.util.function.BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      Thread.onSpinWait();
    }
  }

  private static Server jetty(Safeguards safeguards, TestTls tls, AtomicInteger served) throws Exception {
    Server jetty = new Server();
    HttpConfiguration config = new HttpConfiguration();
    config.addCustomizer(new SecureRequestCustomizer(false));
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setKeyStorePath(tls.keyStoreFile().toString());
    ssl.setKeyStorePassword(new String(tls.password()));
    ssl.setKeyStoreType("PKCS12");
    ssl.setIncludeProtocols(TlsPolicy.protocols().toArray(String[]::new));
    ssl.setIncludeCipherSuites(TlsPolicy.cipherSuites().toArray(String[]::new));
    ServerConnector https = new ServerConnector(jetty, new SslConnectionFactory(ssl, "http/1.1"),
        new HttpConnectionFactory(config));
    https.setHost("127.0.0.1");
    jetty.addConnector(https);
    ServletContextHandler context = new ServletContextHandler();
    context.addFilter(new FilterHolder(SafeguardsFilter.create(safeguards)), "/*",
        EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(new ServletHolder(new HttpServlet() {
      private static final long serialVersionUID = 1L;

      @Override
      protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
        served.incrementAndGet();
        res.setContentType("text/plain");
        res.getOutputStream().write("ok".getBytes(StandardCharsets.UTF_8));
      }
    }), "/*");
    jetty.setHandler(context);
    jetty.start();
    return jetty;
  }
}
