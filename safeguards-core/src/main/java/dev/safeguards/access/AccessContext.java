package dev.safeguards.access;

import dev.safeguards.identity.Principal;
import java.util.Objects;
import java.util.Optional;

/**
 * What an {@link AccessRule} sees: who asks, for which permission, on which resource, and the resource's attributes,
 * looked up on first use (164.312(a)(1)). Not thread-safe; one per decision.
 */
public final class AccessContext {

  private final Principal principal;
  private final Permission permission;
  private final Optional<ResourceRef> resource;
  private final ResourceResolver resolver;
  private Optional<ResourceAttributes> attributes;

  AccessContext(Principal principal, Permission permission, Optional<ResourceRef> resource, ResourceResolver resolver) {
    this.principal = Objects.requireNonNull(principal, "principal");
    this.permission = Objects.requireNonNull(permission, "permission");
    this.resource = Objects.requireNonNull(resource, "resource");
    this.resolver = resolver;
  }

  /**
   * Who asks.
   *
   * @return the authenticated principal, never null
   */
  public Principal principal() {
    return principal;
  }

  /**
   * What they ask to do.
   *
   * @return the permission, never null
   */
  public Permission permission() {
    return permission;
  }

  /**
   * The resource, if the request names one.
   *
   * @return the resource; empty for a request that names none
   */
  public Optional<ResourceRef> resource() {
    return resource;
  }

  /**
   * The resource's attributes from the {@link ResourceResolver}, looked up once; empty if the request names no
   * resource, no resolver is configured, or the resource does not exist.
   *
   * @return the attributes, the same on every call once looked up
   * @throws Exception if the resolver fails; the lookup is tried again on the next call
   * @throws NullPointerException if the resolver returned null instead of an {@code Optional}
   */
  public Optional<ResourceAttributes> attributes() throws Exception {
    if (attributes == null) {
      attributes = resource.isEmpty() || resolver == null ? Optional.empty() : resolver.resolve(resource.get());
      Objects.requireNonNull(attributes, "the resource resolver returned null");
    }
    return attributes;
  }
}
