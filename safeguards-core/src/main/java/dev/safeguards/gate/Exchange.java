package dev.safeguards.gate;

import dev.safeguards.access.AccessDecision;
import dev.safeguards.audit.AuditActor;
import dev.safeguards.identity.Principal;
import dev.safeguards.integrity.DigestAlgorithm;
import dev.safeguards.integrity.DigestFields;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One request between {@link Gate#enter} and {@link Gate#exit}: what the gate established about it (the effective
 * client address, the route, the principal, the access decision, the checked body) and what it decided ({@link
 * #outcome()}). Made only by the gate; not thread-safe (one request is handled by one thread at a time).
 */
public final class Exchange {

  final GateRequest request;
  final String requestId;
  final Routes routes;
  final InputStream bodyStream;
  String clientAddress = "unknown";
  boolean https;
  boolean methodValid;
  Routes.Match match;
  Principal principal;
  AuditActor actor;
  AccessDecision decision;
  byte[] body = new byte[0];
  final Map<String, String> transportHeaders = new LinkedHashMap<>();
  Optional<DigestAlgorithm> wantDigest = Optional.empty();
  Outcome outcome;
  boolean finished;
  final RequestAudit audit = new RequestAudit();

  Exchange(GateRequest request, String requestId, Routes routes, InputStream bodyStream) {
    this.request = request;
    this.requestId = requestId;
    this.routes = routes;
    this.bodyStream = bodyStream;
  }

  /**
   * What to do: {@link Outcome.Proceed} with the headers to set before the application writes its response, or
   * {@link Outcome.Respond} with the answer to write instead of calling the application (already audited).
   */
  public Outcome outcome() {
    return outcome;
  }

  /** The gate's own answer, when the application must not run: {@link #outcome()} if it is a {@code Respond}. */
  public Optional<Outcome.Respond> response() {
    return outcome instanceof Outcome.Respond r ? Optional.of(r) : Optional.empty();
  }

  /** The authenticated principal; empty on a public route or when the request was refused before. */
  public Optional<Principal> principal() {
    return Optional.ofNullable(principal);
  }

  /** The access decision; empty on a public route or when the request was refused before. */
  public Optional<AccessDecision> decision() {
    return Optional.ofNullable(decision);
  }

  /** The request body, read and checked; empty for a request without one. */
  public byte[] body() {
    return body.clone();
  }

  /**
   * The path parameters of the matched route, canonical: a {@code {name:uuid}} parameter is lower case, as the
   * decision and the audit event saw it.
   */
  public Map<String, String> pathParameters() {
    return match == null ? Map.of() : match.parameters();
  }

  /** The effective client address, as the transport policy established it. */
  public String clientAddress() {
    return clientAddress;
  }

  /**
   * Where the application names the audit action and the records this request touched; they join the request's one
   * audit event at {@link Gate#exit}.
   */
  public RequestAudit audit() {
    return audit;
  }

  /** Whether the request came over HTTPS, as the transport policy established it (behind trusted proxies too). */
  public boolean https() {
    return https;
  }

  /** The id of this request in the audit log. */
  public String requestId() {
    return requestId;
  }

  /**
   * The headers that depend on the response body: the {@code Content-Digest} (RFC 9530) the client asked for with
   * {@code Want-Content-Digest}, if any. {@link Gate#exit} adds them itself when given the body; an adapter that
   * serialises the body later (JAX-RS) calls this then.
   */
  public Map<String, String> bodyHeaders(byte[] responseBody) {
    if (wantDigest.isEmpty() || responseBody == null) {
      return Map.of();
    }
    return Map.of("Content-Digest", DigestFields.fieldValue(responseBody, wantDigest.get()));
  }
}
