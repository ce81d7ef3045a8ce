package dev.safeguards.jaxrs;

import dev.safeguards.annotation.AnnotatedRoutes;
import dev.safeguards.annotation.Unannotated;
import dev.safeguards.gate.Route;
import dev.safeguards.gate.Routes;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Derives the gate's routes from resource methods and their annotations, at deployment. Thread-safe. */
final class ResourceRoutes {

  private final Unannotated unannotated;
  private final List<Route> routes = new ArrayList<>();
  private volatile Routes frozen;

  ResourceRoutes(Unannotated unannotated) {
    this.unannotated = unannotated;
  }

  /**
   * The route for a resource method, or empty for a sub-resource locator (no HTTP method).
   *
   * @throws IllegalStateException if the method has no access annotation and no default was chosen
   */
  synchronized Optional<Route> add(Class<?> resource, Method method) {
    Optional<String> http = httpMethod(method);
    if (http.isEmpty()) {
      return Optional.empty();
    }
    String pattern = pattern(resource, method);
    Route route = AnnotatedRoutes.route(http.get(), pattern, resource, method, unannotated);
    // Each resource method is guarded by its own route, even where JAX-RS picks between several on one method and
    // path by media type; only the lookup of requests no method matched keeps one route per method and path.
    if (routes.stream().noneMatch(known -> known.method().equals(http.get()) && samePath(known, pattern))) {
      routes.add(route);
      frozen = null;
    }
    return Optional.of(route);
  }

  private static boolean samePath(Route known, String pattern) {
    return known.pattern().replace(":uuid}", "}").equals(pattern);
  }

  /** One route per method and path, for requests no resource method matched (404, 405, 406, 415). */
  Routes routes() {
    Routes r = frozen;
    if (r == null) {
      synchronized (this) {
        r = Routes.of(routes.toArray(Route[]::new));
        frozen = r;
      }
    }
    return r;
  }

  private static Optional<String> httpMethod(Method method) {
    for (Annotation a : method.getAnnotations()) {
      HttpMethod http = a.annotationType().getAnnotation(HttpMethod.class);
      if (http != null) {
        return Optional.of(http.value());
      }
    }
    return Optional.empty();
  }

  /** The route pattern of a method: the class and method {@code @Path}s, templates reduced to their names. */
  static String pattern(Class<?> resource, Method method) {
    StringBuilder path = new StringBuilder();
    for (Path p : new Path[] {resource.getAnnotation(Path.class), method.getAnnotation(Path.class)}) {
      if (p != null) {
        for (String segment : p.value().split("/")) {
          if (!segment.isEmpty()) {
            path.append('/').append(template(segment));
          }
        }
      }
    }
    return path.length() == 0 ? "/" : path.toString();
  }

  private static String template(String segment) {
    if (segment.startsWith("{") && segment.endsWith("}")) {
      int colon = segment.indexOf(':');
      return "{" + (colon < 0 ? segment.substring(1, segment.length() - 1) : segment.substring(1, colon)).strip()
          + "}";
    }
    return segment;
  }
}
