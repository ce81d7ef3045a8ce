package dev.safeguards.servlet;

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
import dev.safeguards.compliance.Weakness;
import dev.safeguards.conformance.CapturingAuditSink;
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
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Strange requests, sent byte for byte over a raw socket to the servlet adapter in embedded Jetty 12, each checked for
 * its status, its problem body and its one audit event. The test client is the trusted proxy (127.0.0.1), so that the
 * forwarding headers it sends are believed as a proxy's; a second context ({@code /dev}) also serves plain HTTP to
 * loopback clients, as local development does.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JettyHostileEdgesTest {

  private static final UserId ALICE = UserId.parse("0193b2c4-7f00-7000-8000-00000000a11c");
  private static final String PATIENT = "0193b2c4-7f00-7000-8000-000000000001";
  private static final String ISSUER = "https://auth.clinic.example";
  private static final String AUDIENCE = "https://api.clinic.example";
  private static final List<String> SECRETS = List.of("Jane Roe", "E11.9", "exploded", "eyJ");

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
  private final CapturingAuditSink audit = new CapturingAuditSink();
  private final CapturingAuditSink devAudit = new CapturingAuditSink();
  private final List<String> served = new ArrayList<>();
  private AccessTokenIssuer issuer;
  private Server jetty;
  private int port;

  @BeforeAll
  void start() throws Exception {
    Path dir = Files.createTempDirectory("hostile-edges");
    KeyEncryptionKey kek = KeyEncryptionKey.generateMasterKeyFile(dir.resolve("master.key"));
    SigningKeyset tokenKeys = SigningKeyset.create(ManagedKeyset.create(dir.resolve("tokens.json"),
        KeyPurpose.TOKEN_SIGNING_ED25519, kek, clock));
    issuer = AccessTokenIssuer.builder(tokenKeys, ISSUER, AUDIENCE).clock(clock).build();
    TokenVerifier tokens = TokenVerifier.create(TokenPolicy.builder(ISSUER, AUDIENCE,
        JwkSource.of(tokenKeys.publicJwks())).clock(clock).requireMfa().build());
    AccessPolicy access = AccessPolicy.builder().role("clinician", "patient:read", "patient:create")
        .resourceRule("Note", AccessRules.relationship("author", (user, note) -> note.id().equals("abc~1")))
        .build();
    Routes routes = Routes.of(
        Route.publicRoute("GET", "/health"),
        Route.publicRoute("GET", "/files/{name}"),
        Route.protect("GET", "/patients/{id:uuid}", "patient:read"),
        Route.protect("POST", "/patients", "patient:create"),
        Route.protect("GET", "/boom", "patient:read"),
        Route.protect("GET", "/boom-error", "patient:read"),
        Route.protect("GET", "/notes/{name}", "patient:read").withResource("Note", "name"));
    Safeguards safeguards = Safeguards.builder().tokens(tokens).sessions(sessions()).access(access).routes(routes)
        .audit(audit).clock(clock).anonymousRefusalWindow(Duration.ZERO)
        .transport(TransportPolicy.builder().trustedProxies(TrustedProxies.of("127.0.0.1")).build())
        .limits(new RequestLimits(16 * 1024, 8 * 1024, 4 * 1024, 16, 4096))
        .build();
    Safeguards dev = Safeguards.builder().tokens(tokens).sessions(sessions()).access(access).routes(routes)
        .audit(devAudit).clock(clock).anonymousRefusalWindow(Duration.ZERO)
        .transport(TransportPolicy.builder().allowPlainHttpForLoopback()
            .trustedProxies(TrustedProxies.of("127.0.0.1")).build())
        .acceptWeakness(Weakness.PLAIN_HTTP_ON_LOOPBACK, "the test's local development context")
        .build();

    jetty = new Server();
    HttpConfiguration config = new HttpConfiguration();
    config.setRequestHeaderSize(128 * 1024);
    config.setSendServerVersion(false);
    ServerConnector plain = new ServerConnector(jetty, new HttpConnectionFactory(config));
    plain.setHost("127.0.0.1");
    jetty.addConnector(plain);
    jetty.setHandler(new Handler.Sequence(context("/dev", dev), context("/", safeguards)));
    jetty.start();
    port = plain.getLocalPort();
  }

  private SessionTracker sessions() {
    return SessionTracker.create(new SessionPolicy(Duration.ofMinutes(5), Duration.ofHours(12)),
        SessionStore.inMemory(1000, clock), RevocationList.inMemory(1000, clock), clock);
  }

  private ServletContextHandler context(String path, Safeguards safeguards) {
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath(path);
    context.addFilter(new FilterHolder(SafeguardsFilter.create(safeguards)), "/*",
        EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(new ServletHolder(new App()), "/*");
    return context;
  }

  @AfterAll
  void stop() throws Exception {
    if (jetty != null) {
      jetty.stop();
    }
  }

  @BeforeEach
  void forget() {
    audit.clear();
    devAudit.clear();
    synchronized (served) {
      served.clear();
    }
  }

  /** The application: says which path it served, reads bodies, and throws on {@code /boom}. */
  private final class App extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse res) throws IOException {
      synchronized (served) {
        served.add(req.getMethod() + " " + req.getServletPath() + (req.getPathInfo() == null ? "" : req.getPathInfo()));
      }
      if (req.getRequestURI().endsWith("/boom")) {
        throw new IllegalStateException("Jane Roe's chart exploded");
      }
      if (req.getRequestURI().endsWith("/boom-error")) {
        res.getOutputStream().write("{\"name\":\"Jane Roe\"".getBytes(StandardCharsets.UTF_8));
        throw new AssertionError("Jane Roe's chart exploded");
      }
      byte[] body = req.getInputStream().readAllBytes();
      res.setStatus(req.getMethod().equals("POST") ? 201 : 200);
      res.setContentType("application/json");
      res.getOutputStream().write(("{\"name\":\"Jane Roe\",\"received\":" + body.length + "}")
          .getBytes(StandardCharsets.UTF_8));
    }
  }

  private String token() {
    return issuer.issue(new AccessGrant(ALICE, Set.of("clinician"), Set.of(), Set.of("pwd", "otp"), clock.instant(),
        "s-" + System.nanoTime(), Optional.of("web")));
  }

  /** A response read from the socket: status, headers by lower-case name (every line), body. */
  record Answer(int status, Map<String, List<String>> headers, String body) {
    Optional<String> header(String name) {
      List<String> v = headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
      return v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }
  }

  /** Sends {@code head} (lines joined by CRLF, then the empty line) and {@code body}, and reads the one answer. */
  private Answer send(List<String> head, byte[] body) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(20_000);
      OutputStream out = socket.getOutputStream();
      out.write((String.join("\r\n", head) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.write(body);
      out.flush();
      return read(socket.getInputStream(), head.get(0).startsWith("HEAD "));
    }
  }

  private Answer send(String... head) throws IOException {
    return send(List.of(head), new byte[0]);
  }

  private Answer send(List<String> head) throws IOException {
    return send(head, new byte[0]);
  }

  private static Answer read(InputStream in, boolean noBody) throws IOException {
    String statusLine = line(in);
    if (statusLine.startsWith("HTTP/1.1 100")) {
      line(in);
      statusLine = line(in);
    }
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (String h = line(in); !h.isEmpty(); h = line(in)) {
      int colon = h.indexOf(':');
      headers.computeIfAbsent(h.substring(0, colon).strip().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
          .add(h.substring(colon + 1).strip());
    }
    byte[] body;
    List<String> length = headers.getOrDefault("content-length", List.of());
    if (noBody) {
      body = new byte[0];
    } else if (!length.isEmpty()) {
      body = in.readNBytes(Integer.parseInt(length.get(0)));
    } else if (headers.getOrDefault("transfer-encoding", List.of()).contains("chunked")) {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      for (int n = Integer.parseInt(line(in).strip(), 16); n > 0; n = Integer.parseInt(line(in).strip(), 16)) {
        b.write(in.readNBytes(n));
        line(in);
      }
      body = b.toByteArray();
    } else {
      body = in.readAllBytes();
    }
    return new Answer(Integer.parseInt(statusLine.substring(9, 12)), headers,
        new String(body, StandardCharsets.UTF_8));
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder s = new StringBuilder();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new IOException("the connection closed after " + s);
      }
      if (b != '\r') {
        s.append((char) b);
      }
    }
    return s.toString();
  }

  /** The one audit event of the request just answered (the gate writes it before the answer is sent). */
  private static AuditEvent theEvent(CapturingAuditSink sink) {
    List<AuditEvent> events = sink.events();
    assertThat(events).as("exactly one audit event per request").hasSize(1);
    for (String secret : SECRETS) {
      assertThat(events.get(0).toString()).doesNotContain(secret);
    }
    return events.get(0);
  }

  private AuditEvent theEvent() {
    return theEvent(audit);
  }

  private static void assertProblem(Answer a, int status, String detail) {
    assertThat(a.status()).as(a.body()).isEqualTo(status);
    assertThat(a.header("Content-Type")).hasValue("application/problem+json");
    assertThat(a.body()).startsWith("{\"type\":\"about:blank\",").contains("\"status\":" + status)
        .contains(detail);
    for (String secret : SECRETS) {
      assertThat(a.body()).doesNotContain(secret);
    }
  }

  private static final String HOST = "Host: api.clinic.example";
  private static final String CLOSE = "Connection: close";
  private static final String VIA_HTTPS = "X-Forwarded-Proto: https";

  // ---- forwarding headers from the trusted proxy

  private List<String> served() {
    synchronized (served) {
      return List.copyOf(served);
    }
  }

  private static List<String> get(String path, String... more) {
    List<String> head = new ArrayList<>(List.of("GET " + path + " HTTP/1.1", HOST, CLOSE));
    head.addAll(List.of(more));
    return head;
  }

  @Test
  void localDevelopment_aProxyThatNamesNoClient_stillForwarded_isRefusedAsPlainHttp() throws Exception {
    // RFC 7239 lets a proxy hide the client (for=unknown, an obfuscated identifier) or name only the scheme; the
    // client address then stays the loopback proxy's, but the request came from elsewhere over plain HTTP.
    for (String forwarding : List.of("Forwarded: for=unknown;proto=http", "Forwarded: for=_hidden",
        "X-Forwarded-Proto: http", "X-Forwarded-For: unknown")) {
      devAudit.clear();
      Answer a = send(get("/dev/health", forwarding));

      assertProblem(a, 403, "HTTPS is required.");
      AuditEvent e = theEvent(devAudit);
      assertThat(e.rule()).as(forwarding).hasValue("transport:plain-http");
      assertThat(e.outcome()).isNotEqualTo(AuditOutcome.SUCCESS);
      assertThat(audit.events()).isEmpty();
    }
    assertThat(served()).as("the application never ran").isEmpty();
    devAudit.clear();
    assertThat(send(get("/dev/health")).status()).as("a local client is still served").isEqualTo(200);
    assertThat(theEvent(devAudit).outcome()).isEqualTo(AuditOutcome.SUCCESS);
  }

  @Test
  void forwardedAddressWithAZoneOrSpaces_isTheProxysAddress_andTheEventIsWhole() throws Exception {
    for (String forwarding : List.of("Forwarded: for=\"[fe80::1%25 Jane Roe]\";proto=https",
        "Forwarded: for=\" 192.0.2.7\";proto=https", "Forwarded: for=\"[fe80::1%25x]:80\";proto=https")) {
      audit.clear();
      Answer a = send(get("/health", forwarding));

      assertThat(a.status()).as(forwarding).isEqualTo(200);
      AuditEvent e = theEvent();
      assertThat(e.rule()).as(forwarding).isEmpty();
      assertThat(e.subtype()).hasValue("GET:/health");
      assertThat(e.actor().sourceAddress()).hasValue("127.0.0.1");
    }
    audit.clear();
    Answer a = send(get("/patients/" + PATIENT, "Authorization: Bearer " + token(),
        "X-Forwarded-For: fe80::1%" + "a".repeat(70), VIA_HTTPS));

    assertThat(a.status()).as("a valid token is not refused for the proxy's words: " + a.body()).isEqualTo(200);
    AuditEvent e = theEvent();
    assertThat(e.actor().user()).hasValue(ALICE);
    assertThat(e.actor().sourceAddress()).hasValue("127.0.0.1");
  }

  @Test
  void severalForwardedElementsAndLines_theLastDecides() throws Exception {
    Answer plain = send(get("/health", "Forwarded: for=192.0.2.1;proto=https",
        "Forwarded: for=198.51.100.2;proto=http"));
    assertProblem(plain, 403, "HTTPS is required.");
    AuditEvent refused = theEvent();
    assertThat(refused.rule()).hasValue("transport:plain-http");
    assertThat(refused.actor().sourceAddress()).hasValue("198.51.100.2");

    audit.clear();
    Answer ipv6 = send(get("/health",
        "Forwarded: for=198.51.100.2;proto=http, for=\"[2001:db8::17]:4711\";proto=HTTPS;by=_lb"));
    assertThat(ipv6.status()).isEqualTo(200);
    assertThat(ipv6.header("Strict-Transport-Security")).isPresent();
    assertThat(theEvent().actor().sourceAddress()).hasValue("[2001:db8::17]");

    audit.clear();
    Answer cased = send(get("/health", "Forwarded: For=192.0.2.5;PROTO=\"https\"",
        "User-Agent: Mozilla/5.0 (Jane Roe) caf\u00e9/1"));
    assertThat(cased.status()).as("parameter names are case-insensitive, values may be quoted").isEqualTo(200);
    AuditEvent e = theEvent();
    assertThat(e.actor().sourceAddress()).hasValue("192.0.2.5");
    assertThat(e.actor().userAgent()).hasValue("Mozilla/5.0");

    audit.clear();
    Answer twice = send(get("/health", "Forwarded: for=192.0.2.9;proto=https;proto=https"));
    assertProblem(twice, 403, "HTTPS is required.");
    assertThat(theEvent().actor().sourceAddress()).as("an unreadable element is the proxy's").hasValue("127.0.0.1");
  }

  @Test
  void forwardedChainLongerThanTheTrustedList_onlyTheLastHopCounts() throws Exception {
    Answer a = send(get("/health", "X-Forwarded-For: 203.0.113.1, 198.51.100.2", "X-Forwarded-For: 192.0.2.3",
        "X-Forwarded-Proto: https, http", "Forwarded: for=192.0.2.3;proto=https"));

    assertThat(a.status()).isEqualTo(200);
    assertThat(theEvent().actor().sourceAddress()).hasValue("192.0.2.3");

    audit.clear();
    Answer b = send(get("/health", "X-Forwarded-For: 203.0.113.1, 192.0.2.3", "X-Forwarded-Proto: https, http"));
    assertProblem(b, 403, "HTTPS is required.");
    assertThat(theEvent().actor().sourceAddress()).hasValue("192.0.2.3");
  }

  @Test
  void oddAuthorizationHeaders_areRefusedWithoutEchoingTheToken() throws Exception {
    String t = token();
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put("Authorization: Bearer " + t + "\r\nAuthorization: Bearer " + t, "authn:missing");
    cases.put("Authorization: Basic " + t, "authn:missing");
    cases.put("Authorization: Bearer\t" + t, "authn:missing");
    cases.put("Authorization: Bearer", "authn:missing");
    cases.put("Authorization: Bearer " + t + ", Bearer " + t, "authn:malformed");
    cases.put("Authorization: Bearer " + "eyJ" + "A".repeat(9 * 1024), "limits:token");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      audit.clear();
      Answer a = send(get("/patients/" + PATIENT, c.getKey(), VIA_HTTPS));

      assertThat(a.status()).as(c.getValue()).isIn(401, 431);
      assertProblem(a, a.status(), "\"detail\":");
      assertThat(a.headers().toString()).doesNotContain(t);
      assertThat(theEvent().rule()).hasValue(c.getValue());
    }
    audit.clear();
    assertThat(send(get("/patients/" + PATIENT, "Authorization: bEaReR    " + t + "   ", VIA_HTTPS)).status())
        .as("the scheme is case-insensitive and spaces around the token do not matter").isEqualTo(200);
    assertThat(theEvent().actor().user()).hasValue(ALICE);
    assertThat(served()).hasSize(1);
  }

  @Test
  void tokenWithAHugeNestedHeader_is401() throws Exception {
    String[] parts = token().split("\\.");
    String header = "{\"alg\":\"EdDSA\",\"typ\":\"at+jwt\",\"x\":" + "[".repeat(2000) + "]".repeat(2000) + "}";
    String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(header.getBytes(StandardCharsets.UTF_8))
        + "." + parts[1] + "." + parts[2];

    Answer a = send(get("/patients/" + PATIENT, "Authorization: Bearer " + forged, VIA_HTTPS));

    assertProblem(a, 401, "The access token was not accepted.");
    assertThat(theEvent().rule()).hasValueSatisfying(r -> assertThat(r).startsWith("authn:"));
    assertThat(served()).isEmpty();
  }

  @Test
  void dotSegmentOrPathParameterInAPathParameter_isRefused_notServedAsAnotherPath() throws Exception {
    for (String path : List.of("/files/..", "/files/.", "/files/x;y", "/files/x;jsessionid=1")) {
      audit.clear();
      Answer a = send(get(path, VIA_HTTPS));

      assertProblem(a, 400, "A path identifier is malformed.");
      assertThat(theEvent().rule()).as(path).hasValue("input:path-id");
    }
    assertThat(served()).as("the application never served another path than the one decided").isEmpty();
    audit.clear();
    assertThat(send(get("/files/x.y", VIA_HTTPS)).status()).isEqualTo(200);
    assertThat(served()).containsExactly("GET /files/x.y");
  }

  @Test
  void percentEncodedSpellingsOfOneSegment_areOneResource() throws Exception {
    // The container hands the application "abc~1" for every spelling; the decision and the event named each as sent,
    // so the author was refused the note as "%61bc%7E1", and the log named one note three ways.
    for (String spelling : List.of("abc~1", "%61bc%7E1", "%61%62%63%7e%31")) {
      audit.clear();
      Answer a = send(get("/notes/" + spelling, VIA_HTTPS, "Authorization: Bearer " + token()));

      assertThat(a.status()).as(spelling + " " + a.body()).isEqualTo(200);
      AuditEvent e = theEvent();
      assertThat(e.rule()).hasValue("author");
      assertThat(e.entities()).singleElement().satisfies(x -> assertThat(x.id()).isEqualTo("abc~1"));
    }
    audit.clear();
    Answer other = send(get("/notes/abc%c3%a9", VIA_HTTPS, "Authorization: Bearer " + token()));
    assertProblem(other, 403, "\"detail\":");
    assertThat(theEvent().entities()).singleElement().satisfies(x -> assertThat(x.id()).isEqualTo("abc%C3%A9"));
  }

  @Test
  void pathsThatOnlyLookLikeARoute_are404() throws Exception {
    for (String path : List.of("/patients;x=y", "/Patients/" + PATIENT, "/health/", "/HEALTH", "/patients/"
        + PATIENT + "/", "/files/a/b", "/pat%69ents/" + PATIENT, "/health%20")) {
      audit.clear();
      Answer a = send(get(path, "Authorization: Bearer " + token(), VIA_HTTPS));

      assertProblem(a, 404, "No such resource.");
      assertThat(theEvent().rule()).as(path).hasValue("route:unknown");
    }
    assertThat(served()).isEmpty();
  }

  @Test
  void headOptionsAndUnknownMethods_are405WithAllow_andAudited() throws Exception {
    for (String method : List.of("OPTIONS", "FOO", "get", "TRACE", "HEAD")) {
      audit.clear();
      Answer a = send(method + " /health HTTP/1.1", HOST, CLOSE, VIA_HTTPS);

      assertThat(a.status()).as(method).isEqualTo(405);
      assertThat(a.header("Allow")).hasValue("GET");
      if (!method.equals("HEAD")) {
        assertProblem(a, 405, "This method is not allowed here.");
      }
      AuditEvent e = theEvent();
      assertThat(e.rule()).hasValue("route:method");
      assertThat(e.subtype()).hasValue(method + ":unmatched");
    }
    assertThat(served()).isEmpty();
  }

  private List<String> post(String... more) {
    List<String> head = new ArrayList<>(List.of("POST /patients HTTP/1.1", HOST, CLOSE, VIA_HTTPS,
        "Authorization: Bearer " + token(), "Content-Type: application/json"));
    head.addAll(List.of(more));
    return head;
  }

  @Test
  void chunkedBodyOverTheLimit_is413BeforeTheApplication() throws Exception {
    ByteArrayOutputStream chunks = new ByteArrayOutputStream();
    for (int i = 0; i < 10; i++) {
      chunks.write(("400\r\n" + "a".repeat(1024) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    }
    chunks.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

    Answer a = send(post("Transfer-Encoding: chunked"), chunks.toByteArray());

    assertProblem(a, 413, "The request body is too large.");
    assertThat(theEvent().rule()).hasValue("limits:body");
    assertThat(served()).isEmpty();
  }

  @Test
  void bodyOnGet_is415() throws Exception {
    Answer a = send(get("/patients/" + PATIENT, "Authorization: Bearer " + token(), VIA_HTTPS,
        "Content-Type: application/json", "Content-Length: 2"), "{}".getBytes(StandardCharsets.US_ASCII));

    assertProblem(a, 415, "This resource accepts no request body.");
    assertThat(theEvent().rule()).hasValue("input:no-body-accepted");
    assertThat(served()).isEmpty();
  }

  @Test
  void expectContinue_refusedBeforeTheBody_andServedWithIt() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(20_000);
      socket.getOutputStream().write(("POST /patients HTTP/1.1\r\n" + HOST + "\r\n" + CLOSE + "\r\n" + VIA_HTTPS
          + "\r\nContent-Type: application/json\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      Answer a = read(socket.getInputStream(), false);

      assertProblem(a, 401, "Authentication is required.");
      assertThat(theEvent().rule()).hasValue("authn:missing");
    }
    audit.clear();
    Answer ok = send(post("Content-Length: 2", "Expect: 100-continue"), "{}".getBytes(StandardCharsets.US_ASCII));
    assertThat(ok.status()).as(ok.body()).isEqualTo(201);
    assertThat(theEvent().httpStatus()).hasValue(201);
  }

  @Test
  void contentDigestWithDuplicateUnknownOrMalformedMembers_is400() throws Exception {
    byte[] body = "{\"a\":1}".getBytes(StandardCharsets.US_ASCII);
    String right = DigestFields.fieldValue(body, DigestAlgorithm.SHA_256);
    String wrong = DigestFields.fieldValue("{}".getBytes(StandardCharsets.US_ASCII), DigestAlgorithm.SHA_256);
    String wrong512 = DigestFields.fieldValue("{}".getBytes(StandardCharsets.US_ASCII), DigestAlgorithm.SHA_512);
    for (List<String> digest : List.of(
        List.of("Content-Digest: " + right + ", " + wrong),
        List.of("Content-Digest: " + right, "Content-Digest: " + wrong),
        List.of("Content-Digest: " + right + ", " + wrong512),
        List.of("Content-Digest: md5=:" + Base64.getEncoder().encodeToString(new byte[16]) + ":"),
        List.of("Content-Digest: sha-256=" + right.substring(9, right.length() - 1)),
        List.of("Content-Digest: sha-256=:not base64:"),
        List.of("Content-Digest: " + right + ";x=\"unterminated"))) {
      audit.clear();
      List<String> head = post("Content-Length: " + body.length);
      head.addAll(digest);
      Answer a = send(head, body);

      assertThat(a.status()).as(digest.toString()).isEqualTo(400);
      assertProblem(a, 400, "\"detail\":");
      AuditEvent e = theEvent();
      assertThat(e.rule()).as(digest.toString()).hasValue("integrity:content-digest");
      assertThat(e.type()).isEqualTo("integrity");
    }
    assertThat(served()).isEmpty();
    audit.clear();
    List<String> head = post("Content-Length: " + body.length, "Content-Digest: " + right,
        "Repr-Digest: sha-256=:AAAA:");
    assertThat(send(head, body).status()).isEqualTo(201);
    assertThat(theEvent().httpStatus()).hasValue(201);
  }

  @Test
  void contentDigestOfABodyThatDidNotArrive_is400() throws Exception {
    // A body removed in transit (Content-Length: 0, or no body at all) with its Content-Digest left in place: the
    // digest, and a signature over it, still say what the body was.
    String digest = DigestFields.fieldValue("{\"a\":1}".getBytes(StandardCharsets.US_ASCII), DigestAlgorithm.SHA_256);
    for (List<String> head : List.of(post("Content-Length: 0", "Content-Digest: " + digest),
        post("Content-Digest: " + digest),
        get("/patients/" + PATIENT, VIA_HTTPS, "Authorization: Bearer " + token(), "Content-Digest: " + digest))) {
      audit.clear();
      Answer a = send(head);

      assertProblem(a, 400, "\"detail\":");
      AuditEvent e = theEvent();
      assertThat(e.rule()).as(head.get(0)).hasValue("integrity:content-digest");
      assertThat(e.type()).isEqualTo("integrity");
    }
    assertThat(served()).isEmpty();
    audit.clear();
    String empty = DigestFields.fieldValue(new byte[0], DigestAlgorithm.SHA_256);
    assertThat(send(get("/patients/" + PATIENT, VIA_HTTPS, "Authorization: Bearer " + token(),
        "Content-Digest: " + empty)).status()).as("the digest of no content matches no content").isEqualTo(200);
    assertThat(theEvent().httpStatus()).hasValue(200);
  }

  @Test
  void applicationThatThrows_evenAnError_is500WithAGenericProblem_andAudited() throws Exception {
    for (String path : List.of("/boom", "/boom-error")) {
      audit.clear();
      Answer a = send(get(path, "Authorization: Bearer " + token(), VIA_HTTPS));

      assertProblem(a, 500, "The request could not be completed.");
      assertThat(a.body()).doesNotContain("AssertionError", "IllegalStateException");
      AuditEvent e = theEvent();
      assertThat(e.rule()).as(path).hasValue("application:error");
      assertThat(e.outcome()).isEqualTo(AuditOutcome.SERIOUS_FAILURE);
    }
  }
}
