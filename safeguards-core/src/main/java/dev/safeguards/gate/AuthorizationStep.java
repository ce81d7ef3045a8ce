package dev.safeguards.gate;

import dev.safeguards.access.AccessDecision;
import dev.safeguards.access.AccessPolicy;
import dev.safeguards.access.ResourceRef;
import dev.safeguards.identity.Principal;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Access control (164.312(a)(1)): deny-all routes, then the route's permission (with its resource rule and
 * break-glass) or its roles. Least privilege: nothing is allowed that no rule allows.
 */
final class AuthorizationStep implements Step {

  private final AccessPolicy access;

  AuthorizationStep(AccessPolicy access) {
    this.access = access;
  }

  @Override
  public Optional<Refused> check(Exchange x) {
    Route route = x.match.route();
    if (route.kind() == Route.Kind.DENIED) {
      return Optional.of(Refusals.denyAll());
    }
    if (route.kind() != Route.Kind.PROTECTED) {
      return Optional.empty();
    }
    Optional<ResourceRef> resource = route.resourceType().flatMap(type ->
        route.idParam().map(p -> new ResourceRef(type, x.match.parameters().get(p))));
    x.decision = route.permission().isPresent()
        ? access.decide(x.principal, route.permission().get(), resource, route.breakGlass())
        : byRoles(x.principal, route, resource);
    return x.decision.permitted() ? Optional.empty() : Optional.of(Refusals.accessDenied(x.decision.rule()));
  }

  private static AccessDecision byRoles(Principal principal, Route route, Optional<ResourceRef> resource) {
    java.util.List<String> held = new TreeSet<>(route.roles()).stream().filter(principal::hasRole).toList();
    return new AccessDecision(!held.isEmpty(), held.isEmpty() ? AccessPolicy.DENY_BY_DEFAULT : "role:" + held.get(0),
        Route.ROLES_ALLOWED, resource, Optional.empty(), java.util.Set.copyOf(held));
  }
}
