package dev.safeguards.benchmarks;

import dev.safeguards.Safeguards;
import dev.safeguards.access.AccessPolicy;
import dev.safeguards.audit.AuditEvent;
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
import dev.safeguards.crypto.KeyPurpose;
import dev.safeguards.crypto.SigningKeyset;
import dev.safeguards.gate.Exchange;
import dev.safeguards.gate.Gate;
import dev.safeguards.gate.Outcome;
import dev.safeguards.gate.GateRequest;
import dev.safeguards.http.HttpFields;
import dev.safeguards.gate.Route;
import dev.safeguards.gate.Routes;
import dev.safeguards.identity.UserId;
import dev.safeguards.session.SessionPolicy;
import dev.safeguards.session.SessionStore;
import dev.safeguards.session.SessionTracker;
import dev.safeguards.transport.TransportPolicy;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The whole gate for one request, without HTTP: {@code Gate.enter} and {@code Gate.exit} as an adapter calls them, for
 * the request {@code http-overhead.sh} sends to {@code /secured} (an EdDSA token from one of 16 users, MFA required,
 * session tracking, a role check, the route inventory). Not a ratio: it tells how many microseconds of the HTTP
 * overhead are the gate's own, and how many of those are the audit event. {@code audit}: {@code none} (a sink that
 * drops events; never do this outside a benchmark), or {@code log} (the tamper-evident log, written by the request's
 * thread, acknowledged before sync: no fsync is measured).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class GateBenchmark {

  @Param({"none", "log"})
  String audit;

  private Keys keys;
  private AuditSink sink;
  private Gate gate;
  private final List<GateRequest> requests = new ArrayList<>();
  private final byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.US_ASCII);
  private int next;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    keys = new Keys();
    SigningKeyset tokenKeys = SigningKeyset.create(keys.keyset("tokens.json", KeyPurpose.TOKEN_SIGNING_ED25519));
    SigningKeyset auditKeys = SigningKeyset.create(keys.keyset("audit.json", KeyPurpose.RECORD_SIGNING_ED25519));
    AccessTokenIssuer issuer = AccessTokenIssuer.builder(tokenKeys, "https://idp.example", "api")
        .lifetime(Duration.ofMinutes(10)).clock(keys.clock).build();
    RevocationList revoked = RevocationList.inMemory(1000, keys.clock);
    TokenVerifier tokens = TokenVerifier.create(TokenPolicy.builder("https://idp.example", "api",
            JwkSource.of(tokenKeys.publicJwks()))
        .algorithms(JwsAlgorithm.EDDSA).requireMfa().revocations(revoked).clock(keys.clock).build());
    sink = audit.equals("log")
        ? TamperEvidentAuditLog.builder(keys.dir.resolve("audit"), auditKeys).clock(keys.clock)
            .acknowledgeBeforeSync().open()
        : new AuditSink() {
          @Override
          public void record(AuditEvent event) {}
        };
    gate = Safeguards.builder()
        .tokens(tokens)
        .sessions(SessionTracker.create(SessionPolicy.DEFAULT, SessionStore.inMemory(1000, keys.clock), revoked,
            keys.clock))
        .access(AccessPolicy.builder().role("reader", "bench:read").build())
        .routes(Routes.of(Route.protect("GET", "/secured", "bench:read")))
        .audit(sink)
        .acceptWeakness(Weakness.AUDIT_NOT_DURABLE, "benchmark")
        .transport(TransportPolicy.builder().allowPlainHttpForLoopback().build())
        .clock(keys.clock)
        .build()
        .gate();
    for (int i = 0; i < 16; i++) {
      String token = issuer.issue(new AccessGrant(new UserId(UUID.randomUUID()), Set.of("reader"), Set.of(),
          Set.of("pwd", "otp"), keys.clock.instant(), UUID.randomUUID().toString(), Optional.empty()));
      HttpFields headers = HttpFields.builder().add("Host", "127.0.0.1:18080")
          .add("Authorization", "Bearer " + token).build();
      requests.add(new GateRequest("GET", "/secured", false, "127.0.0.1", "127.0.0.1:18080/secured", headers,
          Optional.empty()));
    }
    if (!(request() instanceof Outcome.Proceed)) {
      throw new IllegalStateException("the benchmark request was not let through and audited");
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    sink.close();
    keys.close();
  }

  @Benchmark
  public Outcome request() {
    Exchange exchange = gate.enter(requests.get(next++ & 15), new ByteArrayInputStream(new byte[0]));
    if (exchange.outcome() instanceof Outcome.Respond refused) {
      throw new IllegalStateException("refused: " + refused.status());
    }
    return gate.exit(exchange, 200, false, body);
  }
}
