package dev.safeguards.identity;

import dev.safeguards.internal.Identifiers;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Who is acting: one unique user, how and when they authenticated, and the session and client they act through
 * (164.312(a)(2)(i), (d)). Every audit event and access decision names a principal.
 *
 * <p>It is also a {@link java.security.Principal} whose {@link #getName() name} is the user id, so the servlet and
 * JAX-RS adapters hand this very object to the application from {@code getUserPrincipal()}: cast it to read the
 * roles, the authentication methods and the session.
 *
 * @param userId the unique user
 * @param roles the user's roles, as the token granted them: at most 256, each 1 to 256 printable characters (spaces
 *     and any script allowed, no control or format characters)
 * @param scopes the OAuth scopes granted to the client, if any
 * @param authenticationMethods how the user authenticated (RFC 8176 {@code amr} values, e.g. {@code pwd}, {@code otp})
 * @param authenticatedAt when the user authenticated ({@code auth_time}, or the token's issue time)
 * @param sessionId the session ({@code sid}), if the token names one; 1 to 256 visible ASCII characters
 * @param clientId the client the user acts through ({@code client_id} or {@code azp}), if named; 1 to 256 visible
 *     ASCII characters
 * @param tokenId the token's id ({@code jti}), if any; 1 to 256 visible ASCII characters
 * @param expiresAt when the token that established this principal expires
 */
public record Principal(
    UserId userId,
    Set<String> roles,
    Set<String> scopes,
    Set<String> authenticationMethods,
    Instant authenticatedAt,
    Optional<String> sessionId,
    Optional<String> clientId,
    Optional<String> tokenId,
    Instant expiresAt) implements java.security.Principal {

  /**
   * Checks and copies every component.
   *
   * @param userId the unique user; not null
   * @param roles the user's roles; copied, not null, no null element, at most 256, each a name as above
   * @param scopes the OAuth scopes; copied, not null (empty for none), no null element
   * @param authenticationMethods the {@code amr} values; copied, not null (empty if unknown), no null element
   * @param authenticatedAt when the user authenticated; not null
   * @param sessionId the session id, 1 to 256 visible ASCII characters; empty if none, not null
   * @param clientId the client id, 1 to 256 visible ASCII characters; empty if none, not null
   * @param tokenId the token id, 1 to 256 visible ASCII characters; empty if none, not null
   * @param expiresAt when the token expires; not null
   * @throws IllegalArgumentException if there are more than 256 roles, a role is not a name, or an id is not an
   *     identifier; the message names the component, never the value
   * @throws NullPointerException if a component or an element of a set is null
   */
  public Principal {
    Objects.requireNonNull(userId, "userId");
    roles = Set.copyOf(roles);
    if (roles.size() > Identifiers.MAX_NAMES) {
      throw new IllegalArgumentException("at most " + Identifiers.MAX_NAMES + " roles");
    }
    roles.forEach(r -> Identifiers.name("role", r, 256));
    scopes = Set.copyOf(scopes);
    authenticationMethods = Set.copyOf(authenticationMethods);
    Objects.requireNonNull(authenticatedAt, "authenticatedAt");
    Objects.requireNonNull(sessionId, "sessionId").ifPresent(v -> Identifiers.check("sessionId", v, 256));
    Objects.requireNonNull(clientId, "clientId").ifPresent(v -> Identifiers.check("clientId", v, 256));
    Objects.requireNonNull(tokenId, "tokenId").ifPresent(v -> Identifiers.check("tokenId", v, 256));
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  /**
   * Whether the principal has {@code role}.
   *
   * @param role the role name, compared exactly (case and spaces count); not null
   * @return true if the token granted it
   * @throws NullPointerException if {@code role} is null
   */
  public boolean hasRole(String role) {
    return roles.contains(role);
  }

  /**
   * The key that automatic logoff tracks: the session id, or the token id for a token without a session.
   *
   * @return {@code sid:} and the session id, or {@code jti:} and the token id
   * @throws IllegalStateException if the token named neither
   */
  public String sessionKey() {
    return sessionId.map(s -> "sid:" + s)
        .or(() -> tokenId.map(t -> "jti:" + t))
        .orElseThrow(() -> new IllegalStateException("the principal has neither a session id nor a token id"));
  }

  /** The user id in its canonical text form: the name the servlet and JAX-RS containers see. */
  @Override
  public String getName() {
    return userId.toString();
  }
}
