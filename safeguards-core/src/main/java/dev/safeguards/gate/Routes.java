package dev.safeguards.gate;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The routes an adapter protects (164.312(a)(1)). A request to a path no route knows is refused with 404, and to a
 * known path with another method with 405: nothing is served by default. Immutable and thread-safe.
 */
public final class Routes {

  private final List<Route> routes;
  private final List<RoutePattern> patterns;

  private Routes(List<Route> routes) {
    this.routes = List.copyOf(routes);
    this.patterns = routes.stream().map(r -> RoutePattern.parse(r.pattern())).toList();
  }

  /**
   * Routes in order of precedence (the first that matches wins).
   *
   * @param routes the routes, none null; none at all gives routes that refuse every request with 404
   * @return the routes, in the order given
   * @throws IllegalArgumentException if two routes have the same method and pattern
   * @throws NullPointerException if a route is null
   */
  public static Routes of(Route... routes) {
    List<Route> all = List.of(routes);
    Set<String> seen = new java.util.HashSet<>();
    for (Route r : all) {
      if (!seen.add(r.method() + " " + r.pattern())) {
        throw new IllegalArgumentException("two routes for " + r.method() + " " + r.pattern());
      }
    }
    return new Routes(all);
  }

  /**
   * Every route, for the endpoint inventory.
   *
   * @return the routes in order of precedence, unmodifiable
   */
  public List<Route> all() {
    return routes;
  }

  /**
   * A route that matched, and the path parameters.
   *
   * @param route the route
   * @param parameters the path parameters' raw values by name, in the pattern's order; canonical (UUIDs in lower case)
   *     once the gate checked them, as {@link Exchange#pathParameters()} shows them
   */
  public record Match(Route route, Map<String, String> parameters) {}

  /**
   * The outcome of matching: a route, or the methods the path allows (empty when no route knows the path).
   *
   * @param match the route for the method and path; empty if none
   * @param allowedMethods when there is no match, the methods of the routes whose pattern matches the path, sorted
   *     (for 405's {@code Allow}); empty when there is a match or no route knows the path
   */
  public record Lookup(Optional<Match> match, Set<String> allowedMethods) {}

  /**
   * Finds the route for {@code method} and {@code path} (the raw path, without query). A path that does not start with
   * {@code /} (such as {@code *} or an empty path) matches no route. A parameter matches any non-empty segment here;
   * the gate checks {@code {name:uuid}} values afterwards.
   *
   * @param method the request method, compared exactly (routes are upper case)
   * @param path the raw path, still percent-encoded; not null
   * @return the lookup, never null
   */
  public Lookup lookup(String method, String path) {
    if (!path.startsWith("/")) {
      return new Lookup(Optional.empty(), Set.of());
    }
    List<String> segments = RoutePattern.split(path);
    TreeSet<String> allowed = new TreeSet<>();
    for (int i = 0; i < routes.size(); i++) {
      Optional<Map<String, String>> params = patterns.get(i).match(segments);
      if (params.isPresent()) {
        if (routes.get(i).method().equals(method)) {
          return new Lookup(Optional.of(new Match(routes.get(i), params.get())), Set.of());
        }
        allowed.add(routes.get(i).method());
      }
    }
    return new Lookup(Optional.empty(), allowed);
  }

  /**
   * {@code match} with its parameters in canonical form (UUIDs in lower case), or empty if a parameter is malformed
   * (a {@code {name:uuid}} value that is not a UUID, or a value the audit log cannot name).
   */
  Optional<Match> canonical(Match match) {
    return patterns.get(routes.indexOf(match.route())).canonical(match.parameters())
        .map(params -> new Match(match.route(), params));
  }
}
