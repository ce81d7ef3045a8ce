package dev.safeguards.gate;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every answer the gate gives instead of the application's, in one place: the rule each is audited under, its status
 * and its fixed texts. A problem's detail never carries a value from the request.
 */
final class Refusals {

  private Refusals() {}

  private static Refused of(int status, String rule, String title, String detail) {
    return of(status, rule, title, detail, Map.of());
  }

  private static Refused of(int status, String rule, String title, String detail, Map<String, String> headers) {
    return new Refused(status, rule, title, detail, headers, Optional.empty());
  }

  private static Refused integrity(int status, String check, String title, String detail) {
    return new Refused(status, "integrity:" + check, title, detail, Map.of(), Optional.of(check));
  }

  // transport
  static Refused redirectToHttps(int status, String location) {
    return of(status, "transport:redirect-to-https", "Permanent Redirect", "Use HTTPS.",
        Map.of("Location", location));
  }

  static Refused plainHttp(int status) {
    return of(status, "transport:plain-http", status == 421 ? "Misdirected Request" : "Forbidden",
        "HTTPS is required.");
  }

  static Refused weakTls() {
    return of(403, "transport:weak-tls", "Forbidden", "The TLS connection is too weak.");
  }

  // audit
  static Refused auditUnavailable() {
    return of(503, "audit:unavailable", "Service Unavailable",
        "The request cannot be recorded now and was not carried out.", Map.of("Retry-After", "30"));
  }

  static Refused stateUnavailable() {
    return of(503, "state:unavailable", "Service Unavailable",
        "The request cannot be checked now and was not carried out.", Map.of("Retry-After", "5"));
  }

  static Refused auditFailed() {
    return of(503, "audit:failed", "Service Unavailable",
        "The request could not be recorded and was not completed.", Map.of("Retry-After", "30"));
  }

  // request line and headers
  static Refused badMethod() {
    return of(400, "input:method", "Bad Request", "The request method is malformed.");
  }

  static Refused malformedHeader() {
    return of(400, "input:header", "Bad Request", "A header field is malformed.");
  }

  static Refused headersTooLarge() {
    return of(431, "limits:headers", "Request Header Fields Too Large", "The request headers are too large.");
  }

  // route
  static Refused notFound() {
    return of(404, "route:unknown", "Not Found", "No such resource.");
  }

  static Refused methodNotAllowed(Set<String> allowed) {
    return of(405, "route:method", "Method Not Allowed", "This method is not allowed here.",
        Map.of("Allow", String.join(", ", allowed)));
  }

  static Refused badPathId() {
    return of(400, "input:path-id", "Bad Request", "A path identifier is malformed.");
  }

  // authentication and session
  static Refused tokenMissing() {
    return of(401, "authn:missing", "Unauthorized", "Authentication is required.",
        Map.of("WWW-Authenticate", "Bearer"));
  }

  static Refused tokenTooLarge() {
    return of(431, "limits:token", "Request Header Fields Too Large", "The token is too large.");
  }

  static Refused tokenRefused(String reason, String oauthError, String publicDescription) {
    int status = oauthError.equals("invalid_request") ? 400 : 401;
    return of(status, "authn:" + reason, status == 400 ? "Bad Request" : "Unauthorized",
        "The access token was not accepted.", Map.of("WWW-Authenticate",
            "Bearer error=\"" + oauthError + "\", error_description=\"" + publicDescription + "\""));
  }

  static Refused sessionEnded(String reason) {
    return of(401, "session:" + reason, "Unauthorized", "The session has ended; sign in again.",
        Map.of("WWW-Authenticate", "Bearer error=\"invalid_token\", error_description=\"session ended\""));
  }

  /** Not a refusal: the logout route's answer, made by the gate. */
  static Refused loggedOut() {
    return of(204, "session:logout", "No Content", "");
  }

  // authorization
  static Refused denyAll() {
    return of(403, "route:deny-all", "Forbidden", "You may not do this.");
  }

  static Refused accessDenied(String rule) {
    return of(403, rule, "Forbidden", "You may not do this.");
  }

  // body
  static Refused badContentLength() {
    return of(400, "input:content-length", "Bad Request", "The Content-Length is malformed.");
  }

  static Refused noBodyAccepted() {
    return of(415, "input:no-body-accepted", "Unsupported Media Type", "This resource accepts no request body.");
  }

  static Refused contentType(Set<String> accepted) {
    return of(415, "input:content-type", "Unsupported Media Type", "This content type is not accepted here.",
        Map.of("Accept", String.join(", ", accepted)));
  }

  static Refused bodyTooLarge() {
    return of(413, "limits:body", "Content Too Large", "The request body is too large.");
  }

  static Refused bodyUnreadable() {
    return of(400, "input:body-unreadable", "Bad Request", "The request body could not be read.");
  }

  static Refused digestMissing() {
    return integrity(400, "content-digest", "Bad Request", "A Content-Digest of the body is required.");
  }

  static Refused digestMismatch() {
    return integrity(400, "content-digest", "Bad Request", "The Content-Digest does not match the body.");
  }

  static Refused malformedJson() {
    return of(400, "input:json", "Bad Request", "The JSON body is malformed or exceeds the limits.");
  }

  static Refused signatureRequired() {
    return integrity(401, "http-signature", "Unauthorized", "A valid HTTP message signature is required.");
  }

  // failures
  static Refused gateError() {
    return of(500, "gate:error", "Internal Server Error", "The request could not be completed.");
  }

  static Refused applicationError(int status) {
    return of(status, "application:error", status == 503 ? "Service Unavailable"
        : status == 500 ? "Internal Server Error" : "Server Error", "The request could not be completed.");
  }
}
