package dev.safeguards.benchmarks.http;

import com.nimbusds.jose.JWSAlgorithm;
import dev.safeguards.Safeguards;
import dev.safeguards.access.AccessPolicy;
import dev.safeguards.audit.AsyncAuditSink;
import dev.safeguards.audit.AuditEvent;
import dev.safeguards.audit.AuditException;
import dev.safeguards.audit.AuditSink;
import dev.safeguards.audit.TamperEvidentAuditLog;
import dev.safeguards.authn.AccessGrant;
import dev.safeguards.authn.AccessTokenIssuer;
import dev.safeguards.authn.JwkSource;
import dev.safeguards.authn.JwsAlgorithm;
import dev.safeguards.authn.RevocationList;
import dev.safeguards.authn.TokenPolicy;
import dev.safeguards.authn.TokenVerifier;
import dev.safeguards.compliance.Weakness;
import dev.safeguards.crypto.KeyEncryptionKey;
import dev.safeguards.crypto.KeyPurpose;
import dev.safeguards.crypto.ManagedKeyset;
import dev.safeguards.crypto.SigningKeyset;
import dev.safeguards.gate.Route;
import dev.safeguards.gate.Routes;
import dev.safeguards.identity.UserId;
import dev.safeguards.postgresql.ClinicDatabase;
import dev.safeguards.postgresql.PostgresAuditLog;
import dev.safeguards.postgresql.PostgresState;
import dev.safeguards.redis.RedisState;
import dev.safeguards.servlet.SafeguardsFilter;
import dev.safeguards.session.SessionPolicy;
import dev.safeguards.session.SessionStore;
import dev.safeguards.session.SessionTracker;
import dev.safeguards.transport.TransportPolicy;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.springframework.security.oauth2.jwt.JwtDecoder;

/**
 * The server of the HTTP overhead benchmark (benchmarks/http-overhead.sh): one embedded Jetty 12 on 127.0.0.1 that
 * serves the same small JSON response at three paths, so that one load generator measures what each layer adds.
 *
 * <ul>
 *   <li>{@code /bare}: the servlet alone.
 *   <li>{@code /noop-chain}: the servlet behind {@value #NOOP_FILTERS} filters that only call {@code chain.doFilter}:
 *       the container's own per-filter cost.
 *   <li>{@code /secured}: the servlet behind {@link SafeguardsFilter} with the full gate: a real token verifier
 *       (EdDSA or HS256, MFA required, revocation list), session tracking, an access policy, the route inventory,
 *       an {@link AsyncAuditSink} over a {@link TamperEvidentAuditLog}, and the transport policy's response headers.
 *   <li>{@code /spring-security}: the peer (issue 21): the servlet behind Spring Security's OAuth2 resource server,
 *       verifying the same tokens and checking one role, nothing else ({@link SpringSecurityPeer}).
 * </ul>
 *
 * <p><b>Plain HTTP on loopback, on purpose.</b> TLS is not what this benchmark measures (its cost is the same with or
 * without the gate), so all three paths are served over plain HTTP through the named opt-in {@link
 * TransportPolicy.Builder#allowPlainHttpForLoopback()}. Consequence: the gate sends no {@code Strict-Transport-Security}
 * header here (it only sends HSTS over HTTPS), though the policy's HSTS setting is the default one.
 *
 * <p>Usage: {@code OverheadServer PORT TOKEN_FILE [eddsa|es256|hs256] [USERS] [durable|os-buffered|none] [cache|no-cache]}; with
 * {@code cache} (the default, as in the library), the verifier keeps verified tokens ({@code
 * TokenPolicy.cacheVerifiedTokens}); {@code no-cache} verifies every token in full. Keys are generated at
 * start-up in a temporary directory, which also holds the audit log and is deleted on exit. {@code USERS} access
 * tokens (default 16), one per user and session, are written to {@code TOKEN_FILE}, one per line, and re-minted every
 * {@value #REMINT_MINUTES} minutes (tokens live {@value #TOKEN_MINUTES} minutes, and the verifier accepts none older
 * than 15): the load generator must re-read the file before each run, and no run may last over ten minutes. The fifth
 * argument says whether the audit log behind the queue syncs each batch it is handed ({@code durable}, the library's
 * default) or acknowledges once the OS has it ({@code os-buffered}, {@code acknowledgeBeforeSync()}); {@code none} drops
 * every event, only to tell the audit record's share of the overhead. A line starting
 * with {@code ready} on stdout says the server accepts requests.
 */
