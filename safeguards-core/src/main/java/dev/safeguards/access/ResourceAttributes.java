package dev.safeguards.access;

import dev.safeguards.identity.UserId;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What access rules may know about a resource, as the application's {@link ResourceResolver} supplies it: who owns it
 * (the patient the record is about, as a user), which tenant it belongs to, and any other attribute a custom rule
 * needs.
 *
 * @param owner the user the resource belongs to, e.g. the patient's own account; empty if none
 * @param tenant the tenant (organisation, clinic) it belongs to; empty if none
 * @param attributes anything else, by name; unmodifiable
 */
public record ResourceAttributes(Optional<UserId> owner, Optional<String> tenant, Map<String, String> attributes) {

  /**
   * Checks and copies the parts.
   *
   * @param owner the owner; empty if none, not null
   * @param tenant the tenant; empty if none, not null
   * @param attributes other attributes by name; copied, not null, no null name or value
   * @throws NullPointerException if a part, or a name or value of {@code attributes}, is null
   */
  public ResourceAttributes {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(tenant, "tenant");
    attributes = Map.copyOf(attributes);
  }

  /**
   * No owner, no tenant, no attributes.
   *
   * @return attributes that every owner and tenant rule finds nothing in
   */
  public static ResourceAttributes none() {
    return new ResourceAttributes(Optional.empty(), Optional.empty(), Map.of());
  }
}
