package dev.safeguards.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.JsonFactory;
import dev.safeguards.access.AccessDecision;
import dev.safeguards.access.AccessPolicy;
import dev.safeguards.access.ResourceRef;
import dev.safeguards.audit.AuditActor;
import dev.safeguards.audit.AuditEvent;
import dev.safeguards.audit.AuditEvents;
import dev.safeguards.audit.AuditException;
import dev.safeguards.audit.AuditOutcome;
import dev.safeguards.audit.AuditSink;
import dev.safeguards.authn.AuthenticationException;
import dev.safeguards.authn.TokenVerifier;
import dev.safeguards.identity.Principal;
import dev.safeguards.identity.UuidV7Generator;
import dev.safeguards.integrity.DigestAlgorithm;
import dev.safeguards.integrity.DigestFields;
import dev.safeguards.integrity.HttpMessageVerifier;
import dev.safeguards.integrity.IntegrityException;
import dev.safeguards.session.SessionTracker;
import dev.safeguards.session.SessionVerdict;
import dev.safeguards.transport.RequestLimits;
import dev.safeguards.transport.TlsPolicy;
import dev.safeguards.transport.TransportPolicy;
import dev.safeguards.transport.WeakTransportException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request flow every adapter runs, in one place (164.312(a)-(e)): transport, limits, authentication, session,
 * authorization (with break-glass), request integrity, and on exit the response headers and exactly one audit event.
 *
 * <p>An adapter calls {@link #enter} before the application sees the request. A {@link Entry#refusal() refused} entry
 * has already been audited: the adapter writes the refusal (status, headers, RFC 9457 problem body) and stops.
 * Otherwise it sets {@link Entry#responseHeaders()}, hands the application the principal and the buffered body, buffers
 * the response, and calls {@link #exit} with the final status; only if that succeeds may it send the response. If the
 * audit event cannot be written, {@link #exit} says so and the adapter sends a 503 problem instead (fail closed).
 * Thread-safe.
 */
public final class Gate {

  private static final Logger LOG = LoggerFactory.getLogger(Gate.class);

  /** Everything the gate needs; {@code dev.safeguards.Safeguards} assembles it. */
  public record Parts(TokenVerifier tokens, SessionTracker sessions, AccessPolicy access, Routes routes,
      AuditSink audit, TransportPolicy transport, RequestLimits limits, boolean checkTlsParameters,
      boolean requireContentDigest, Optional<HttpMessageVerifier> signatures, Clock clock) {

    /** Checks that nothing is missing. */
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
    }
  }

  private final Parts parts;
  private final AuditEvents events;
  private final UuidV7Generator ids;
  private final JsonFactory json;

  private Gate(Parts parts) {
    this.parts = parts;
    this.events = AuditEvents.create(parts.clock());
    this.ids = UuidV7Generator.create(parts.clock());
    this.json = JsonFactory.builder()
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxNestingDepth(parts.limits().maxJsonDepth())
            .maxStringLength(parts.limits().maxJsonStringLength())
            .maxNumberLength(100)
            .build())
        .build();
  }

  /** A gate over {@code parts}. */
  public static Gate of(Parts parts) {
    return new Gate(Objects.requireNonNull(parts, "parts"));
  }

  /** The routes, for adapters and the endpoint inventory. */
  public Routes routes() {
    return parts.routes();
  }

  /** A refusal to write: status, headers and an RFC 9457 problem body. */
  public record Refusal(int status, Map<String, String> headers, Problem problem) {}

  /** The state of one request between {@link #enter} and {@link #exit}. */
  public static final class Entry {
    private final GateRequest request;
    private final String requestId;
    private final String clientAddress;
    private final boolean https;
    private Routes.Match match;
    private Principal principal;
    private AccessDecision decision;
    private byte[] body = new byte[0];
    private Optional<Refusal> refusal = Optional.empty();
    private final Map<String, String> responseHeaders = new LinkedHashMap<>();
    private Optional<DigestAlgorithm> wantDigest = Optional.empty();
    private boolean exited;

    private Entry(GateRequest request, String requestId, String clientAddress, boolean https) {
      this.request = request;
      this.requestId = requestId;
      this.clientAddress = clientAddress;
      this.https = https;
    }

    /** The refusal, if the request may not go on; it has been audited. */
    public Optional<Refusal> refusal() {
      return refusal;
    }

    /** The authenticated principal; empty on a public route. */
    public Optional<Principal> principal() {
      return Optional.ofNullable(principal);
    }

    /** The access decision; empty on a public route. */
    public Optional<AccessDecision> decision() {
      return Optional.ofNullable(decision);
    }

    /** The request body, read and checked; empty for a request without one. */
    public byte[] body() {
      return body.clone();
    }

    /** The path parameters of the matched route. */
    public Map<String, String> pathParameters() {
      return match == null ? Map.of() : match.parameters();
    }

    /** Headers to set on the response before the application writes it: HSTS, no-store, nosniff. */
    public Map<String, String> responseHeaders() {
      return Map.copyOf(responseHeaders);
    }

    /** The digest algorithm the client asked for with {@code Want-Content-Digest}, if any. */
    public Optional<DigestAlgorithm> wantContentDigest() {
      return wantDigest;
    }

    /** The effective client address, as the transport policy established it. */
    public String clientAddress() {
      return clientAddress;
    }

    /** The id of this request in the audit log. */
    public String requestId() {
      return requestId;
    }
  }

  /**
   * The outcome of {@link #exit}.
   *
   * @param audited whether the audit event was written; if not, send {@link #failure()} instead of the response
   * @param headers headers to add to the response (e.g. {@code Content-Digest})
   */
  public record Exit(boolean audited, Map<String, String> headers) {
    /** The 503 problem to send when the audit event could not be written. */
    public Refusal failure() {
      return new Refusal(503, Map.of("Retry-After", "60"),
          new Problem(503, "Service Unavailable", "The request could not be recorded and was not completed."));
    }
  }

  /**
   * Runs every check before the application: reads the body (up to the limit) only once the caller is known to be
   * allowed.
   */
  public Entry enter(GateRequest request, InputStream bodyStream) {
    return enter(request, bodyStream, parts.routes());
  }

  /**
   * Runs every check against {@code routes} instead of the configured ones: for adapters that derive their routes
   * from the application, such as the JAX-RS adapter from resource annotations.
   */
  public Entry enter(GateRequest request, InputStream bodyStream, Routes routes) {
    TransportPolicy.Transport transport = parts.transport().evaluate(request.secure(), request.peerAddress(),
        request.method(), request.hostAndTarget(), request.headers().values("forwarded"),
        request.headers().values("x-forwarded-proto"), request.headers().values("x-forwarded-for"));
    Entry e = new Entry(request, ids.next().toString(), transport.clientAddress(), transport.https());
    if (transport.https()) {
      e.responseHeaders.put("Strict-Transport-Security", parts.transport().hstsHeaderValue());
    }
    e.responseHeaders.put("X-Content-Type-Options", "nosniff");
    if (transport.refusal().isPresent()) {
      TransportPolicy.Refusal r = transport.refusal().get();
      return r.location().isPresent()
          ? refuse(e, r.status(), Map.of("Location", r.location().get()), "transport:redirect-to-https",
              "Permanent Redirect", "Use HTTPS.")
          : refuse(e, r.status(), Map.of(), "transport:plain-http", r.status() == 421 ? "Misdirected Request"
              : "Forbidden", "HTTPS is required.");
    }
    if (request.secure() && parts.checkTlsParameters() && request.cipherSuite().isPresent()) {
      try {
        TlsPolicy.checkNegotiated(null, request.cipherSuite().get());
      } catch (WeakTransportException ex) {
        return refuse(e, 403, Map.of(), "transport:weak-tls", "Forbidden", "The TLS connection is too weak.");
      }
    }
    if (headerBytes(request.headers()) > parts.limits().maxHeaderBytes()) {
      return refuse(e, 431, Map.of(), "limits:headers", "Request Header Fields Too Large",
          "The request headers are too large.");
    }
    Routes.Lookup lookup = routes.lookup(request.method(), request.path());
    if (lookup.match().isEmpty()) {
      return lookup.allowedMethods().isEmpty()
          ? refuse(e, 404, Map.of(), "route:unknown", "Not Found", "No such resource.")
          : refuse(e, 405, Map.of("Allow", String.join(", ", lookup.allowedMethods())), "route:method",
              "Method Not Allowed", "This method is not allowed here.");
    }
    e.match = lookup.match().get();
    Route route = e.match.route();
    if (route.phi()) {
      e.responseHeaders.put("Cache-Control", "no-store");
    }
    if (route.kind() != Route.Kind.PUBLIC) {
      Optional<Entry> refused = authenticate(e);
      if (refused.isPresent()) {
        return refused.get();
      }
      if (route.kind() == Route.Kind.LOGOUT) {
        parts.sessions().logout(e.principal);
        return refuse(e, 204, Map.of(), "session:logout", "No Content", "");
      }
    }
    if (route.kind() == Route.Kind.DENIED) {
      return refuse(e, 403, Map.of(), "route:deny-all", "Forbidden", "You may not do this.");
    }
    Optional<String> badId = routes.invalidUuid(e.match);
    if (badId.isPresent()) {
      return refuse(e, 400, Map.of(), "input:path-id", "Bad Request", "A path identifier is malformed.");
    }
    if (route.kind() == Route.Kind.PROTECTED) {
      Optional<ResourceRef> resource = route.resourceType().flatMap(type ->
          route.idParam().map(p -> new ResourceRef(type, e.match.parameters().get(p))));
      e.decision = route.permission().isPresent()
          ? parts.access().decide(e.principal, route.permission().get(), resource, route.breakGlass())
          : rolesDecision(e.principal, route, resource);
      if (!e.decision.permitted()) {
        return refuse(e, 403, Map.of(), e.decision.rule(), "Forbidden", "You may not do this.");
      }
    }
    Optional<Entry> refused = readBody(e, bodyStream).or(() -> verifySignature(e));
    if (refused.isPresent()) {
      return refused.get();
    }
    try {
      e.wantDigest = wantedDigest(request.headers().values("want-content-digest"));
    } catch (IntegrityException ex) {
      e.wantDigest = Optional.empty();
    }
    return e;
  }

  private static AccessDecision rolesDecision(Principal principal, Route route, Optional<ResourceRef> resource) {
    Optional<String> role = new java.util.TreeSet<>(route.roles()).stream().filter(principal::hasRole).findFirst();
    return new AccessDecision(role.isPresent(), role.map(r -> "role:" + r).orElse(AccessPolicy.DENY_BY_DEFAULT),
        Route.ROLES_ALLOWED, resource, Optional.empty());
  }

  private Optional<Entry> authenticate(Entry e) {
    List<String> authorization = e.request.headers().values("authorization");
    String token = null;
    if (authorization.size() == 1 && authorization.get(0).regionMatches(true, 0, "Bearer ", 0, 7)) {
      token = authorization.get(0).substring(7).strip();
    }
    if (token == null || token.isEmpty()) {
      return Optional.of(refuse(e, 401, Map.of("WWW-Authenticate", "Bearer"), "authn:missing", "Unauthorized",
          "Authentication is required."));
    }
    if (token.length() > parts.limits().maxTokenBytes()) {
      return Optional.of(refuse(e, 431, Map.of(), "limits:token", "Request Header Fields Too Large",
          "The token is too large."));
    }
    try {
      e.principal = parts.tokens().verify(token);
    } catch (AuthenticationException ex) {
      String challenge = "Bearer error=\"" + ex.oauthError() + "\", error_description=\"" + ex.publicDescription()
          + "\"";
      int status = ex.oauthError().equals("invalid_request") ? 400 : 401;
      return Optional.of(refuse(e, status, Map.of("WWW-Authenticate", challenge),
          "authn:" + ex.reason().name().toLowerCase(Locale.ROOT), status == 400 ? "Bad Request" : "Unauthorized",
          "The access token was not accepted."));
    }
    SessionVerdict session = parts.sessions().touch(e.principal);
    if (!session.active()) {
      return Optional.of(refuse(e, 401, Map.of("WWW-Authenticate",
          "Bearer error=\"invalid_token\", error_description=\"session ended\""),
          "session:" + session.endReason().orElseThrow().name().toLowerCase(Locale.ROOT), "Unauthorized",
          "The session has ended; sign in again."));
    }
    return Optional.empty();
  }

  private Optional<Entry> readBody(Entry e, InputStream in) {
    Route route = e.match.route();
    HttpFields h = e.request.headers();
    List<String> lengths = h.values("content-length");
    long declared = -1;
    if (!lengths.isEmpty()) {
      try {
        declared = Long.parseLong(lengths.get(0).strip());
      } catch (NumberFormatException ex) {
        return Optional.of(refuse(e, 400, Map.of(), "input:content-length", "Bad Request",
            "The Content-Length is malformed."));
      }
    }
    boolean hasBody = declared > 0 || !h.values("transfer-encoding").isEmpty();
    if (!hasBody) {
      return Optional.empty();
    }
    if (route.contentTypes().isEmpty()) {
      return Optional.of(refuse(e, 415, Map.of(), "input:no-body-accepted", "Unsupported Media Type",
          "This resource accepts no request body."));
    }
    List<String> types = h.values("content-type");
    String mediaType = types.isEmpty() ? "" : types.get(0).split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    if (!route.contentTypes().contains(mediaType)) {
      return Optional.of(refuse(e, 415, Map.of("Accept", String.join(", ", route.contentTypes())),
          "input:content-type", "Unsupported Media Type", "This content type is not accepted here."));
    }
    int max = parts.limits().maxBodyBytes();
    if (declared > max) {
      return Optional.of(refuse(e, 413, Map.of(), "limits:body", "Content Too Large", "The request body is too large."));
    }
    try {
      byte[] body = readAtMost(in, max);
      if (body == null) {
        return Optional.of(refuse(e, 413, Map.of(), "limits:body", "Content Too Large",
            "The request body is too large."));
      }
      e.body = body;
    } catch (IOException ex) {
      return Optional.of(refuse(e, 400, Map.of(), "input:body-unreadable", "Bad Request",
          "The request body could not be read."));
    }
    List<String> digest = h.values("content-digest");
    if (digest.isEmpty() && parts.requireContentDigest()) {
      return Optional.of(refuseIntegrity(e, 400, "content-digest", "A Content-Digest of the body is required."));
    }
    if (!digest.isEmpty()) {
      try {
        DigestFields.parse("Content-Digest", digest).verify(e.body);
      } catch (IntegrityException ex) {
        return Optional.of(refuseIntegrity(e, 400, "content-digest", "The Content-Digest does not match the body."));
      }
    }
    if (route.json() && mediaType.equals("application/json")) {
      Optional<Entry> refused = validateJson(e);
      if (refused.isPresent()) {
        return refused;
      }
    }
    return Optional.empty();
  }

  private Optional<Entry> validateJson(Entry e) {
    try (JsonParser p = json.createParser(e.body)) {
      if (p.nextToken() == null) {
        throw new IOException("empty");
      }
      p.skipChildren();
      if (p.nextToken() != null) {
        throw new IOException("trailing content");
      }
      return Optional.empty();
    } catch (IOException | RuntimeException ex) {
      return Optional.of(refuse(e, 400, Map.of(), "input:json", "Bad Request",
          "The JSON body is malformed or exceeds the limits."));
    }
  }

  /**
   * Verifies the request's RFC 9421 signature when the gate is configured to require one; the signature's covered
   * components (e.g. {@code content-digest}) are checked against the request as received.
   */
  private Optional<Entry> verifySignature(Entry e) {
    if (parts.signatures().isEmpty() || e.match.route().kind() == Route.Kind.PUBLIC) {
      return Optional.empty();
    }
    try {
      if (e.request.hostAndTarget() == null) {
        throw new IllegalArgumentException("no Host");
      }
      HttpRequestView.Builder view = HttpRequestView.builder(e.request.method(),
          URI.create((e.https ? "https://" : "http://") + e.request.hostAndTarget()));
      for (String name : e.request.headers().names()) {
        for (String value : e.request.headers().values(name)) {
          view.field(name, value);
        }
      }
      parts.signatures().get().verify(view.build());
      return Optional.empty();
    } catch (IntegrityException | IllegalArgumentException ex) {
      return Optional.of(refuseIntegrity(e, 401, "http-signature", "A valid HTTP message signature is required."));
    }
  }

  private static byte[] readAtMost(InputStream in, int max) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    int n;
    while ((n = in.read(buf)) >= 0) {
      if (out.size() + n > max) {
        return null;
      }
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }

  private static Optional<DigestAlgorithm> wantedDigest(List<String> want) throws IntegrityException {
    return DigestFields.preferredAlgorithm(want);
  }

  /**
   * Finishes a request the application handled: writes its one audit event and computes the response headers that
   * depend on the body.
   *
   * @param status the final status the application set (500 if it threw)
   * @param applicationError whether the application threw
   * @param responseBody the response body as buffered, for {@code Content-Digest}
   */
  public Exit exit(Entry e, int status, boolean applicationError, byte[] responseBody) {
    if (e.exited || e.refusal.isPresent()) {
      throw new IllegalStateException("this request was already finished");
    }
    e.exited = true;
    Map<String, String> headers = new LinkedHashMap<>();
    if (e.wantDigest.isPresent() && responseBody != null) {
      headers.put("Content-Digest", DigestFields.fieldValue(responseBody, e.wantDigest.get()));
    }
    AuditEvent.Builder event = event(e, status, applicationError ? "application:error" : null);
    return new Exit(record(event.build()), headers);
  }

  private Entry refuse(Entry e, int status, Map<String, String> headers, String rule, String title, String detail) {
    e.refusal = Optional.of(new Refusal(status, headers, new Problem(status, title, detail)));
    AuditEvent.Builder event = event(e, status, rule);
    if (!record(event.build())) {
      e.refusal = Optional.of(new Exit(false, Map.of()).failure());
    }
    return e;
  }

  private Entry refuseIntegrity(Entry e, int status, String check, String detail) {
    e.refusal = Optional.of(new Refusal(status, Map.of(), new Problem(status,
        status == 401 ? "Unauthorized" : "Bad Request", detail)));
    AuditEvent base = event(e, status, "integrity:" + check).build();
    AuditEvent.Builder integrity = events.event(base.action(), "integrity").subtype(check).httpStatus(status)
        .actor(base.actor()).rule("integrity:" + check).requestId(e.requestId);
    base.entities().forEach(integrity::entity);
    if (!record(integrity.build())) {
      e.refusal = Optional.of(new Exit(false, Map.of()).failure());
    }
    return e;
  }

  private AuditEvent.Builder event(Entry e, int status, String rule) {
    Route route = e.match == null ? null : e.match.route();
    AuditEvent.Builder b = events.event(route == null ? Route.actionOf(e.request.method()) : route.action(), "rest")
        .subtype(e.request.method() + ":" + (route == null ? "unmatched" : route.pattern()))
        .httpStatus(status)
        .requestId(e.requestId);
    AuditActor actor = e.principal == null ? AuditActor.anonymous() : AuditActor.of(e.principal);
    actor = actor.from(e.clientAddress);
    List<String> agent = e.request.headers().values("user-agent");
    if (!agent.isEmpty()) {
      actor = actor.withUserAgent(agent.get(0));
    }
    b.actor(actor);
    if (e.decision != null) {
      e.decision.applyTo(b);
    }
    if (rule != null) {
      b.rule(rule.length() > 256 ? rule.substring(0, 256) : rule);
    }
    if (status >= 500) {
      b.outcome(AuditOutcome.SERIOUS_FAILURE);
    }
    return b;
  }


  private boolean record(AuditEvent event) {
    try {
      parts.audit().record(event);
      return true;
    } catch (AuditException | RuntimeException ex) {
      LOG.error("audit event {} could not be recorded; the request fails: {}", event.id(), ex.toString());
      return false;
    }
  }

  private static int headerBytes(HttpFields headers) {
    int total = 0;
    for (String name : headers.names()) {
      for (String v : headers.values(name)) {
        total += name.length() + v.length() + 4;
      }
    }
    return total;
  }
}
