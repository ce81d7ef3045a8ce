package dev.safeguards.authn;

import java.util.Objects;

/**
 * A person or client could not be authenticated (164.312(d)).
 *
 * <p>Two texts: {@link #publicDescription()} is short, fixed per {@link Reason}, and safe to return to the client
 * (with {@link #oauthError()} in an RFC 6750 {@code WWW-Authenticate} header); {@link #getMessage()} is the detail for
 * the log. Neither ever contains the token, a password, a code or key material.
 */
public final class AuthenticationException extends Exception {

  private static final long serialVersionUID = 1L;

  /** Why authentication failed. */
  public enum Reason {
    /** No credential was presented. */
    MISSING("invalid_request", "authentication required"),
    /** The token is not a well-formed signed JWT, or exceeds the size limit. */
    MALFORMED("invalid_token", "malformed token"),
    /** The token's algorithm or header is not accepted (none, an unlisted algorithm, jku/x5u/jwk, unknown crit). */
    UNACCEPTABLE_HEADER("invalid_token", "token algorithm or header not accepted"),
    /** The signing key is unknown, or not trusted for the algorithm. */
    UNKNOWN_KEY("invalid_token", "unknown signing key"),
    /** The keys could not be fetched; the token cannot be checked now (fail closed). */
    KEYS_UNAVAILABLE("invalid_token", "signing keys temporarily unavailable"),
    /** The signature does not verify. */
    INVALID_SIGNATURE("invalid_token", "invalid token signature"),
    /** A required claim is missing or malformed, or the issuer, audience or type is wrong. */
    INVALID_CLAIMS("invalid_token", "token claims not accepted"),
    /** The token has expired, is too old, lives too long, or is not valid yet. */
    EXPIRED("invalid_token", "token expired or not yet valid"),
    /** The subject is missing, blank, refused (a shared account) or cannot be mapped to a user. */
    INVALID_SUBJECT("invalid_token", "token subject not accepted"),
    /** The token, its session or its refresh token family was revoked. */
    REVOKED("invalid_token", "token revoked"),
    /** The authentication was not strong enough: a second factor is required. */
    INSUFFICIENT_AUTHENTICATION("insufficient_user_authentication", "multi-factor authentication required"),
    /** A refresh token was used twice; its whole family is now revoked. */
    REFRESH_REUSED("invalid_grant", "refresh token reused; session revoked"),
    /** The credentials (password, one-time code, refresh token) are wrong, or the account is throttled. */
    INVALID_CREDENTIALS("invalid_grant", "invalid credentials");

    private final String oauthError;
    private final String description;

    Reason(String oauthError, String description) {
      this.oauthError = oauthError;
      this.description = description;
    }
  }

  /** Why authentication failed; never null. */
  private final Reason reason;

  /**
   * Creates the exception; {@code detail} is for the log and must not contain a credential.
   *
   * @param reason why authentication failed; not null
   * @param detail the message for the log: no token, password, code or key material
   * @throws NullPointerException if {@code reason} is null
   */
  public AuthenticationException(Reason reason, String detail) {
    super(detail);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /**
   * Creates the exception with an underlying cause (whose message must not contain a credential either).
   *
   * @param reason why authentication failed; not null
   * @param detail the message for the log: no token, password, code or key material
   * @param cause the underlying failure; may be null
   * @throws NullPointerException if {@code reason} is null
   */
  public AuthenticationException(Reason reason, String detail, Throwable cause) {
    super(detail, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /**
   * Why authentication failed.
   *
   * @return the reason, never null
   */
  public Reason reason() {
    return reason;
  }

  /**
   * The error code for the client: {@code invalid_token} (RFC 6750), {@code insufficient_user_authentication}
   * (RFC 9470), {@code invalid_request} or {@code invalid_grant} (RFC 6749).
   *
   * @return the code, fixed per {@link Reason}
   */
  public String oauthError() {
    return reason.oauthError;
  }

  /**
   * A short description that is safe to return to the client, fixed per reason.
   *
   * @return the description, e.g. {@code token expired or not yet valid}
   */
  public String publicDescription() {
    return reason.description;
  }
}
