package dev.safeguards.audit;

import dev.safeguards.identity.Principal;
import dev.safeguards.identity.UserId;
import dev.safeguards.internal.Identifiers;
import java.util.Collections;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who acted, and from where (164.312(b)): the user, their roles, the client and session they acted through, the
 * source address and the user agent. Every part is optional, so that an anonymous or failed request can be audited.
 *
 * @param user the user, when authenticated
 * @param roles the user's roles; iterated in sorted order
 * @param clientId the OAuth client, when known
 * @param sessionId the session, when known
 * @param sourceAddress the client's network address as the transport established it
 * @param userAgent the {@code User-Agent} header, cleaned: printable ASCII only, at most 256 characters
 */
public record AuditActor(
    Optional<UserId> user,
    Set<String> roles,
    Optional<String> clientId,
    Optional<String> sessionId,
    Optional<String> sourceAddress,
    Optional<String> userAgent) {

  private static final AuditActor ANONYMOUS = new AuditActor(Optional.empty(), new TreeSet<>(), Optional.empty(),
      Optional.empty(), Optional.empty(), Optional.empty());

  /**
   * Checks every part.
   *
   * @param user the user, when authenticated; not null (empty when nobody authenticated)
   * @param roles the user's roles, each 1 to 256 printable characters; not null; copied into a sorted, unmodifiable set
   * @param clientId the OAuth client, when known; not null
   * @param sessionId the session, when known; not null
   * @param sourceAddress the client's network address, when known; not null
   * @param userAgent the {@code User-Agent} header as received, when known; not null. Kept reduced to its product
   *     tokens ({@link #withUserAgent}); empty if none is left
   * @throws NullPointerException if a part, or a role, is null
   * @throws IllegalArgumentException if a role is not a name (1 to 256 printable characters, spaces and any script
   *     allowed), or the client id or the session id is not an identifier (1 to 256 visible ASCII characters), or
   *     the address is not one of 1 to 64
   */
  public AuditActor {
    Objects.requireNonNull(user, "user");
    TreeSet<String> sorted = new TreeSet<>();
    for (String role : roles) {
      sorted.add(Identifiers.name("role", role, 256));
    }
    roles = Collections.unmodifiableSortedSet(sorted);
    AuditValues.identifier("clientId", clientId, AuditValues.MAX_IDENTIFIER);
    AuditValues.identifier("sessionId", sessionId, AuditValues.MAX_IDENTIFIER);
    AuditValues.identifier("sourceAddress", sourceAddress, 64);
    userAgent = Objects.requireNonNull(userAgent, "userAgent").map(AuditValues::userAgent).filter(a -> !a.isEmpty());
  }

  /**
   * An actor nobody authenticated.
   *
   * @return the actor with no user, role, client, session, address or user agent
   */
  public static AuditActor anonymous() {
    return ANONYMOUS;
  }

  /**
   * The authenticated {@code principal}: its user, roles, client and session.
   *
   * @param principal the authenticated principal; not null
   * @return its actor, with no source address and no user agent yet
   */
  public static AuditActor of(Principal principal) {
    return new AuditActor(Optional.of(principal.userId()), principal.roles(), principal.clientId(),
        principal.sessionId(), Optional.empty(), Optional.empty());
  }

  /**
   * This actor, seen from {@code address}.
   *
   * @param address the client's network address as the transport established it; not null
   * @return a new actor; this one is unchanged
   * @throws IllegalArgumentException if the address is not an identifier of 1 to 64 visible ASCII characters
   */
  public AuditActor from(String address) {
    return new AuditActor(user, roles, clientId, sessionId, Optional.of(address), userAgent);
  }

  /**
   * This actor, using {@code agent}, reduced to its {@code name/version} product tokens (comments and other words
   * dropped, so that no free text a client sends is kept); no user agent if none is left.
   *
   * @param agent the {@code User-Agent} header as received; not null
   * @return a new actor; this one is unchanged
   */
  public AuditActor withUserAgent(String agent) {
    return new AuditActor(user, roles, clientId, sessionId, sourceAddress, Optional.of(agent));
  }

  /**
   * Whether the actor holds {@code role}.
   *
   * @param role the role's name, compared exactly (case-sensitive)
   * @return whether {@link #roles()} contains it
   */
  public boolean hasRole(String role) {
    return roles.contains(role);
  }
}
