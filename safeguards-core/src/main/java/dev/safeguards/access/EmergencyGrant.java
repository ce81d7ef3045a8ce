package dev.safeguards.access;

import dev.safeguards.identity.UserId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An open emergency ("break-glass") grant: one user may use a set of permissions on one resource, or on every
 * resource of a type, until it expires or is revoked (164.312(a)(2)(ii)). The reason given is not part of it: it is
 * kept in the audit log only.
 *
 * @param id the grant's id, as every audit event under it names it ({@code eg-} and a UUID when {@link
 *     EmergencyAccess} opens it)
 * @param user who opened it and may use it
 * @param resourceType the type of resource it covers, e.g. {@code Patient}
 * @param resourceId the one resource it covers, or empty for every resource of the type
 * @param permissions what it allows; unmodifiable
 * @param purposeOfUse the HL7 PurposeOfUse code given, e.g. {@code ETREAT}
 * @param openedAt when it was opened
 * @param expiresAt when it ends by itself; after {@code openedAt}
 * @param revokedAt when it was revoked, if it was; a revoked grant is never in force again
 */
public record EmergencyGrant(String id, UserId user, String resourceType, Optional<String> resourceId,
    Set<Permission> permissions, String purposeOfUse, Instant openedAt, Instant expiresAt,
    Optional<Instant> revokedAt) {

  /**
   * Checks the parts.
   *
   * @param id the grant's id; not null
   * @param user who may use it; not null
   * @param resourceType the type of resource it covers; not null
   * @param resourceId the one resource it covers; empty for every resource of the type, not null
   * @param permissions what it allows; copied, not null, no null element
   * @param purposeOfUse the HL7 PurposeOfUse code; not null
   * @param openedAt when it was opened; not null
   * @param expiresAt when it ends by itself; not null, after {@code openedAt}
   * @param revokedAt when it was revoked; empty if it was not, not null
   * @throws IllegalArgumentException if {@code expiresAt} is not after {@code openedAt}
   * @throws NullPointerException if a part, or a permission, is null
   */
  public EmergencyGrant {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(resourceType, "resourceType");
    Objects.requireNonNull(resourceId, "resourceId");
    permissions = Set.copyOf(permissions);
    Objects.requireNonNull(purposeOfUse, "purposeOfUse");
    Objects.requireNonNull(openedAt, "openedAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(revokedAt, "revokedAt");
    if (!expiresAt.isAfter(openedAt)) {
      throw new IllegalArgumentException("a grant expires after it opens");
    }
  }

  /**
   * Whether the grant is in force at {@code now}: not expired, not revoked.
   *
   * @param now the instant to check; not null
   * @return true if it is not revoked and {@code openedAt <= now < expiresAt}
   */
  public boolean activeAt(Instant now) {
    return revokedAt.isEmpty() && now.isBefore(expiresAt) && !now.isBefore(openedAt);
  }

  /**
   * Whether the grant covers {@code permission} on {@code resource}, whether or not it is in force.
   *
   * @param permission the permission asked for
   * @param resource the resource; not null
   * @return true if the grant allows the permission and the resource is of its type and, for a grant of one
   *     resource, is that resource (ids compared exactly)
   */
  public boolean covers(Permission permission, ResourceRef resource) {
    return permissions.contains(permission) && resourceType.equals(resource.type())
        && resourceId.map(resource.id()::equals).orElse(true);
  }

  /**
   * This grant, revoked at {@code time}.
   *
   * @param time when it was revoked; not null
   * @return a new grant, equal to this one but revoked
   */
  public EmergencyGrant revoked(Instant time) {
    return new EmergencyGrant(id, user, resourceType, resourceId, permissions, purposeOfUse, openedAt, expiresAt,
        Optional.of(time));
  }
}
