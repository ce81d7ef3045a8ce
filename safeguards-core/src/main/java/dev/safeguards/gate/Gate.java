package dev.safeguards.gate;

import dev.safeguards.StateUnavailableException;
import dev.safeguards.audit.AuditAction;
import dev.safeguards.audit.AuditActor;
import dev.safeguards.audit.AuditEntity;
import dev.safeguards.audit.AuditEvent;
import dev.safeguards.audit.AuditEvents;
import dev.safeguards.audit.AuditException;
import dev.safeguards.audit.AuditOutcome;
import dev.safeguards.audit.AuditSink;
import dev.safeguards.access.AccessPolicy;
import dev.safeguards.authn.TokenVerifier;
import dev.safeguards.compliance.Evidence;
import dev.safeguards.compliance.SelfCheck;
import dev.safeguards.compliance.Specification;
import dev.safeguards.compliance.Status;
import dev.safeguards.compliance.Weakness;
import dev.safeguards.integrity.HttpMessageVerifier;
import dev.safeguards.session.SessionTracker;
import dev.safeguards.transport.RequestLimits;
import dev.safeguards.transport.TransportPolicy;
import dev.safeguards.http.Problem;
import dev.safeguards.identity.UuidV7Generator;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request flow every adapter runs, in one place (164.312(a)-(e)), one step after the other: transport, audit
 * available, request line and header limits, route, authentication and session, authorization (with break-glass),
 * body (limits, content type, digest, JSON), signature; then the application; then exactly one audit event.
 *
 * <p>An adapter calls {@link #enter} before the application sees the request and looks at the exchange's {@link
 * Exchange#outcome() outcome}: a {@link Outcome.Respond} (a refusal, logout's 204, a 503 while the audit sink is
 * unavailable, a 500 if a safeguard failed) has been audited as far as the sink allows, and the adapter writes it
 * and stops; a {@link Outcome.Proceed} carries the headers to set before the application writes. The adapter then
 * buffers the response and calls {@link #exit} with the final status (500 and {@code applicationError} if the
 * application threw); if that returns a {@code Respond} (the application failed, or its audit event could not be
 * written), the adapter sends that instead of the buffered response.
 *
 * <p>Guarantees: neither {@code enter} nor {@code exit} throws for any request (a failing safeguard becomes an
 * audited 500 before the application runs); every exchange gets exactly one audit event unless the sink itself
 * fails; no problem body carries a value from the request. {@link #of} runs the startup self-check, so no gate runs
 * a weak configuration that was not accepted explicitly; {@code Safeguards.builder()} assembles one. Thread-safe.
 */
public final class Gate {

  private static final Logger LOG = LoggerFactory.getLogger(Gate.class);

  /**
   * The authentication scheme adapters report for a principal the gate authenticated ({@code getAuthType()}, {@code
   * SecurityContext.getAuthenticationScheme()}), upper case like the servlet and JAX-RS constants.
   */
  public static final String AUTHENTICATION_SCHEME = "BEARER";

  /**
   * Everything the gate runs; {@code dev.safeguards.Safeguards} assembles it.
   *
   * @param tokens how access tokens are verified
   * @param sessions idle and absolute timeouts, logout, revocation
   * @param access who may do what
   * @param routes the routes served; anything else is 404 or 405
   * @param audit where each request's one audit event goes
   * @param transport HTTPS enforcement and trusted proxies
   * @param limits size limits on the request line, headers and body
   * @param checkTlsParameters whether a connection whose negotiated cipher suite is below the TLS policy is refused
   * @param requireContentDigest whether every request body must carry a {@code Content-Digest}
   * @param signatures the RFC 9421 verifier every request to a non-public route must pass; empty for none
   * @param clock the clock for audit events, request ids and the refusal summaries' windows
   * @param accepted the weak settings the application accepted explicitly (with a rationale, in {@code
   *     Safeguards.Builder.acceptWeakness}); the self-check refuses any other
   * @param anonymousRefusalWindow how long identical refusals of anonymous requests are counted into one summary
   *     event after the first is recorded in full; zero records each
   */
  public record Parts(TokenVerifier tokens, SessionTracker sessions, AccessPolicy access, Routes routes,
      AuditSink audit, TransportPolicy transport, RequestLimits limits, boolean checkTlsParameters,
      boolean requireContentDigest, Optional<HttpMessageVerifier> signatures, Clock clock, Set<Weakness> accepted,
      Duration anonymousRefusalWindow) {

    /**
     * Checks that nothing is missing, and copies {@code accepted}.
     *
     * @param tokens how access tokens are verified; not null
     * @param sessions the session tracker; not null
     * @param access the access policy; not null
     * @param routes the routes; not null
     * @param audit the audit sink; not null
     * @param transport the transport policy; not null
     * @param limits the size limits; not null
     * @param checkTlsParameters whether the negotiated cipher suite is checked
     * @param requireContentDigest whether a request body needs a {@code Content-Digest}
     * @param signatures the signature verifier; empty for none, not null
     * @param clock the clock; not null
     * @param accepted the weak settings accepted explicitly; not null, no null element
     * @param anonymousRefusalWindow the summary window for anonymous refusals; zero or positive, not null
     * @throws NullPointerException if a part is null
     * @throws IllegalArgumentException if {@code anonymousRefusalWindow} is negative
     */
    public Parts {
      Objects.requireNonNull(tokens, "tokens");
      Objects.requireNonNull(sessions, "sessions");
      Objects.requireNonNull(access, "access");
      Objects.requireNonNull(routes, "routes");
      Objects.requireNonNull(audit, "audit");
      Objects.requireNonNull(transport, "transport");
      Objects.requireNonNull(limits, "limits");
      Objects.requireNonNull(signatures, "signatures");
      Objects.requireNonNull(clock, "clock");
      accepted = Set.copyOf(accepted);
      if (anonymousRefusalWindow.isNegative()) {
        throw new IllegalArgumentException("a window is not negative");
      }
    }
  }

  private final Parts parts;
  private final AuditEvents events;
  private final UuidV7Generator ids;
  private final FailureLog auditFailures;
  private final RefusalSummaries summaries;
  private final List<Step> steps;

  private Gate(Parts p) {
    this.parts = p;
    this.events = AuditEvents.create(p.clock());
    this.ids = UuidV7Generator.create(p.clock());
    this.auditFailures = new FailureLog(p.clock(), "the audit sink");
    this.summaries = new RefusalSummaries(p.anonymousRefusalWindow());
    this.steps = List.of(
        new TransportStep(p.transport(), p.checkTlsParameters()),
        new AuditAvailableStep(p.audit(), auditFailures),
        new RequestLineStep(p.limits()),
        new RouteStep(),
        new AuthenticationStep(p.tokens(), p.sessions(), p.limits()),
        new AuthorizationStep(p.access()),
        new BodyStep(p.limits(), p.requireContentDigest()),
        new SignatureStep(p.signatures()));
  }

  /**
   * The gate over {@code parts}, after the startup self-check: every component's evidence is checked for weak
   * settings ({@link SelfCheck}) that {@link Parts#accepted()} does not cover.
   *
   * @param parts what the gate runs; not null
   * @return the new gate
   * @throws IllegalStateException naming every weak setting found that was not accepted, one a line
   * @throws NullPointerException if {@code parts} is null
   */
  public static Gate of(Parts parts) {
    Gate gate = new Gate(Objects.requireNonNull(parts, "parts"));
    List<Evidence> evidence = List.of(parts.tokens().evidence(), parts.sessions().evidence(),
        parts.access().evidence(), parts.audit().evidence(), parts.transport().evidence(), gate.evidence());
    List<SelfCheck.Finding> weak = SelfCheck.findings(evidence, parts.accepted());
    if (!weak.isEmpty()) {
      throw new IllegalStateException(String.join("\n", weak.stream().map(SelfCheck.Finding::message).toList()));
    }
    return gate;
  }

  /**
   * What the gate runs.
   *
   * @return the parts given to {@link #of}
   */
  public Parts parts() {
    return parts;
  }

  /**
   * What the gate's own settings tell the compliance report (164.312(e)(2)).
   *
   * @return new evidence: the digest and signature settings, the body and header limits, failing closed, and a
   *     weakened transmission encryption if the negotiated TLS is not checked
   */
  public Evidence evidence() {
    Evidence.Builder gate = Evidence.of("Gate")
        .serves(Specification.TRANSMISSION_INTEGRITY, Status.MET)
        .setting("contentDigest", parts.requireContentDigest() ? "required on every request body"
            : "verified when present")
        .setting("httpMessageSignatures", parts.signatures().isPresent())
        .setting("checkNegotiatedTls", parts.checkTlsParameters())
        .setting("maxBodyBytes", (long) parts.limits().maxBodyBytes())
        .setting("maxHeaderBytes", (long) parts.limits().maxHeaderBytes())
        .setting("failClosed", "requests are refused with 503 before the application runs while the audit sink "
            + "cannot record");
    if (!parts.checkTlsParameters()) {
      gate.weakens(Specification.TRANSMISSION_ENCRYPTION, Status.PARTIALLY_MET,
          "the negotiated TLS cipher suite is not checked (skipNegotiatedTlsCheck)");
    }
    return gate.build();
  }

  /**
   * The routes, for adapters and the endpoint inventory.
   *
   * @return the configured routes
   */
  public Routes routes() {
    return parts.routes();
  }

  /** The names of the steps in the order they run, for tests and documentation. */
  List<String> stepNames() {
    return steps.stream().map(s -> s.getClass().getSimpleName()).toList();
  }

  /**
   * Runs every step before the application; reads the body (up to the limit) only once the caller is known to be
   * allowed. Never throws.
   *
   * @param request what the adapter knows of the request; not null
   * @param body the request body; read only when the request declares a body and passed every earlier step, never
   *     closed by the gate (the adapter owns it)
   * @return the exchange, whose {@link Exchange#outcome() outcome} says whether the application may run
   */
  public Exchange enter(GateRequest request, InputStream body) {
    return enter(request, body, parts.routes());
  }

  /**
   * Runs every step against {@code routes} instead of the configured ones: for adapters that derive their routes
   * from the application, such as the JAX-RS adapter from resource annotations. Never throws.
   *
   * @param request what the adapter knows of the request; not null
   * @param body the request body; read only when the request declares a body and passed every earlier step, never
   *     closed by the gate (the adapter owns it)
   * @param routes the routes to match the request against; not null
   * @return the exchange, whose {@link Exchange#outcome() outcome} says whether the application may run
   */
  public Exchange enter(GateRequest request, InputStream body, Routes routes) {
    if (summaries.enabled()) {
      recordSummaries(summaries.due(parts.clock().instant(), false));
    }
    Exchange x = new Exchange(request, ids.next().toString(), routes, body);
    Optional<Refused> refused = Optional.empty();
    try {
      for (Step step : steps) {
        refused = step.check(x);
        if (refused.isPresent()) {
          break;
        }
      }
    } catch (StateUnavailableException e) {
      // the store logs its outage once; each request it refuses is audited, not logged
      x.decision = null;
      refused = Optional.of(Refusals.stateUnavailable());
    } catch (RuntimeException e) {
      LOG.error("a safeguard failed on request {}; it is refused: {}", x.requestId, e.getClass().getName());
      x.decision = null;
      refused = Optional.of(Refusals.gateError());
    }
    if (refused.isPresent()) {
      x.finished = true;
      x.outcome = counted(x, refused.get())
          ? Outcome.Respond.of(refused.get().status(), x.transportHeaders, refused.get().headers(),
              problem(refused.get()), refused.get().rule())
          : respond(x, refused.get());
    } else {
      x.outcome = new Outcome.Proceed(x.transportHeaders);
    }
    return x;
  }

  /**
   * Finishes a request the application handled: writes its one audit event. Never throws for a request {@link
   * #enter} let through.
   *
   * @param x the exchange {@link #enter} returned with a {@link Outcome.Proceed}
   * @param status the final status the application set (500 if it threw)
   * @param applicationError whether the application failed (threw, or answered 5xx where the adapter cannot tell);
   *     it is then answered with a problem of {@code status} (500 unless a 5xx was given) instead of its response
   * @param responseBody the response body as buffered, for {@code Content-Digest}; {@code null} if the adapter adds
   *     that later with {@link Exchange#bodyHeaders}
   * @return a {@link Outcome.Proceed} with headers to add to the response (e.g. {@code Content-Digest}), or the
   *     {@link Outcome.Respond} to send instead: 500 when the application failed, 503 when the event could not be
   *     written
   * @throws IllegalStateException if the exchange was refused or already finished (an adapter's mistake)
   */
  public Outcome exit(Exchange x, int status, boolean applicationError, byte[] responseBody) {
    if (x.finished) {
      throw new IllegalStateException("this request was already finished");
    }
    x.finished = true;
    if (applicationError) {
      return respond(x, Refusals.applicationError(status >= 500 && status <= 599 ? status : 500));
    }
    if (!record(x, status, null, Optional.empty())) {
      return Outcome.Respond.of(503, x.transportHeaders, Refusals.auditFailed().headers(),
          problem(Refusals.auditFailed()), "audit:failed");
    }
    try {
      return new Outcome.Proceed(x.bodyHeaders(responseBody));
    } catch (RuntimeException e) {
      LOG.error("the response digest failed on request {}: {}", x.requestId, e.getClass().getName());
      return new Outcome.Proceed(Map.of());
    }
  }

  /**
   * Writes the summary events of every window of anonymous refusals still counting, now: for an adapter taken out of
   * service, or an application about to close its audit sink. Summaries are otherwise written by the first request
   * after their window. Never throws; a summary that cannot be written is kept for the next try.
   */
  public void flush() {
    recordSummaries(summaries.due(parts.clock().instant(), true));
  }

  /** Whether this refusal of an anonymous request is counted into a summary instead of recorded now. */
  private boolean counted(Exchange x, Refused r) {
    if (!summaries.enabled() || x.principal != null || r.status() < 400 || r.status() > 499) {
      return false;
    }
    try {
      x.audit.written();
      Route route = x.match == null ? null : x.match.route();
      return summaries.count(new RefusalSummaries.Key(x.clientAddress, method(x),
          route == null ? "unmatched" : route.pattern(), r.status(), r.rule()), parts.clock().instant());
    } catch (RuntimeException e) {
      return false;
    }
  }

  private void recordSummaries(List<RefusalSummaries.Pending> due) {
    for (RefusalSummaries.Pending p : due) {
      boolean recorded;
      try {
        RefusalSummaries.Key k = p.key();
        AuditEvent event = events.event(Route.actionOf(k.method()), "rest")
            .subtype(k.method() + ":" + k.pattern()).httpStatus(k.status()).rule(k.rule())
            .actor(AuditActor.anonymous().from(k.address())).repeated(p.count(), p.from(), p.until()).build();
        parts.audit().record(event);
        auditFailures.succeeded();
        recorded = true;
      } catch (AuditException | RuntimeException e) {
        auditFailures.failed(e);
        recorded = false;
      }
      if (!recorded) {
        summaries.restore(p);
      }
    }
  }

  private Outcome.Respond respond(Exchange x, Refused r) {
    if (!record(x, r.status(), r.rule(), r.integrityCheck())) {
      Refused failed = r.rule().equals("audit:unavailable") ? r : Refusals.auditFailed();
      return Outcome.Respond.of(failed.status(), x.transportHeaders, failed.headers(), problem(failed),
          failed.rule());
    }
    return Outcome.Respond.of(r.status(), x.transportHeaders, r.headers(), r.hasProblem() ? problem(r) : null,
        r.rule());
  }

  private static Problem problem(Refused r) {
    return new Problem(r.status(), r.title(), r.detail());
  }

  /** Records the exchange's one event; false if it could not be recorded (logged, at most once a minute). */
  private boolean record(Exchange x, int status, String rule, Optional<String> integrityCheck) {
    x.audit.written();
    AuditEvent event;
    try {
      event = event(x, status, rule, integrityCheck);
    } catch (RuntimeException e) {
      LOG.error("the audit event of request {} could not be built ({}); a minimal one is recorded", x.requestId,
          e.getClass().getName());
      event = minimalEvent(x, status);
    }
    try {
      parts.audit().record(event);
      auditFailures.succeeded();
      return true;
    } catch (AuditException | RuntimeException e) {
      auditFailures.failed(e);
      return false;
    }
  }

  private AuditEvent event(Exchange x, int status, String rule, Optional<String> integrityCheck) {
    Route route = x.match == null ? null : x.match.route();
    AuditAction action = x.audit.action().orElse(route == null ? actionOf(x) : route.action());
    AuditEvent.Builder b = events.event(action, integrityCheck.isPresent() ? "integrity" : "rest")
        .subtype(integrityCheck.orElseGet(() -> method(x) + ":" + (route == null ? "unmatched" : route.pattern())))
        .httpStatus(status)
        .requestId(x.requestId)
        .actor(actor(x));
    if (x.decision != null) {
      x.decision.applyTo(b);
    }
    List<AuditEntity> named = x.audit.entities();
    x.decision().flatMap(d -> d.resource()).ifPresent(r -> named.remove(AuditEntity.of(r.type(), r.id())));
    named.forEach(b::entity);
    if (rule != null) {
      b.rule(rule);
    }
    if (status >= 500) {
      b.outcome(AuditOutcome.SERIOUS_FAILURE);
    }
    return b.build();
  }

  /** The event when the full one cannot be built: who (as far as known), the status, the request id. */
  private AuditEvent minimalEvent(Exchange x, int status) {
    AuditActor actor;
    try {
      actor = actor(x);
    } catch (RuntimeException e) {
      actor = AuditActor.anonymous();
    }
    return events.event(actionOf(x), "rest").subtype("gate:unrepresentable").httpStatus(status)
        .requestId(x.requestId).actor(actor).rule("gate:event-error")
        .outcome(status >= 400 ? AuditOutcome.SERIOUS_FAILURE : AuditOutcome.SUCCESS).build();
  }

  private static AuditActor actor(Exchange x) {
    if (x.actor != null) {
      return x.actor;
    }
    return withAgent(AuditActor.anonymous().from(x.clientAddress), x.request);
  }

  static AuditActor withAgent(AuditActor actor, GateRequest request) {
    List<String> agent = request.headers().values("user-agent");
    return agent.isEmpty() ? actor : actor.withUserAgent(agent.get(0));
  }

  private static String method(Exchange x) {
    return x.methodValid || RequestLineStep.isMethod(x.request.method()) ? x.request.method() : "invalid-method";
  }

  private static AuditAction actionOf(Exchange x) {
    return Route.actionOf(method(x));
  }
}
