package dev.safeguards;

import dev.safeguards.access.AccessPolicy;
import dev.safeguards.alert.AlertSink;
import dev.safeguards.alert.AnomalyDetector;
import dev.safeguards.audit.AuditSink;
import dev.safeguards.audit.AuditSinks;
import dev.safeguards.authn.TokenVerifier;
import dev.safeguards.http.Gate;
import dev.safeguards.http.Routes;
import dev.safeguards.integrity.HttpMessageVerifier;
import dev.safeguards.session.SessionTracker;
import dev.safeguards.transport.RequestLimits;
import dev.safeguards.transport.TransportPolicy;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * Every safeguard of an API, assembled once: token verification, sessions, access policy, routes, audit, transport
 * and limits (45 CFR 164.312). Register it with an adapter (the servlet filter, the JAX-RS feature); they all run the
 * same {@link Gate}. Immutable and thread-safe.
 *
 * <pre>{@code
 * Safeguards safeguards = Safeguards.builder()
 *     .tokens(TokenVerifier.create(tokenPolicy))
 *     .sessions(SessionTracker.create(SessionPolicy.DEFAULT, sessionStore, revocations, clock))
 *     .access(accessPolicy)
 *     .routes(Routes.of(Route.publicRoute("GET", "/health"),
 *         Route.protect("GET", "/patients/{id:uuid}", "patient:read").withResource("Patient", "id")))
 *     .audit(auditSink)
 *     .build();
 * }</pre>
 */
public final class Safeguards {

  private final Gate gate;
  private final Gate.Parts parts;

  private Safeguards(Gate.Parts parts) {
    this.parts = parts;
    this.gate = Gate.of(parts);
  }

  /** Starts assembling. */
  public static Builder builder() {
    return new Builder();
  }

  /** The request gate the adapters run. */
  public Gate gate() {
    return gate;
  }

  /** The sessions, for an application that ends them itself (e.g. on password change). */
  public SessionTracker sessions() {
    return parts.sessions();
  }

  /** The access policy, for decisions the application makes beyond the route's. */
  public AccessPolicy access() {
    return parts.access();
  }

  /** The audit sink, for events the application records itself. */
  public AuditSink audit() {
    return parts.audit();
  }

  /** Assembles {@link Safeguards}. */
  public static final class Builder {
    private TokenVerifier tokens;
    private SessionTracker sessions;
    private AccessPolicy access;
    private Routes routes;
    private AuditSink audit;
    private TransportPolicy transport = TransportPolicy.defaults();
    private RequestLimits limits = RequestLimits.DEFAULTS;
    private boolean checkTls = true;
    private HttpMessageVerifier signatures;
    private boolean requireDigest;
    private AlertSink alerts;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** How access tokens are verified. Required. */
    public Builder tokens(TokenVerifier value) {
      tokens = Objects.requireNonNull(value, "tokens");
      return this;
    }

    /** Automatic logoff: idle and absolute timeouts, logout, revocation. Required. */
    public Builder sessions(SessionTracker value) {
      sessions = Objects.requireNonNull(value, "sessions");
      return this;
    }

    /** Who may do what. Required. */
    public Builder access(AccessPolicy value) {
      access = Objects.requireNonNull(value, "access");
      return this;
    }

    /** The routes the gate serves; anything else is 404. Required. */
    public Builder routes(Routes value) {
      routes = Objects.requireNonNull(value, "routes");
      return this;
    }

    /** Where the one audit event per request goes. Required. */
    public Builder audit(AuditSink value) {
      audit = Objects.requireNonNull(value, "audit");
      return this;
    }

    /** HTTPS enforcement and trusted proxies; {@link TransportPolicy#defaults()} unless set. */
    public Builder transport(TransportPolicy value) {
      transport = Objects.requireNonNull(value, "transport");
      return this;
    }

    /** Size limits; {@link RequestLimits#DEFAULTS} unless set. */
    public Builder limits(RequestLimits value) {
      limits = Objects.requireNonNull(value, "limits");
      return this;
    }

    /**
     * Stops refusing TLS connections whose cipher suite is below the TLS policy. <b>Warning:</b> only for containers
     * that report suites the policy does not know; configure the server with {@code TlsPolicy} instead.
     */
    public Builder skipNegotiatedTlsCheck() {
      checkTls = false;
      return this;
    }

    /**
     * Requires every request to a protected route to carry an RFC 9421 HTTP message signature that {@code verifier}
     * accepts (covering, for example, {@code @method}, {@code @target-uri} and {@code content-digest}); a request
     * without one is refused with 401 and audited as an integrity failure. Off unless set.
     */
    public Builder httpSignatures(HttpMessageVerifier verifier) {
      signatures = Objects.requireNonNull(verifier, "verifier");
      return this;
    }

    /**
     * Requires a {@code Content-Digest} (RFC 9530) on every request body; a body without one is refused with 400.
     * Without this, a digest is verified when the client sends one.
     */
    public Builder requireContentDigest() {
      requireDigest = true;
      return this;
    }

    /**
     * Watches the audit stream with an {@link AnomalyDetector} at its default thresholds and sends its alerts (denial
     * bursts, bulk reads, emergency access, authentication failure spikes, integrity violations) to {@code sink}.
     * For other thresholds, add your own detector to the audit sink with {@code AuditSinks.fanOut} instead.
     */
    public Builder alerts(AlertSink sink) {
      alerts = Objects.requireNonNull(sink, "alerts");
      return this;
    }

    /** The clock; the system UTC clock unless set. */
    public Builder clock(Clock value) {
      clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * The assembled safeguards.
     *
     * @throws IllegalStateException naming the first missing part
     */
    public Safeguards build() {
      require(tokens, "tokens (a TokenVerifier)");
      require(sessions, "sessions (a SessionTracker)");
      require(access, "access (an AccessPolicy)");
      require(routes, "routes");
      require(audit, "audit (an AuditSink)");
      AuditSink sink = alerts == null ? audit : AuditSinks.fanOut(audit, AnomalyDetector.builder(alerts).build());
      return new Safeguards(new Gate.Parts(tokens, sessions, access, routes, sink, transport, limits, checkTls,
          requireDigest, Optional.ofNullable(signatures), clock));
    }

    private static void require(Object part, String name) {
      if (part == null) {
        throw new IllegalStateException("Safeguards needs " + name);
      }
    }
  }
}
