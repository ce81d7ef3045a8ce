package dev.safeguards.gate;

import java.util.Optional;

/**
 * Deny by default (164.312(a)(1)): a request no route knows is refused; a matched route's typed path parameters are
 * checked and put in canonical form (a UUID in lower case) before the decision and the audit event use them.
 */
final class RouteStep implements Step {

  @Override
  public Optional<Refused> check(Exchange x) {
    Routes.Lookup lookup = x.routes.lookup(x.request.method(), x.request.path());
    if (lookup.match().isEmpty()) {
      return Optional.of(lookup.allowedMethods().isEmpty()
          ? Refusals.notFound() : Refusals.methodNotAllowed(lookup.allowedMethods()));
    }
    Optional<Routes.Match> canonical = x.routes.canonical(lookup.match().get());
    if (canonical.isEmpty()) {
      x.match = lookup.match().get();
      return Optional.of(Refusals.badPathId());
    }
    x.match = canonical.get();
    if (x.match.route().phi()) {
      x.transportHeaders.put("Cache-Control", "no-store");
    }
    return Optional.empty();
  }
}
