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
 * @param user the user, the token's {@code sub}
 * @param roles the roles granted; a verifier accepts at most 256, each 1 to 256 printable characters
 * @param scopes the OAuth scopes granted; empty for none
 * @param authenticationMethods RFC 8176 {@code amr} values, e.g. {@code pwd} and {@code otp}
 * @param authenticatedAt when the user authenticated ({@code auth_time}, in whole seconds)
 * @param sessionId the session ({@code sid}); automatic logoff tracks it. A verifier accepts 1 to 256 visible ASCII
 *     characters
 * @param clientId the client ({@code client_id}), if any
 */
public record AccessGrant(
    UserId user,
    Set<String> roles,
    Set<String> scopes,
    Set<String> authenticationMethods,
    Instant authenticatedAt,
    String sessionId,
    Optional<String> clientId) {

  /**
   * Checks and copies every component.
   *
   * @param user the user; not null
   * @param roles the roles; copied, not null, no null element
   * @param scopes the scopes; copied, not null, no null element
   * @param authenticationMethods the {@code amr} values; copied, not null, no null element
   * @param authenticatedAt when the user authenticated; not null
   * @param sessionId the session id; not blank
   * @param clientId the client; empty if none, not null
   * @throws IllegalArgumentException if {@code sessionId} is blank
   * @throws NullPointerException if a component, or an element of a set, is null
   */
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
