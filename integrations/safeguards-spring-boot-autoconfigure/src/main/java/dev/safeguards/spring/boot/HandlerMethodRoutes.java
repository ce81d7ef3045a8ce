package dev.safeguards.spring.boot;

import dev.safeguards.Safeguards;
import dev.safeguards.annotation.AnnotatedRoutes;
import dev.safeguards.annotation.Unannotated;
import dev.safeguards.gate.Route;
import dev.safeguards.gate.Routes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * The gate's routes, derived once every singleton exists from the handler methods of every {@link
 * RequestMappingHandlerMapping} in the context (164.312(a)(1)): each method's access annotations ({@link
 * AnnotatedRoutes}: {@code @RequiresPermission}, {@code @RolesAllowed}, {@code @PermitAll}, {@code @DenyAll}, {@code
 * @AuditedResource}, {@code @BreakGlassAllowed}, {@code @Logout}) for every HTTP method and path pattern it is mapped
 * to. A handler method without an access annotation fails the start-up unless {@code safeguards.unannotated} says
 * otherwise; so does a pattern the gate cannot route ({@code *}, {@code **}, {@code {*rest}}). Routes are ordered
 * literal segments first, as Spring MVC prefers them. Handler methods of Spring's own controllers (such as Boot's
 * {@code /error}, reached only by the container's error dispatch) get no route: a request for them is answered 404 by
 * the gate. Actuator endpoints served on the application's port get the routes {@link Actuator} describes.
 */
public final class HandlerMethodRoutes implements SmartInitializingSingleton, Supplier<Routes> {

  /** The methods a mapping without a method condition answers. */
  private static final List<String> ANY_METHOD = List.of("GET", "POST", "PUT", "PATCH", "DELETE");
  private static final Pattern TEMPLATE = Pattern.compile("\\{([A-Za-z][A-Za-z0-9_]*)(?::[^/]*)?}");

  private static final String ACTUATOR_MAPPINGS = "org.springframework.boot.webmvc.actuate.";

  private final ListableBeanFactory beans;
  private final Safeguards safeguards;
  private final Unannotated unannotated;
  private final Actuator actuator;
  private volatile Routes routes;

  /**
   * What the gate asks of actuator endpoints served on the application's own port (none are served there when the
   * actuator has a management port of its own).
   *
   * @param basePath the actuator's base path ({@code management.endpoints.web.base-path}, {@code /actuator})
   * @param publicEndpoints the endpoints anyone may read, such as {@code health} for load balancers' probes (still
   *     HTTPS only and audited); every other endpoint needs the permission {@code actuator:read} ({@code
   *     actuator:write} to write)
   */
  public record Actuator(String basePath, List<String> publicEndpoints) {
    /**
     * Checks and copies the parts.
     *
     * @param basePath the actuator's base path; not null
     * @param publicEndpoints the endpoints anyone may read; copied, so that later changes to the list are not seen
     */
    public Actuator {
      Objects.requireNonNull(basePath, "basePath");
      publicEndpoints = List.copyOf(publicEndpoints);
    }
  }

  /**
   * Routes for {@code safeguards} from the handler mappings in {@code beans}, read once every singleton exists.
   *
   * @param beans the context whose {@link RequestMappingHandlerMapping}s are read
   * @param safeguards the gate, to which the routes are registered as the endpoint inventory of its compliance report
   * @param unannotated what becomes of a handler method without an access annotation
   * @param actuator how the actuator endpoints served on the application's port are routed
   */
  public HandlerMethodRoutes(ListableBeanFactory beans, Safeguards safeguards, Unannotated unannotated,
      Actuator actuator) {
    this.beans = Objects.requireNonNull(beans, "beans");
    this.safeguards = Objects.requireNonNull(safeguards, "safeguards");
    this.unannotated = Objects.requireNonNull(unannotated, "unannotated");
    this.actuator = Objects.requireNonNull(actuator, "actuator");
  }

