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
 * @param id the grant's id, as every audit event under it names it
 * @param user who opened it and may use it
 * @param resourceType the type of resource it covers, e.g. {@code Patient}
 * @param resourceId the one resource it covers, or empty for every resource of the type
 * @param permissions what it allows
 * @param purposeOfUse the HL7 PurposeOfUse code given, e.g. {@code ETREAT}
 * @param openedAt when it was opened
 * @param expiresAt when it ends by itself
 * @param revokedAt when it was revoked, if it was
 */
public record EmergencyGrant(String id, UserId user, String resourceType, Optional<String> resourceId,
    Set<Permission> permissions, String purposeOfUse, Instant openedAt, Instant expiresAt,
    Optional<Instant> revokedAt) {

  /** Checks the parts. */
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

  /** Whether the grant is in force at {@code now}: not expired, not revoked. */
  public boolean activeAt(Instant now) {
    return revokedAt.isEmpty() && now.isBefore(expiresAt) && !now.isBefore(openedAt);
  }

  /** Whether the grant covers {@code permission} on {@code resource}. */
  public boolean covers(Permission permission, ResourceRef resource) {
    return permissions.contains(permission) && resourceType.equals(resource.type())
        && resourceId.map(resource.id()::equals).orElse(true);
  }

  /** This grant, revoked at {@code time}. */
  public EmergencyGrant revoked(Instant time) {
    return new EmergencyGrant(id, user, resourceType, resourceId, permissions, purposeOfUse, openedAt, expiresAt,
        Optional.of(time));
  }
}
