package dev.safeguards.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safeguards.Safeguards;
import dev.safeguards.access.AccessPolicy;
import dev.safeguards.access.AccessRules;
import dev.safeguards.audit.AuditEvent;
import dev.safeguards.audit.AuditOutcome;
import dev.safeguards.authn.AccessGrant;
import dev.safeguards.authn.AccessTokenIssuer;
import dev.safeguards.authn.JwkSource;
import dev.safeguards.authn.RevocationList;
import dev.safeguards.authn.TokenPolicy;
import dev.safeguards.authn.TokenVerifier;
import dev.safeguards.crypto.KeyEncryptionKey;
import dev.safeguards.crypto.KeyPurpose;
import dev.safeguards.crypto.ManagedKeyset;
import dev.safeguards.crypto.SigningKeyset;
import dev.safeguards.gate.Route;
import dev.safeguards.gate.Routes;
import dev.safeguards.identity.UserId;
import dev.safeguards.integrity.DigestAlgorithm;
import dev.safeguards.integrity.DigestFields;
import dev.safeguards.session.SessionPolicy;
import dev.safeguards.session.SessionStore;
import dev.safeguards.session.SessionTracker;
import dev.safeguards.testing.MutableClock;
import dev.safeguards.transport.RequestLimits;
import dev.safeguards.transport.TransportPolicy;
import dev.safeguards.transport.TrustedProxies;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The behaviour every adapter must show, driven over real HTTPS and plain HTTP with {@link HttpClient}
 * (164.312(a)-(e)). An adapter's test extends it, starts its container in {@link #start}, and serves this application
 * behind the adapter:
 *
 * <ul>
 *   <li>{@code GET /health}: 200, {@code text/plain} {@code ok};
 *   <li>{@code GET /patients/{id}}: 200, {@code application/json}
 *       {@code {"id":"<id>","name":"Jane Roe","diagnosis":"E11.9","reader":"<the user id of getUserPrincipal(), a dev.safeguards.identity.Principal>",
 *       "clinician":<isUserInRole("clinician")>}};
 *   <li>{@code POST /patients}: adds one to {@link #WRITES}, names the record it created ({@code Patient} {@link
 *       #CREATED}) through the adapter's request audit, then 201, {@code application/json}
 *       {@code {"received":<bytes of the body read>}};
 *   <li>{@code POST /patients/search}: through the adapter's request audit, sets the action {@code SEARCH} and names
 *       the {@code Patient}s {@link #PATIENT} and {@link #OTHER_PATIENT}; 200 {@code application/json} {@code []};
 *   <li>{@code GET /boom}: throws {@code IllegalStateException("Jane Roe's chart exploded")};
 *   <li>{@code GET /missing}: answers 404 through the framework's own error path, with the message
 *       {@code no chart for Jane Roe} (the servlet's {@code sendError}).
 * </ul>
 * The suite configures the routes, the access policy (clinicians read patients on their care team), the token policy,
 * sessions and audit itself, and checks the answers and the one audit event per request.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ConformanceSuite {

  /** How often the application's {@code POST /patients} ran: a write the gate must not let happen unaudited. */
  public static final java.util.concurrent.atomic.AtomicInteger WRITES = new java.util.concurrent.atomic.AtomicInteger();

  /** The id {@code POST /patients} says it created. */
  public static final String CREATED = "0193b2c4-7f00-7000-8000-00000000c0de";

  /** A patient on Alice's care team. */
  public static final String PATIENT = "0193b2c4-7f00-7000-8000-000000000001";
  /** A patient who is not. */
  public static final String OTHER_PATIENT = "0193b2c4-7f00-7000-8000-000000000002";
  private static final UserId ALICE = UserId.parse("0193b2c4-7f00-7000-8000-00000000a11c");
  private static final String ISSUER = "https://auth.clinic.example";
  private static final String AUDIENCE = "https://api.clinic.example";
  private static final List<String> PHI = List.of("Jane Roe", "E11.9", "exploded", "no chart");

  /** A running container with the adapter and the application. */
  public interface Server {
    /** The HTTPS port. */
    int httpsPort();

    /** The plain HTTP port. */
    int httpPort();

    /** Stops the container. */
    void stop() throws Exception;

    /** A server whose ports are read once it started, and which {@code stop} stops. */
    static Server of(java.util.function.IntSupplier httpsPort, java.util.function.IntSupplier httpPort,
        Stopper stop) {
      return new Server() {
        @Override
        public int httpsPort() {
          return httpsPort.getAsInt();
        }

        @Override
        public int httpPort() {
          return httpPort.getAsInt();
        }

        @Override
        public void stop() throws Exception {
          stop.stop();
        }
      };
    }
  }

  /** Stops a container. */
  @FunctionalInterface
  public interface Stopper {
    /** Stops it. */
    void stop() throws Exception;
  }

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
  private final CapturingAuditSink audit = new CapturingAuditSink();
  private Path dir;
  private AccessTokenIssuer issuer;
  private Server server;
  private HttpClient client;
  private TestTls tls;

  /**
   * Starts the container serving the application behind the adapter for {@code safeguards}, with HTTPS on one port
   * (using {@code tls}) and plain HTTP on another, both on 127.0.0.1. Request header limits of the container must be
   * above 64 KiB, so that the gate's own limits answer.
   */
  protected abstract Server start(Safeguards safeguards, TestTls tls) throws Exception;

  @BeforeAll
  void startServer() throws Exception {
    dir = Files.createTempDirectory("conformance");
    KeyEncryptionKey kek = KeyEncryptionKey.generateMasterKeyFile(dir.resolve("master.key"));
    SigningKeyset tokenKeys = SigningKeyset.create(ManagedKeyset.create(dir.resolve("tokens.json"),
        KeyPurpose.TOKEN_SIGNING_ED25519, kek, clock));
    issuer = AccessTokenIssuer.builder(tokenKeys, ISSUER, AUDIENCE).clock(clock).build();
    TokenVerifier tokens = TokenVerifier.create(TokenPolicy.builder(ISSUER, AUDIENCE,
        JwkSource.of(tokenKeys.publicJwks())).clock(clock).requireMfa().build());
    SessionTracker sessions = SessionTracker.create(new SessionPolicy(Duration.ofMinutes(5), Duration.ofHours(12)),
        SessionStore.inMemory(1000, clock), RevocationList.inMemory(1000, clock), clock);
    AccessPolicy access = AccessPolicy.builder()
        .role("clinician", "patient:read", "patient:create")
        .role("billing", "invoice:read")
        .resourceRule("Patient", AccessRules.relationship("care-team",
            (user, resource) -> user.equals(ALICE) && resource.id().equals(PATIENT)))
        .build();
    Routes routes = Routes.of(
        Route.publicRoute("GET", "/health"),
        Route.protect("GET", "/patients/{id:uuid}", "patient:read").withResource("Patient", "id"),
        Route.protect("POST", "/patients", "patient:create"),
        Route.protect("POST", "/patients/search", "patient:read"),
        Route.protect("GET", "/boom", "patient:read"),
        Route.protect("GET", "/missing", "patient:read"),
        Route.logout("POST", "/logout"));
    Safeguards safeguards = Safeguards.builder().tokens(tokens).sessions(sessions).access(access).routes(routes)
        .audit(audit).clock(clock)
        .transport(TransportPolicy.builder().trustedProxies(TrustedProxies.of("192.0.2.0/24")).build())
        .limits(new RequestLimits(16 * 1024, 8 * 1024, 64 * 1024, 16, 4096))
        .build();
    tls = TestTls.generate(dir);
    server = start(safeguards, tls);
    client = HttpClient.newBuilder().sslContext(tls.clientContext()).connectTimeout(Duration.ofSeconds(10)).build();
  }

  @AfterAll
  void stopServer() throws Exception {
    if (server != null) {
      server.stop();
    }
  }

  @BeforeEach
  void forgetEvents() {
    audit.clear();
  }

  private String token(String... roles) {
    return issuer.issue(new AccessGrant(ALICE, Set.of(roles), Set.of(), Set.of("pwd", "otp"), clock.instant(),
        "s-" + System.nanoTime(), Optional.of("web")));
  }

  private HttpRequest.Builder https(String path) {
    return HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.httpsPort() + path))
        .timeout(Duration.ofSeconds(30));
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private HttpResponse<String> get(String path, String token) throws Exception {
    HttpRequest.Builder b = https(path).GET();
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return send(b);
  }

  /** The one audit event of the request just made; it holds no PHI. */
  private AuditEvent theAuditEvent() {
    List<AuditEvent> events = audit.events();
    assertThat(events).as("exactly one audit event per request").hasSize(1);
    AuditEvent e = events.get(0);
    for (String phi : PHI) {
      assertThat(e.toString()).doesNotContain(phi);
    }
    return e;
  }

  private static void assertProblem(HttpResponse<String> r, int status) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(r.body()).startsWith("{\"type\":\"about:blank\",").contains("\"status\":" + status);
    for (String phi : PHI) {
      assertThat(r.body()).doesNotContain(phi);
    }
  }

  @Test
  void publicRoute_overHttps_answersWithHsts() throws Exception {
    HttpResponse<String> r = get("/health", null);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("ok");
    assertThat(r.headers().firstValue("Strict-Transport-Security")).hasValue("max-age=31536000; includeSubDomains");
    assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(theAuditEvent().outcome()).isEqualTo(AuditOutcome.SUCCESS);
  }

  @Test
  void clinicianOnTheCareTeam_readsThePatient_asTheAuthenticatedPrincipal() throws Exception {
    HttpResponse<String> r = get("/patients/" + PATIENT, token("clinician"));

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).contains("\"reader\":\"" + ALICE + "\"").contains("\"clinician\":true");
    assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
    AuditEvent e = theAuditEvent();
    assertThat(e.actor().user()).hasValue(ALICE);
    assertThat(e.rule()).hasValue("care-team");
    assertThat(e.httpStatus()).hasValue(200);
    assertThat(e.entities()).singleElement().satisfies(x -> assertThat(x.id()).isEqualTo(PATIENT));
  }

  @Test
  void noToken_is401WithABearerChallenge() throws Exception {
    HttpResponse<String> r = get("/patients/" + PATIENT, null);

    assertProblem(r, 401);
    assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
    assertThat(theAuditEvent().rule()).hasValue("authn:missing");
  }

  @Test
  void wrongRole_is403() throws Exception {
    assertProblem(get("/patients/" + PATIENT, token("billing")), 403);
    assertThat(theAuditEvent().rule()).hasValue("deny-by-default");
  }

  @Test
  void idor_anotherPatientsId_is403() throws Exception {
    assertProblem(get("/patients/" + OTHER_PATIENT, token("clinician")), 403);
    assertThat(theAuditEvent().entities()).singleElement().satisfies(x -> assertThat(x.id()).isEqualTo(OTHER_PATIENT));
  }

  @Test
  void malformedPathId_is400BeforeAnyLookup() throws Exception {
    assertProblem(get("/patients/not-a-uuid", token("clinician")), 400);
    assertThat(theAuditEvent().rule()).hasValue("input:path-id");
  }

  @Test
  void algNone_is401() throws Exception {
    String[] parts = token("clinician").split("\\.");
    String header = Base64.getUrlEncoder().withoutPadding()
        .encodeToString("{\"alg\":\"none\",\"typ\":\"at+jwt\"}".getBytes(StandardCharsets.UTF_8));

    HttpResponse<String> r = get("/patients/" + PATIENT, header + "." + parts[1] + ".");

    assertProblem(r, 401);
    assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow()).startsWith("Bearer error=\"invalid_token\"");
    assertThat(theAuditEvent().actor().user()).isEmpty();
  }

  @Test
  void expiredToken_is401() throws Exception {
    String token = token("clinician");
    clock.advance(Duration.ofMinutes(11));

    assertProblem(get("/patients/" + PATIENT, token), 401);
    assertThat(theAuditEvent().rule()).hasValue("authn:expired");
  }

  @Test
  void idleSession_is401() throws Exception {
    String token = token("clinician");
    assertThat(get("/patients/" + PATIENT, token).statusCode()).isEqualTo(200);
    clock.advance(Duration.ofMinutes(6));
    audit.clear();

    HttpResponse<String> r = get("/patients/" + PATIENT, token);

    assertProblem(r, 401);
    assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("session ended");
    assertThat(theAuditEvent().rule()).hasValue("session:idle_timeout");
  }

  @Test
  void logout_endsTheSession() throws Exception {
    String token = token("clinician");
    HttpResponse<String> out = send(https("/logout").POST(HttpRequest.BodyPublishers.noBody())
        .header("Authorization", "Bearer " + token));
    assertThat(out.statusCode()).isEqualTo(204);
    assertThat(theAuditEvent().rule()).hasValue("session:logout");
    audit.clear();

    assertProblem(get("/patients/" + PATIENT, token), 401);
  }

  @Test
  void plainHttp_isRefused_withoutHsts() throws Exception {
    HttpResponse<String> r = send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.httpPort() + "/patients/" + PATIENT))
        .header("Authorization", "Bearer " + token("clinician")));

    assertProblem(r, 403);
    assertThat(r.body()).contains("HTTPS is required");
    assertThat(r.headers().firstValue("Strict-Transport-Security")).isEmpty();
    assertThat(theAuditEvent().rule()).hasValue("transport:plain-http");
  }

  @Test
  void spoofedForwardedProto_fromAnUntrustedPeer_isIgnored() throws Exception {
    HttpResponse<String> r = send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.httpPort() + "/health"))
        .header("X-Forwarded-Proto", "https").header("Forwarded", "for=192.0.2.1;proto=https"));

    assertProblem(r, 403);
    assertThat(theAuditEvent().actor().sourceAddress()).hasValue("127.0.0.1");
  }

  @Test
  void contentDigestMismatch_is400_andAuditedAsAnIntegrityFailure() throws Exception {
    byte[] body = "{\"name\":\"x\"}".getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> r = send(https("/patients").POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .header("Authorization", "Bearer " + token("clinician")).header("Content-Type", "application/json")
        .header("Content-Digest", DigestFields.fieldValue("{\"name\":\"y\"}".getBytes(StandardCharsets.UTF_8),
            DigestAlgorithm.SHA_256)));

    assertProblem(r, 400);
    AuditEvent e = theAuditEvent();
    assertThat(e.type()).isEqualTo("integrity");
    assertThat(e.rule()).hasValue("integrity:content-digest");
  }

  @Test
  void matchingContentDigest_reachesTheApplication_andTheResponseDigestIsSentWhenWanted() throws Exception {
    byte[] body = "{\"name\":\"x\"}".getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> r = send(https("/patients").POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .header("Authorization", "Bearer " + token("clinician")).header("Content-Type", "application/json")
        .header("Content-Digest", DigestFields.fieldValue(body, DigestAlgorithm.SHA_256))
        .header("Want-Content-Digest", "sha-256=10"));

    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    assertThat(r.body()).isEqualTo("{\"received\":" + body.length + "}");
    assertThat(r.headers().firstValue("Content-Digest")).hasValue(
        DigestFields.fieldValue(r.body().getBytes(StandardCharsets.UTF_8), DigestAlgorithm.SHA_256));
    assertThat(theAuditEvent().httpStatus()).hasValue(201);
  }

  @Test
  void malformedJson_is400BeforeTheApplication() throws Exception {
    HttpResponse<String> r = send(https("/patients")
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"x\",\"name\":\"y\"}"))
        .header("Authorization", "Bearer " + token("clinician")).header("Content-Type", "application/json"));

    assertProblem(r, 400);
    assertThat(theAuditEvent().rule()).hasValue("input:json");
  }

  @Test
  void oversizedHeader_is431() throws Exception {
    HttpResponse<String> r = send(https("/health").header("X-Padding", "a".repeat(20 * 1024)));

    assertProblem(r, 431);
    assertThat(theAuditEvent().rule()).hasValue("limits:headers");
  }

  @Test
  void oversizedBody_is413() throws Exception {
    HttpResponse<String> r = send(https("/patients")
        .POST(HttpRequest.BodyPublishers.ofString("{\"x\":\"" + "a".repeat(70 * 1024) + "\"}"))
        .header("Authorization", "Bearer " + token("clinician")).header("Content-Type", "application/json"));

    assertProblem(r, 413);
    assertThat(theAuditEvent().rule()).hasValue("limits:body");
  }

  @Test
  void wrongContentType_is415() throws Exception {
    HttpResponse<String> r = send(https("/patients").POST(HttpRequest.BodyPublishers.ofString("name=x"))
        .header("Authorization", "Bearer " + token("clinician"))
        .header("Content-Type", "application/x-www-form-urlencoded"));

    assertProblem(r, 415);
    assertThat(theAuditEvent().rule()).hasValue("input:content-type");
  }

  @Test
  void unknownRoute_is404_andWrongMethod_is405() throws Exception {
    assertProblem(get("/admin", token("clinician")), 404);
    audit.clear();
    HttpResponse<String> r = send(https("/health").DELETE());
    assertProblem(r, 405);
    assertThat(r.headers().firstValue("Allow")).hasValue("GET");
  }

  @Test
  void applicationErrorStatus_isAGenericProblem_andAuditedWithItsStatus() throws Exception {
    HttpResponse<String> r = get("/missing", token("clinician"));

    assertProblem(r, 404);
    assertThat(theAuditEvent().httpStatus()).hasValue(404);
  }

  @Test
  void applicationException_is500WithAGenericBody_andAudited() throws Exception {
    HttpResponse<String> r = get("/boom", token("clinician"));

    assertProblem(r, 500);
    assertThat(r.body()).doesNotContain("IllegalStateException");
    AuditEvent e = theAuditEvent();
    assertThat(e.httpStatus()).hasValue(500);
    assertThat(e.outcome()).isEqualTo(AuditOutcome.SERIOUS_FAILURE);
  }

  private HttpResponse<String> create(String json) throws Exception {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    return send(https("/patients").POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .header("Authorization", "Bearer " + token("clinician")).header("Content-Type", "application/json"));
  }

  @Test
  void auditSinkUnavailable_is503WithRetryAfter_beforeTheApplicationRuns() throws Exception {
    int before = WRITES.get();
    audit.unavailable(true);
    HttpResponse<String> r;
    try {
      r = create("{\"name\":\"x\"}");
    } finally {
      audit.unavailable(false);
    }

    assertProblem(r, 503);
    assertThat(r.headers().firstValue("Retry-After")).isPresent();
    assertThat(r.headers().firstValue("Strict-Transport-Security")).isPresent();
    assertThat(WRITES.get()).as("the application did not run").isEqualTo(before);
    assertThat(audit.events()).isEmpty();
    assertThat(create("{\"name\":\"x\"}").statusCode()).as("served again once the sink recovers").isEqualTo(201);
    assertThat(WRITES.get()).isEqualTo(before + 1);
  }

  @Test
  void refusalOfARequestWhoseBodyWasNeverRead_closesTheConnection() throws Exception {
    int before = WRITES.get();
    audit.unavailable(true);
    try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) tls.clientContext().getSocketFactory()
        .createSocket("127.0.0.1", server.httpsPort())) {
      socket.setSoTimeout(10_000);
      // the head announces 1000 bytes that never come: the container must neither wait for them nor keep the
      // connection for a next request that would be read out of the middle of this body
      socket.getOutputStream().write(("POST /patients HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
          + token("clinician") + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      java.io.InputStream in = socket.getInputStream();
      String head = readHead(in);

      assertThat(head).startsWith("HTTP/1.1 503").containsIgnoringCase("\r\nConnection: close\r\n");
      java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)\r\ncontent-length: *(\\d+)")
          .matcher(head);
      assertThat(length.find()).as(head).isTrue();
      assertThat(in.readNBytes(Integer.parseInt(length.group(1)))).isNotEmpty();
      try {
        socket.getOutputStream().write(new byte[1000]); // a container may wait for the body before it closes
        socket.getOutputStream().flush();
      } catch (java.io.IOException closedAlready) {
        // it did not wait
      }
      assertThat(closedByPeer(in)).as("the container closed the connection after the answer").isTrue();
    } finally {
      audit.unavailable(false);
    }
    assertThat(WRITES.get()).as("the application did not run").isEqualTo(before);
  }

  /** Whether the peer closed the connection (end of stream or reset) rather than sending more. */
  private static boolean closedByPeer(java.io.InputStream in) throws java.io.IOException {
    try {
      return in.read() == -1;
    } catch (java.net.SocketException reset) {
      return true;
    }
  }

  /** The status line and header fields of a response, up to and including the empty line. */
  private static String readHead(java.io.InputStream in) throws java.io.IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new java.io.EOFException("the connection closed after " + head);
      }
      head.append((char) b);
    }
    return head.toString();
  }

  @Test
  void upperCaseUuid_isDecidedAndAuditedInCanonicalForm() throws Exception {
    HttpResponse<String> r = get("/patients/" + PATIENT.toUpperCase(java.util.Locale.ROOT), token("clinician"));

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(theAuditEvent().entities()).singleElement().satisfies(x -> assertThat(x.id()).isEqualTo(PATIENT));
  }

  @Test
  void applicationNamesWhatItTouched_theEventCarriesTheActionAndTheRecords() throws Exception {
    HttpResponse<String> search = send(https("/patients/search").POST(HttpRequest.BodyPublishers.ofString("{}"))
        .header("Authorization", "Bearer " + token("clinician")).header("Content-Type", "application/json"));

    assertThat(search.statusCode()).as(search.body()).isEqualTo(200);
    AuditEvent searched = theAuditEvent();
    assertThat(searched.action()).isEqualTo(dev.safeguards.audit.AuditAction.SEARCH);
    assertThat(searched.entities()).extracting(x -> x.id()).containsExactly(PATIENT, OTHER_PATIENT);
    audit.clear();

    assertThat(create("{\"name\":\"x\"}").statusCode()).isEqualTo(201);
    AuditEvent created = theAuditEvent();
    assertThat(created.action()).isEqualTo(dev.safeguards.audit.AuditAction.CREATE);
    assertThat(created.entities()).extracting(x -> x.id()).containsExactly(CREATED);
  }
}
