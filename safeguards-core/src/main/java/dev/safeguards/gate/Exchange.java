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
   *
   * @return the latest outcome: {@link Gate#enter}'s, never null once it returned
   */
  public Outcome outcome() {
    return outcome;
  }

  /**
   * The gate's own answer, when the application must not run: {@link #outcome()} if it is a {@code Respond}.
   *
   * @return the response to write; empty if the request may proceed
   */
  public Optional<Outcome.Respond> response() {
    return outcome instanceof Outcome.Respond r ? Optional.of(r) : Optional.empty();
  }

  /**
   * The authenticated principal.
   *
   * @return the principal; empty on a public route or when the request was refused before authentication
   */
  public Optional<Principal> principal() {
    return Optional.ofNullable(principal);
  }

  /**
   * The access decision that let the request through, or refused it.
   *
   * @return the decision; empty on a public route, when the request was refused before authorization, or when a
   *     safeguard failed
   */
  public Optional<AccessDecision> decision() {
    return Optional.ofNullable(decision);
  }

  /**
   * The request body, read and checked (size, content type, digest, JSON).
   *
   * @return a copy of the body; empty for a request without one or refused before the body was read
   */
  public byte[] body() {
    return body.clone();
  }

  /**
   * The path parameters of the matched route, canonical: a {@code {name:uuid}} parameter is lower case, as the
   * decision and the audit event saw it.
   *
   * @return the parameters by name, unmodifiable; empty if no route matched
   */
  public Map<String, String> pathParameters() {
    return match == null ? Map.of() : match.parameters();
  }

  /**
   * The effective client address, as the transport policy established it.
   *
   * @return the address, from a trusted proxy's forwarding header or the direct peer; {@code "unknown"} if the request
   *     was refused before the transport step
   */
  public String clientAddress() {
    return clientAddress;
  }

  /**
   * Where the application names the audit action and the records this request touched; they join the request's one
   * audit event at {@link Gate#exit}.
   *
   * @return this request's audit additions, never null; the same object on every call
   */
  public RequestAudit audit() {
    return audit;
  }

  /**
   * Whether the request came over HTTPS, as the transport policy established it (behind trusted proxies too).
   *
   * @return true if it did; false if not, or if the request was refused before the transport step
   */
  public boolean https() {
    return https;
  }

  /**
   * The id of this request in the audit log.
   *
   * @return a UUIDv7 in its canonical text form, never null
   */
  public String requestId() {
    return requestId;
  }

  /**
   * The headers that depend on the response body: the {@code Content-Digest} (RFC 9530) the client asked for with
   * {@code Want-Content-Digest}, if any. {@link Gate#exit} adds them itself when given the body; an adapter that
   * serialises the body later (JAX-RS) calls this then.
   *
   * @param responseBody the response body as it is sent; null gives no headers
   * @return the headers by name, unmodifiable; empty if the client asked for no digest or the body is null
   */
  public Map<String, String> bodyHeaders(byte[] responseBody) {
    if (wantDigest.isEmpty() || responseBody == null) {
      return Map.of();
    }
    return Map.of("Content-Digest", DigestFields.fieldValue(responseBody, wantDigest.get()));
  }
}