  @Override
  public void afterSingletonsInstantiated() {
    Map<String, Route> byMethodAndPattern = new LinkedHashMap<>();
    for (RequestMappingHandlerMapping mapping : beans.getBeansOfType(RequestMappingHandlerMapping.class).values()) {
      for (Map.Entry<RequestMappingInfo, HandlerMethod> e : mapping.getHandlerMethods().entrySet()) {
        HandlerMethod handler = e.getValue();
        if (handler.getBeanType().getName().startsWith("org.springframework.")) {
          continue;
        }
        for (String method : methods(e.getKey())) {
          for (String pattern : e.getKey().getPatternValues()) {
            Route route = AnnotatedRoutes.route(method, pattern(pattern, handler), handler.getBeanType(),
                handler.getMethod(), unannotated);
            Route known = byMethodAndPattern.putIfAbsent(method + " " + route.pattern(), route);
            if (known != null && !sameRequirements(known, route)) {
              throw new IllegalStateException("handler methods " + known.handler().orElse("?") + " and "
                  + route.handler().orElse("?") + " both answer " + method + " " + pattern
                  + " with different access annotations; the gate routes by method and path only");
            }
          }
        }
      }
    }
    for (RequestMappingInfoHandlerMapping mapping
        : beans.getBeansOfType(RequestMappingInfoHandlerMapping.class).values()) {
      if (mapping.getClass().getName().startsWith(ACTUATOR_MAPPINGS)) {
        for (RequestMappingInfo info : mapping.getHandlerMethods().keySet()) {
          for (String method : methods(info)) {
            for (String pattern : info.getPatternValues()) {
              Route route = actuatorRoute(method, pattern);
              byMethodAndPattern.putIfAbsent(method + " " + route.pattern(), route);
            }
          }
        }
      }
    }
    List<Route> all = new ArrayList<>(byMethodAndPattern.values());
    all.sort(Comparator.comparing(Route::pattern, HandlerMethodRoutes::bySpecificity));
    safeguards.registerEndpoints(all); // the endpoint inventory of the compliance report
    routes = Routes.of(all.toArray(Route[]::new));
  }

  /**
   * The routes.
   *
   * @throws IllegalStateException before the context has finished creating its singletons
   */
  @Override
  public Routes get() {
    Routes r = routes;
    if (r == null) {
      throw new IllegalStateException("the Spring MVC handler methods have not been read yet");
    }
    return r;
  }

  /**
   * An actuator operation's route: public for the public endpoints, else the permission {@code actuator:read} (GET,
   * HEAD) or {@code actuator:write}; a trailing {@code **} or {@code {*name}} (an endpoint's sub-paths, such as a
   * health group) is routed one segment deep.
   */
  private Route actuatorRoute(String method, String pattern) {
    String path = pattern.replaceAll("/(\\*\\*|\\{\\*[A-Za-z0-9_]+})$", "/{path}");
    String base = actuator.basePath().endsWith("/") ? actuator.basePath() : actuator.basePath() + "/";
    String id = path.startsWith(base) ? path.substring(base.length()).split("/", 2)[0] : "";
    Route route = actuator.publicEndpoints().contains(id) ? Route.publicRoute(method, path)
        : Route.protect(method, path, method.equals("GET") || method.equals("HEAD") ? "actuator:read"
            : "actuator:write");
    return route.withHandler("actuator." + (id.isEmpty() ? "links" : id));
  }

  private static List<String> methods(RequestMappingInfo info) {
    Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
    return methods.isEmpty() ? ANY_METHOD : methods.stream().map(RequestMethod::name).sorted().toList();
  }

  /** A Spring MVC path pattern as a gate route pattern: {@code {name:regex}} becomes {@code {name}}. */
  static String pattern(String spring, HandlerMethod handler) {
    StringBuilder path = new StringBuilder();
    for (String segment : spring.split("/")) {
      if (segment.isEmpty()) {
        continue;
      }
      Matcher m = TEMPLATE.matcher(segment);
      if (m.matches()) {
        path.append("/{").append(m.group(1)).append('}');
      } else if (segment.contains("*") || segment.contains("{")) {
        throw new IllegalStateException("handler method " + handler.getBeanType().getName() + "."
            + handler.getMethod().getName() + " is mapped to " + spring + ": the gate routes literal segments and "
            + "{name} parameters only, so that every path a handler answers is named");
      } else {
        path.append('/').append(segment);
      }
    }
    return path.length() == 0 ? "/" : path.toString();
  }

  private static boolean sameRequirements(Route a, Route b) {
    return a.withHandler("-").equals(b.withHandler("-"));
  }

  /** Literal segments before parameters at the first place two patterns differ, as Spring MVC matches them. */
  private static int bySpecificity(String a, String b) {
    String[] x = a.split("/");
    String[] y = b.split("/");
    for (int i = 0; i < Math.min(x.length, y.length); i++) {
      boolean px = x[i].startsWith("{");
      boolean py = y[i].startsWith("{");
      if (px != py) {
        return px ? 1 : -1;
      }
    }
    return a.compareTo(b);
  }
}