public final class OverheadServer {

  static final int NOOP_FILTERS = 3;
  static final int TOKEN_MINUTES = 15;
  static final int REMINT_MINUTES = 4;

  private static final String ISSUER = "https://idp.bench.example";
  private static final String AUDIENCE = "overhead-bench";
  private static final byte[] BODY = "{\"status\":\"ok\",\"items\":[1,2,3]}".getBytes(StandardCharsets.US_ASCII);

  private OverheadServer() {}

  /** The application: the same tiny JSON response on every path. */
  @SuppressWarnings("serial")
  public static final class Ok extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      resp.setContentType("application/json");
      resp.setContentLength(BODY.length);
      resp.getOutputStream().write(BODY);
    }
  }

  /** A filter that does nothing but pass the request on. */
  public static final class Noop implements Filter {
    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
        throws IOException, ServletException {
      chain.doFilter(request, response);
    }
  }

  /** Makes access tokens for the users of the benchmark. */
  private interface Minter {
    String mint(UserId user, String sessionId, Instant now);
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println(
          "usage: OverheadServer PORT TOKEN_FILE [eddsa|es256|hs256] [USERS] [durable|os-buffered|none] [cache|no-cache]");
      System.exit(2);
    }
    int port = Integer.parseInt(args[0]);
    Path tokenFile = Path.of(args[1]).toAbsolutePath();
    String mode = args.length > 2 ? args[2].toLowerCase(Locale.ROOT) : "eddsa";
    int users = args.length > 3 ? Integer.parseInt(args[3]) : 16;
    String auditMode = args.length > 4 ? args[4].toLowerCase(Locale.ROOT) : "durable";
    // TokenPolicy.cacheVerifiedTokens (on by default): a repeated token costs one SHA-256 and a few lookups instead of
    // a parse and a signature check; no-cache turns it off.
    boolean cache = args.length <= 5 || !args[5].equalsIgnoreCase("no-cache");
    if (!List.of("eddsa", "es256", "hs256").contains(mode)) {
      throw new IllegalArgumentException("token mode is eddsa, es256 or hs256");
    }
    if (!List.of("durable", "os-buffered", "none").contains(auditMode)) {
      throw new IllegalArgumentException("audit mode is durable, os-buffered or none");
    }
    if (users < 1 || users > 10_000) {
      throw new IllegalArgumentException("USERS is between 1 and 10000");
    }
    Clock clock = Clock.systemUTC();
    Path dir = Files.createTempDirectory("safeguards-overhead-");

    // Keys, generated at start-up and sealed under a fresh master key, as in examples/servlet-minimal.
    KeyEncryptionKey kek = KeyEncryptionKey.generateMasterKeyFile(dir.resolve("master.key"));
    SigningKeyset auditKeys = SigningKeyset.create(ManagedKeyset.openOrCreate(dir.resolve("audit.keyset.json"),
        KeyPurpose.RECORD_SIGNING_ED25519, kek, clock));
    RevocationList revoked = RevocationList.inMemory(100_000, clock);
    TokenPolicy.Builder tokenPolicy;
    Minter minter;
    JwtDecoder peerDecoder; // /spring-security: the same tokens, verified by Spring Security
    if (!mode.equals("hs256")) {
      boolean ed25519 = mode.equals("eddsa");
      SigningKeyset tokenKeys = SigningKeyset.create(ManagedKeyset.openOrCreate(dir.resolve("tokens.keyset.json"),
          ed25519 ? KeyPurpose.TOKEN_SIGNING_ED25519 : KeyPurpose.TOKEN_SIGNING_P256, kek, clock));
      AccessTokenIssuer issuer = AccessTokenIssuer.builder(tokenKeys, ISSUER, AUDIENCE)
          .lifetime(Duration.ofMinutes(TOKEN_MINUTES)).clock(clock).build();
      minter = (user, sid, now) -> issuer.issue(new AccessGrant(user, Set.of("reader"), Set.of(), Set.of("pwd", "otp"),
          now, sid, Optional.empty()));
      tokenPolicy = TokenPolicy.builder(ISSUER, AUDIENCE, JwkSource.of(tokenKeys.publicJwks()))
          .algorithms(ed25519 ? JwsAlgorithm.EDDSA : JwsAlgorithm.ES256);
      // Spring Security's stock JWT decoder has no EdDSA (Nimbus selects no key for it): no peer in that mode
      peerDecoder = ed25519 ? null
          : SpringSecurityPeer.decoder(tokenKeys.publicJwks(), JWSAlgorithm.ES256, ISSUER, AUDIENCE);
    } else {
      // AccessTokenIssuer signs with EdDSA or ES256 only: HS256 tokens with the same claims are made here with the
      // JDK's HMAC, independently of the jjwt code that verifies them.
      byte[] secret = new byte[32];
      new SecureRandom().nextBytes(secret);
      String kid = "bench-hs256";
      String jwks = "{\"keys\":[{\"kty\":\"oct\",\"kid\":\"" + kid + "\",\"alg\":\"HS256\",\"use\":\"sig\",\"k\":\""
          + base64Url(secret) + "\"}]}";
      SecretKeySpec key = new SecretKeySpec(secret, "HmacSHA256");
      String header = base64Url("{\"alg\":\"HS256\",\"kid\":\"" + kid + "\",\"typ\":\"at+jwt\"}");
      minter = (user, sid, now) -> {
        long iat = now.getEpochSecond();
        String claims = "{\"iss\":\"" + ISSUER + "\",\"sub\":\"" + user + "\",\"aud\":\"" + AUDIENCE + "\",\"iat\":" + iat
            + ",\"exp\":" + (iat + TOKEN_MINUTES * 60L) + ",\"jti\":\"" + UUID.randomUUID() + "\",\"sid\":\"" + sid
            + "\",\"auth_time\":" + iat + ",\"amr\":[\"otp\",\"pwd\"],\"roles\":[\"reader\"]}";
        String input = header + "." + base64Url(claims);
        try {
          Mac mac = Mac.getInstance("HmacSHA256");
          mac.init(key);
          return input + "." + base64Url(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
          throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
      };
      tokenPolicy = TokenPolicy.builder(ISSUER, AUDIENCE, JwkSource.ofIncludingSharedSecrets(jwks))
          .allowHmacAlgorithmsWithSharedSecrets().algorithms(JwsAlgorithm.HS256);
      peerDecoder = SpringSecurityPeer.decoder(jwks, JWSAlgorithm.HS256, ISSUER, AUDIENCE);
    }
    if (!cache) {
      tokenPolicy.cacheVerifiedTokens(0);
    }
    TokenVerifier tokens = TokenVerifier.create(tokenPolicy.requireMfa().revocations(revoked).clock(clock).build());
    // STATE=redis in http-overhead.sh: /secured-redis is /secured with its sessions and revocations on Redis.
    String redisUri = System.getenv("SAFEGUARDS_BENCH_REDIS_URI");
    RedisState redis = redisUri == null ? null
        : RedisState.builder(redisUri).keyPrefix("overhead").clock(clock).connect();
    TokenVerifier redisTokens = redis == null ? null
        : TokenVerifier.create(tokenPolicy.revocations(redis.revocations()).build());

    AuditSink audit = auditSink(auditMode, dir.resolve("audit"), auditKeys, clock);
    Safeguards safeguards = secured(tokens, SessionTracker.create(SessionPolicy.DEFAULT,
        SessionStore.inMemory(100_000, clock), revoked, clock), "/secured", audit, clock);
    Safeguards onRedis = redis == null ? null : secured(redisTokens, SessionTracker.create(SessionPolicy.DEFAULT,
        redis.sessions(), redis.revocations(), clock), "/secured-redis", audit, clock);
    // STATE=cluster: /secured-cluster is /secured as one replica of a cluster runs it: sessions and revocations on
    // Redis (a key prefix of its own), the audit log in PostgreSQL (a server started here from the binaries artifact),
    // behind the same asynchronous queue.
    Cluster cluster = redis != null && System.getenv("SAFEGUARDS_BENCH_POSTGRES") != null
        ? Cluster.start(redisUri, tokenPolicy, auditKeys, clock) : null;

    List<UserId> userIds = new ArrayList<>();
    for (int i = 0; i < users; i++) {
      userIds.add(new UserId(UUID.randomUUID()));
    }
    writeTokens(tokenFile, userIds, minter, clock);
    ScheduledExecutorService remint = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "token-remint");
      t.setDaemon(true);
      return t;
    });
    remint.scheduleWithFixedDelay(() -> writeTokens(tokenFile, userIds, minter, clock), REMINT_MINUTES,
        REMINT_MINUTES, TimeUnit.MINUTES);

    Server server = new Server();
    // Jetty caches header fields per connection (1 KiB by default). Each wrk connection cycles through all the users'
    // tokens, so the cache filled and was cleared on nearly every request: ~45% of the server's CPU on every path, a
    // cost a real client (one token per connection) would not cause. Off, so the baseline is not inflated.
    HttpConfiguration http = new HttpConfiguration();
    http.setHeaderCacheSize(0);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    EnumSet<DispatcherType> request = EnumSet.of(DispatcherType.REQUEST);
    for (int i = 0; i < NOOP_FILTERS; i++) {
      context.addFilter(new FilterHolder(new Noop()), "/noop-chain", request);
    }
    context.addFilter(new FilterHolder(SafeguardsFilter.create(safeguards)), "/secured", request);
    ServletHolder ok = new ServletHolder(new Ok());
    context.getServletHandler().addServletWithMapping(ok, "/bare");
    context.getServletHandler().addServletWithMapping(ok, "/noop-chain");
    context.getServletHandler().addServletWithMapping(ok, "/secured");
    if (peerDecoder != null) {
      context.addFilter(new FilterHolder(SpringSecurityPeer.filter(peerDecoder, "reader")), "/spring-security",
          request);
      context.getServletHandler().addServletWithMapping(ok, "/spring-security");
    }
    if (onRedis != null) {
      context.addFilter(new FilterHolder(SafeguardsFilter.create(onRedis)), "/secured-redis", request);
      context.getServletHandler().addServletWithMapping(ok, "/secured-redis");
    }
    if (cluster != null) {
      context.addFilter(new FilterHolder(SafeguardsFilter.create(cluster.safeguards())), "/secured-cluster", request);
      context.getServletHandler().addServletWithMapping(ok, "/secured-cluster");
    }
    server.setHandler(context);
    server.setStopAtShutdown(false);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      shutDown(server, remint, audit, dir);
      if (cluster != null) {
        cluster.close();
      }
    }, "overhead-stop"));
    server.start();
    System.out.println("ready " + mode + " http://127.0.0.1:" + port + " users=" + users + " token-cache=" + cache
        + " audit=" + (auditMode.equals("none") ? "none" : "async+" + auditMode)
        + (redis == null ? "" : " state=memory+redis(" + redis.endpoint() + ")")
        + (cluster == null ? "" : " cluster=redis+postgresql(" + cluster.database() + ")")
        + " tokens=" + tokenFile);
    System.out.flush();
    server.join();
  }

  /** The state and audit log of /secured-cluster, and the PostgreSQL server it started. */
  private record Cluster(Safeguards safeguards, RedisState redis, ClinicDatabase db, PostgresState state,
      AuditSink audit) implements AutoCloseable {

    static Cluster start(String redisUri, TokenPolicy.Builder tokenPolicy, SigningKeyset auditKeys, Clock clock)
        throws Exception {
      RedisState redis = RedisState.builder(redisUri).keyPrefix("overhead-cluster").clock(clock).connect();
      ClinicDatabase db = ClinicDatabase.start();
      PostgresState state = db.state().clock(clock).connect();
      AuditSink audit = AsyncAuditSink.builder(PostgresAuditLog.builder(state, "bench.example/audit", auditKeys)
          .clock(clock).open()).build();
      TokenVerifier tokens = TokenVerifier.create(tokenPolicy.revocations(redis.revocations()).build());
      Safeguards safeguards = secured(tokens, SessionTracker.create(SessionPolicy.DEFAULT, redis.sessions(),
          redis.revocations(), clock), "/secured-cluster", audit, clock);
      return new Cluster(safeguards, redis, db, state, audit);
    }

    String database() {
      return state.endpoint();
    }

    @Override
    public void close() {
      try {
        audit.close();
      } catch (AuditException e) {
        System.err.println("closing the PostgreSQL audit log: " + e.getMessage());
      }
      state.close();
      redis.close();
      db.close();
    }
  }

  /** The gate of {@code path}: the same safeguards on every protected path, but for where their state lives. */
  private static Safeguards secured(TokenVerifier tokens, SessionTracker sessions, String path, AuditSink audit,
      Clock clock) {
    return Safeguards.builder()
        .tokens(tokens)
        .sessions(sessions)
        .access(AccessPolicy.builder().role("reader", "bench:read").build())
        .routes(Routes.of(Route.protect("GET", path, "bench:read")))
        .audit(audit)
        .acceptWeakness(Weakness.AUDIT_NOT_DURABLE, "benchmark: asynchronous audit")
        // TLS is not measured here (see the class comment): plain HTTP, and only from 127.0.0.1. HSTS stays default.
        .transport(TransportPolicy.builder().allowPlainHttpForLoopback().build())
        .clock(clock)
        .build();
  }

  /** The queue over the log, durable or not; for {@code none}, a sink that drops events (never outside a benchmark). */
  private static AuditSink auditSink(String mode, Path dir, SigningKeyset keys, Clock clock) throws AuditException {
    if (mode.equals("none")) {
      return new AuditSink() {
        @Override
        public void record(AuditEvent event) {}
      };
    }
    TamperEvidentAuditLog.Builder log = TamperEvidentAuditLog.builder(dir, keys).clock(clock);
    if (mode.equals("os-buffered")) {
      log.acknowledgeBeforeSync();
    }
    return AsyncAuditSink.builder(log.open()).build();
  }

  private static String base64Url(String text) {
    return base64Url(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String base64Url(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Re-mints one token per user (a fresh session each time), replacing the file in one atomic move. */
  private static void writeTokens(Path file, List<UserId> users, Minter minter, Clock clock) {
    Instant now = clock.instant();
    StringBuilder out = new StringBuilder();
    for (UserId user : users) {
      out.append(minter.mint(user, UUID.randomUUID().toString(), now)).append('\n');
    }
    try {
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, out);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void shutDown(Server server, ScheduledExecutorService remint, AuditSink audit, Path dir) {
    remint.shutdownNow();
    try {
      server.stop();
    } catch (Exception e) {
      System.err.println("stopping Jetty: " + e);
    }
    try {
      audit.close(); // drains the queue, signs a last checkpoint
    } catch (AuditException e) {
      System.err.println("closing the audit log: " + e.getMessage());
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("could not delete " + dir);
    }
  }
}
