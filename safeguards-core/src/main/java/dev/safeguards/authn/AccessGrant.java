package dev.safeguards.authn;

import dev.safeguards.identity.UserId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What an access token issued by this application grants: to whom, with which roles and scopes, how and when they
 * authenticated, and in which session.
 *
 * @param user the user
 * @param roles the roles granted
 * @param scopes the OAuth scopes granted
 * @param authenticationMethods RFC 8176 {@code amr} values, e.g. {@code pwd} and {@code otp}
 * @param authenticatedAt when the user authenticated
 * @param sessionId the session ({@code sid}); automatic logoff tracks it
 * @param clientId the client, if any
 */
public record AccessGrant(
    UserId user,
    Set<String> roles,
    Set<String> scopes,
    Set<String> authenticationMethods,
    Instant authenticatedAt,
    String sessionId,
    Optional<String> clientId) {

  /** Checks and copies every component. */
  public AccessGrant {
    Objects.requireNonNull(user, "user");
    roles = Set.copyOf(roles);
    scopes = Set.copyOf(scopes);
    authenticationMethods = Set.copyOf(authenticationMethods);
    Objects.requireNonNull(authenticatedAt, "authenticatedAt");
    Objects.requireNonNull(sessionId, "sessionId");
    if (sessionId.isBlank()) {
      throw new IllegalArgumentException("a grant needs a session id");
    }
    Objects.requireNonNull(clientId, "clientId");
  }
}
