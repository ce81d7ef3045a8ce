package dev.safeguards.access;

import dev.safeguards.audit.AuditEvent;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The outcome of an access check, with the rule that decided it, for the audit log (164.312(a)(1), (b)).
 *
 * @param permitted whether access is allowed
 * @param rule the rule that decided, e.g. {@code role:clinician/care-team}, {@code deny-by-default},
 *     {@code emergency}
 * @param permission what was asked
 * @param resource the resource asked about, if any
 * @param emergencyGrant the emergency grant that allowed it, when the ordinary rules would not have
 * @param authorizingRoles the roles that authorised this access: those granting the permission for which the resource
 *     rule permits it; empty for a denial and for access under an emergency grant. Minimum necessary filters by these
 *     (or by the grant), never by every role the caller holds.
 */
public record AccessDecision(boolean permitted, String rule, Permission permission, Optional<ResourceRef> resource,
    Optional<String> emergencyGrant, Set<String> authorizingRoles) {

  /**
   * Checks the parts.
   *
   * @param permitted whether access is allowed
   * @param rule the rule that decided; not null
   * @param permission what was asked; not null
   * @param resource the resource asked about; empty if none, not null
   * @param emergencyGrant the id of the emergency grant that allowed it; empty if none, not null
   * @param authorizingRoles the roles that authorised the access; copied, not null, empty for a denial
   * @throws IllegalArgumentException if a denial names an emergency grant or authorising roles
   * @throws NullPointerException if a part, or a role, is null
   */
  public AccessDecision {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(permission, "permission");
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(emergencyGrant, "emergencyGrant");
    authorizingRoles = Set.copyOf(authorizingRoles);
    if (emergencyGrant.isPresent() && !permitted) {
      throw new IllegalArgumentException("an emergency grant only ever permits");
    }
    if (!permitted && !authorizingRoles.isEmpty()) {
      throw new IllegalArgumentException("a denial is authorised by no role");
    }
  }

  /**
   * A decision without authorising roles: a denial, or access under an emergency grant.
   *
   * @param permitted whether access is allowed
   * @param rule the rule that decided; not null
   * @param permission what was asked; not null
   * @param resource the resource asked about; empty if none, not null
   * @param emergencyGrant the id of the emergency grant that allowed it; empty if none, not null
   * @throws IllegalArgumentException if a denial names an emergency grant
   * @throws NullPointerException if a part is null
   */
  public AccessDecision(boolean permitted, String rule, Permission permission, Optional<ResourceRef> resource,
      Optional<String> emergencyGrant) {
    this(permitted, rule, permission, resource, emergencyGrant, Set.of());
  }

  /**
   * Writes the decision into an audit event: the rule, the resource, and for an emergency access the grant and the
   * {@code ETREAT} purpose of use, so that every access under a grant is flagged.
   *
   * @param event the event being built; changed in place
   * @return {@code event}, for chaining
   */
  public AuditEvent.Builder applyTo(AuditEvent.Builder event) {
    event.rule(rule);
    resource.ifPresent(r -> event.entity(r.type(), r.id()));
    emergencyGrant.ifPresent(g -> event.emergencyGrant(g).purposeOfUse("ETREAT"));
    return event;
  }

  /**
   * Returns normally if access is permitted.
   *
   * @return this decision, if it permits
   * @throws AccessDeniedException if it is not
   */
  public AccessDecision orThrow() throws AccessDeniedException {
    if (!permitted) {
      throw new AccessDeniedException(this);
    }
    return this;
  }
}
