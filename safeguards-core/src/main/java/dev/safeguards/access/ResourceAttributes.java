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
 * @param owner the user the resource belongs to, e.g. the patient's own account
 * @param tenant the tenant (organisation, clinic) it belongs to
 * @param attributes anything else, by name
 */
public record ResourceAttributes(Optional<UserId> owner, Optional<String> tenant, Map<String, String> attributes) {

  /** Checks and copies the parts. */
  public ResourceAttributes {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(tenant, "tenant");
    attributes = Map.copyOf(attributes);
  }

  /** No owner, no tenant, no attributes. */
  public static ResourceAttributes none() {
    return new ResourceAttributes(Optional.empty(), Optional.empty(), Map.of());
  }
}
