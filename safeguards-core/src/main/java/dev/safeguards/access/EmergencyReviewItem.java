package dev.safeguards.access;

import dev.safeguards.identity.UserId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One emergency grant awaiting review: who opened it, when, why, and what they accessed under it (164.312(a)(2)(ii),
 * 164.308(a)(1)(ii)(D)). Built from the audit log by {@link EmergencyAccess#reviewQueue}.
 *
 * @param grantId the grant
 * @param user who opened it
 * @param openedAt when
 * @param purposeOfUse the HL7 PurposeOfUse code given; empty if the event names none
 * @param reason the reason given, from the audit log; empty if the event holds none
 * @param resourceType the type of resource the grant covered; empty if the event names none
 * @param resourceId the one resource it covered, or empty for every resource of the type
 * @param accessed every resource accessed under it, in order of first access; unmodifiable
 * @param revokedAt when its revocation was recorded, if it was revoked
 */
public record EmergencyReviewItem(String grantId, UserId user, Instant openedAt, String purposeOfUse, String reason,
    String resourceType, Optional<String> resourceId, List<ResourceRef> accessed, Optional<Instant> revokedAt) {

  /**
   * Checks and copies the parts.
   *
   * @param grantId the grant; not null
   * @param user who opened it; not null
   * @param openedAt when; not null
   * @param purposeOfUse the purpose of use code; not null, may be empty
   * @param reason the reason; not null, may be empty
   * @param resourceType the resource type; not null, may be empty
   * @param resourceId the one resource; empty for every resource of the type, not null
   * @param accessed the resources accessed; copied, not null, no null element
   * @param revokedAt when it was revoked; empty if it was not, not null
   * @throws NullPointerException if a part, or an element of {@code accessed}, is null
   */
  public EmergencyReviewItem {
    Objects.requireNonNull(grantId, "grantId");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(openedAt, "openedAt");
    Objects.requireNonNull(purposeOfUse, "purposeOfUse");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(resourceType, "resourceType");
    Objects.requireNonNull(resourceId, "resourceId");
    accessed = List.copyOf(accessed);
    Objects.requireNonNull(revokedAt, "revokedAt");
  }
}
