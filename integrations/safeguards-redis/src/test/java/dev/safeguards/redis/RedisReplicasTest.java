package dev.safeguards.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safeguards.Safeguards;
import dev.safeguards.access.AccessPolicy;
import dev.safeguards.audit.AuditEvent;
import dev.safeguards.authn.AccessGrant;
import dev.safeguards.authn.AccessTokenIssuer;
import dev.safeguards.authn.JwkSource;
import dev.safeguards.authn.LoginThrottle;
import dev.safeguards.authn.TokenPolicy;
import dev.safeguards.authn.TokenVerifier;
import dev.safeguards.conformance.CapturingAuditSink;
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
import dev.safeguards.session.SessionTracker;
import dev.safeguards.testing.MutableClock;
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
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Three replicas of one API (separate {@link Safeguards}, gates, token caches and Redis connections, each in its own
 * Jetty over HTTPS) sharing one real Redis server: logout, revocation, idle and absolute timeouts cross replicas,
 * within the stated bound; a Redis outage is answered with audited 503s and none served unchecked, and service resumes
 * by itself; a Redis restarted empty ends the sessions it forgot.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisReplicasTest {

  private static final String ISSUER = "https://idp.example";
  private static final String AUDIENCE = "clinic-api";
  private static final UserId ALICE = UserId.parse("0193b2c4-7f00-7000-8000-00000000a11c");
  private static final Duration IDLE = Duration.ofMinutes(5);
  private static final Duration ABSOLUTE = Duration.ofHours(1);

  private Path tmp;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-05T10:00:00Z"));
  private RedisServer redis;
  private TestTls tls;
  private AccessTokenIssuer issuer;
  private HttpClient client;
  private final List<Replica> replicas = new ArrayList<>();
  private int sessions;

  /** One replica: its own state connection, tracker, gate and container. */
  private record Replica(RedisState state, SessionTracker sessions, CapturingAuditSink audit, Server jetty, int port) {}

  @BeforeAll
  void start() throws Exception {
    tmp = java.nio.file.Files.createTempDirectory("replicas");
    redis = RedisServer.start(tmp);
    tls = TestTls.generate(tmp);
    KeyEncryptionKey kek = KeyEncryptionKey.generateMasterKeyFile(tmp.resolve("master.key"));
    SigningKeyset tokenKeys = SigningKeyset.create(ManagedKeyset.create(tmp.resolve("tokens.json"),
        KeyPurpose.TOKEN_SIGNING_ED25519, kek, clock));
    issuer = AccessTokenIssuer.builder(tokenKeys, ISSUER, AUDIENCE).clock(clock).build();
    for (int i = 0; i < 3; i++) {
      replicas.add(replica(tokenKeys));
    }
    client = HttpClient.newBuilder().sslContext(tls.clientContext()).connectTimeout(Duration.ofSeconds(10)).build();
  }

  private Replica replica(SigningKeyset tokenKeys) throws Exception {
    RedisState state = RedisState.builder(redis.uri()).keyPrefix("clinic").commandTimeout(Duration.ofMillis(250))
        .clock(clock).connect();
    TokenVerifier tokens = TokenVerifier.create(TokenPolicy.builder(ISSUER, AUDIENCE,
        JwkSource.of(tokenKeys.publicJwks())).clock(clock).requireMfa().revocations(state.revocations()).build());
    SessionTracker tracker = SessionTracker.create(new SessionPolicy(IDLE, ABSOLUTE), state.sessions(),
        state.revocations(), clock);
    CapturingAuditSink audit = new CapturingAuditSink();
    Safeguards safeguards = Safeguards.builder().tokens(tokens).sessions(tracker)
        .access(AccessPolicy.builder().role("clinician", "patient:read").build())
        .routes(Routes.of(Route.publicRoute("GET", "/health"), Route.protect("GET", "/patients", "patient:read"),
            Route.logout("POST", "/logout")))
        .audit(audit).clock(clock).build();
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
        res.setContentType("text/plain");
        res.getOutputStream().write("ok".getBytes(StandardCharsets.UTF_8));
      }
    }), "/*");
    jetty.setHandler(context);
    jetty.start();
    return new Replica(state, tracker, audit, jetty, https.getLocalPort());
  }

  @AfterAll
  void stop() throws Exception {
    for (Replica r : replicas) {
      r.jetty().stop();
      r.state().close();
    }
    redis.close();
  }

  @BeforeEach
  void forget() {
    replicas.forEach(r -> r.audit().clear());
  }

  @AfterEach
  void redisRunning() throws Exception {
    if (!redisUp) {
      redis.start();
      redisUp = true;
      // the next test starts once every replica answers again (a test that failed midway did not wait)
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      for (int i = 0; i < replicas.size(); i++) {
        String token = token();
        while (status(i, token) != 200) {
          assertThat(System.nanoTime()).as("replica %d answers again", i).isLessThan(deadline);
          Thread.onSpinWait();
        }
      }
    }
  }

  private boolean redisUp = true;

  private String token() {
    return token("s" + (++sessions), clock.instant());
  }

  /** A token of session {@code sid}, whose user authenticated at {@code authenticatedAt}, issued now. */
  private String token(String sid, Instant authenticatedAt) {
    return issuer.issue(new AccessGrant(ALICE, Set.of("clinician"), Set.of(), Set.of("pwd", "otp"), authenticatedAt,
        sid, Optional.of("web")));
  }

  private HttpResponse<String> send(int replica, String method, String path, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + replicas.get(replica).port()
        + path)).timeout(Duration.ofSeconds(30)).method(method, HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private int status(int replica, String token) throws Exception {
    return send(replica, "GET", "/patients", token).statusCode();
  }

  /** How long, in real time, until {@code replica} refuses {@code token}; fails past {@code limit}. */
  private Duration untilRefused(int replica, String token, Duration limit) throws Exception {
    long start = System.nanoTime();
    while (status(replica, token) == 200) {
      Duration waited = Duration.ofNanos(System.nanoTime() - start);
      assertThat(waited).as("refused within %s", limit).isLessThan(limit);
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  /** How many lines RedisState logged at {@code level}. */
  private static long stateLog(String level) {
    return dev.safeguards.testing.CapturedLogs.lines().stream()
        .filter(l -> l.startsWith(level + " dev.safeguards.redis.RedisState:")).count();
  }

  @Test
  void logoutOnOneReplica_isRefusedOnTheOthers_withinTheBound() throws Exception {
    String token = token();
    assertThat(status(0, token)).isEqualTo(200);
    assertThat(status(1, token)).isEqualTo(200); // verified and cached on B
    assertThat(status(2, token)).isEqualTo(200);

    assertThat(send(0, "POST", "/logout", token).statusCode()).isEqualTo(204);

    Duration bound = replicas.get(1).state().revocationBound();
    untilRefused(1, token, bound);
    untilRefused(2, token, bound);
    HttpResponse<String> r = send(1, "GET", "/patients", token);
    assertThat(r.statusCode()).isEqualTo(401);
  }

  @Test
  void anAdministratorsRevocationOnOneReplica_refusesTheCachedTokenOnTheOthers_withinTheBound() throws Exception {
    String token = token();
    assertThat(status(1, token)).isEqualTo(200);
    assertThat(status(2, token)).isEqualTo(200);

    replicas.get(0).sessions().revoke("sid:s" + sessions, clock.instant());

    untilRefused(1, token, replicas.get(1).state().revocationBound());
    untilRefused(2, token, replicas.get(2).state().revocationBound());
  }

  @Test
  void activityOnAnyReplica_keepsTheSessionAlive_andIdlenessEndsItOnAll() throws Exception {
    String sid = "s" + (++sessions);
    Instant login = clock.instant();
    String token = null;
    for (int i = 0; i < 12; i++) { // 12 requests 4 minutes apart, round robin: 48 minutes with a 5-minute idle timeout
      token = token(sid, login); // access tokens are short-lived: the client refreshes them, the session goes on
      assertThat(status(i % 3, token)).as("request %d", i).isEqualTo(200);
      clock.advance(Duration.ofMinutes(4));
    }
    clock.advance(Duration.ofMinutes(1)); // 5 minutes since the last request
    token = token(sid, login);

    HttpResponse<String> r = send(1, "GET", "/patients", token);
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(replicas.get(1).audit().events()).last().extracting(AuditEvent::rule)
        .isEqualTo(Optional.of("session:idle_timeout"));
    assertThat(status(0, token)).isEqualTo(401);
    assertThat(status(2, token)).isEqualTo(401);
  }

  @Test
  void theAbsoluteLifetimeEndsTheSessionOnEveryReplica_howeverActive() throws Exception {
    String sid = "s" + (++sessions);
    Instant login = clock.instant();
    int i = 0;
    while (clock.instant().isBefore(login.plus(ABSOLUTE))) {
      assertThat(status(i % 3, token(sid, login))).as("request %d", i).isEqualTo(200);
      clock.advance(Duration.ofMinutes(4));
      i++;
    }
    for (int replica = 0; replica < 3; replica++) {
      HttpResponse<String> r = send(replica, "GET", "/patients", token(sid, login));
      assertThat(r.statusCode()).isEqualTo(401);
      assertThat(replicas.get(replica).audit().events()).last().extracting(AuditEvent::rule)
          .isEqualTo(Optional.of("session:absolute_timeout"));
    }
  }

  @Test
  void aProtectedRequest_costsAtMostOneRedisRoundTrip_andNoneWithinTheResolution() throws Exception {
    String token = token();
    for (int replica = 0; replica < 3; replica++) {
      assertThat(status(replica, token)).isEqualTo(200); // each replica asks Redis about the session once
    }
    java.util.Map<String, Long> before = commandCalls();

    int requests = 300;
    for (int i = 0; i < requests; i++) { // the clock stands still: all within the resolution of the last round trip
      assertThat(status(i % 3, token)).isEqualTo(200);
    }
    java.util.Map<String, Long> within = commandCalls();
    clock.advance(Duration.ofSeconds(3)); // SessionTracker's resolution for IDLE: max(1 s, 1% of 5 minutes)
    for (int replica = 0; replica < 3; replica++) {
      assertThat(status(replica, token)).isEqualTo(200);
    }
    java.util.Map<String, Long> after = commandCalls();

    assertThat(within.getOrDefault("evalsha", 0L) - before.getOrDefault("evalsha", 0L))
        .as("round trips for %d requests within the resolution", requests).isZero();
    assertThat(after.get("evalsha") - within.getOrDefault("evalsha", 0L)).as("one per replica after it").isEqualTo(3);
    java.util.Set<String> used = new java.util.TreeSet<>();
    after.forEach((command, calls) -> {
      if (calls > before.getOrDefault(command, 0L)) {
        used.add(command);
      }
    });
    // the server counts the commands a script runs too (hmget, get, hset, pexpire, pttl); the revocation polls' get
    // (and zrangebyscore after a change) run on a timer; info is this test's
    assertThat(used).isSubsetOf("evalsha", "hmget", "get", "hset", "pexpire", "pttl", "zrangebyscore", "info");
  }

  /** Calls of each command so far, from the server's own statistics. */
  private java.util.Map<String, Long> commandCalls() {
    String info = replicas.get(0).state().call(c -> c.info("commandstats"));
    java.util.Map<String, Long> calls = new java.util.HashMap<>();
    for (String line : info.split("\r?\n")) {
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("^cmdstat_([a-z|]+):calls=(\\d+),").matcher(line);
      if (m.find()) {
        calls.put(m.group(1), Long.parseLong(m.group(2)));
      }
    }
    return calls;
  }

  @Test
  void theComplianceEvidence_namesTheStateBackendAndItsSettings() {
    java.util.SortedMap<String, Object> settings = replicas.get(0).sessions().evidence().settings();

    assertThat(settings.get("store").toString()).startsWith("RedisSessionStore (Redis at redis://127.0.0.1:")
        .contains("key prefix clinic", "command timeout PT0.25S", "revocation bound PT1S");
    assertThat(settings.get("revocationList").toString()).startsWith("RedisRevocationList (Redis at");
  }

  @Test
  void failuresSpreadOverReplicas_blockTheAccountAfterTheConfiguredCount() {
    List<LoginThrottle> throttles = replicas.stream().map(r -> LoginThrottle.builder(r.state().throttle())
        .perAccount(3, 10).clock(clock).build()).toList();
    for (int i = 0; i < 2; i++) {
      assertThat(throttles.get(i % 3).attempt("mallory", "192.0.2." + i).allowed()).isTrue();
    }
    assertThat(throttles.get(2).attempt("mallory", "192.0.2.2").allowed()).isTrue(); // the third, on the third

    for (LoginThrottle t : throttles) {
      assertThat(t.attempt("mallory", "192.0.2.9").allowed()).as("blocked on every replica").isFalse();
    }
  }

  @Test
  void redisStoppedMidLoad_isAnsweredWithAudited503s_noneServedUnchecked_andServiceResumesByItself()
      throws Exception {
    String token = token();
    assertThat(status(0, token)).isEqualTo(200);

    dev.safeguards.testing.CapturedLogs.clear();
    redis.stop();
    redisUp = false;
    int unavailable = 0;
    for (int i = 0; i < 30; i++) {
      HttpResponse<String> r = send(i % 3, "GET", "/patients", token);
      assertThat(r.statusCode()).as("request %d while Redis is down", i).isIn(200, 503);
      if (r.statusCode() == 503) {
        unavailable++;
        assertThat(r.headers().firstValue("Retry-After")).hasValue("5");
      }
    }
    assertThat(unavailable).isGreaterThan(0);
    assertThat(send(0, "GET", "/health", null).statusCode()).as("public routes need no state").isEqualTo(200);
    // A replica that has not seen the session asks Redis at once and is refused after the token was accepted: the
    // refusal names the caller. Once the revocation bound has passed without a poll (a slow machine), the token's
    // revocation check refuses too, before the caller is known: those refusals are audited without a user.
    assertThat(replicas.stream().flatMap(r -> r.audit().events().stream())
        .filter(e -> e.rule().equals(Optional.of("state:unavailable")))
        .anyMatch(e -> e.actor().user().isPresent())).as("audited with the caller").isTrue();
    long refused = replicas.stream().flatMap(r -> r.audit().events().stream())
        .filter(e -> e.rule().equals(Optional.of("state:unavailable"))).count();
    assertThat(refused).as("every refusal audited").isEqualTo(unavailable);

    clock.advance(Duration.ofSeconds(1));
    redis.start(); // empty
    redisUp = true;
    String fresh = token();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    for (int replica = 0; replica < 3; replica++) {
      while (status(replica, fresh) != 200) {
        assertThat(System.nanoTime()).as("replica %d resumes by itself", replica).isLessThan(deadline);
      }
    }
    while (stateLog("WARN") < 3) { // each replica counts Redis as back once it answered for a second
      assertThat(System.nanoTime()).as("every replica logs the recovery").isLessThan(deadline);
      status(0, fresh); // the replicas' revocation polls confirm their lists meanwhile
    }
    assertThat(stateLog("ERROR")).as("the outage logged once per replica, not per request").isEqualTo(3);
    assertThat(stateLog("WARN")).as("and the recovery").isEqualTo(3);
    HttpResponse<String> old = send(1, "GET", "/patients", token);
    assertThat(old.statusCode()).as("a session Redis forgot ends, never starts again").isEqualTo(401);
    assertThat(replicas.get(1).audit().events()).last().extracting(AuditEvent::rule)
        .isEqualTo(Optional.of("session:state_lost"));
  }
}
