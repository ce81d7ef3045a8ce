package dev.safeguards.annotation;

import dev.safeguards.gate.Route;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The gate route of one handler method, from its access annotations and its class's (164.312(a)(1)): {@link Logout},
 * then the first of {@code @DenyAll}, {@code @PermitAll}, {@code @RolesAllowed} ({@code jakarta.annotation.security},
 * read by name so that core does not depend on that API) and {@link RequiresPermission} found on the method, else on
 * its class; then {@link AuditedResource} and {@link BreakGlassAllowed}. A method with none is refused, denied or
 * public as {@link Unannotated} says. Every adapter derives its routes here, so that the same annotations mean the same
 * thing in JAX-RS and Spring MVC.
 */
public final class AnnotatedRoutes {

  private static final List<String> ACCESS = List.of("jakarta.annotation.security.DenyAll",
      "jakarta.annotation.security.PermitAll", "jakarta.annotation.security.RolesAllowed",
      RequiresPermission.class.getName());

  private AnnotatedRoutes() {}

  /**
   * The route for {@code method} of {@code type}, answering HTTP {@code httpMethod} at {@code pattern} (a gate route
   * pattern: literal segments and {@code {name}} parameters), named {@code Type.method} in audit events.
   *
   * @param httpMethod the HTTP method the framework maps to the handler, upper case
   * @param pattern the framework's path template, in gate route pattern syntax; with {@link AuditedResource#uuid()},
   *     its {@code {idParam}} becomes {@code {idParam:uuid}}
   * @param type the class whose annotations apply when the method has none of its own; its simple name names the
   *     handler
   * @param method the handler method, whose annotations are read
   * @param unannotated what to do when neither the method nor the class has an access annotation; not null
   * @return the route, with its handler named {@code Type.method}
   * @throws IllegalStateException if the method has no access annotation and {@code unannotated} is {@link
   *     Unannotated#REFUSE}, or a {@code @RolesAllowed} has no readable {@code value()}
   * @throws IllegalArgumentException if the pattern is not a gate route pattern, {@link AuditedResource#idParam()}
   *     names no parameter of it, a {@link RequiresPermission} is not {@code resource:action}, or a {@code
   *     @RolesAllowed} names no role or one role twice
   * @throws NullPointerException if an argument is null
   */
  public static Route route(String httpMethod, String pattern, Class<?> type, Method method,
      Unannotated unannotated) {
    Objects.requireNonNull(unannotated, "unannotated");
    Route route = access(httpMethod, pattern, type, method, unannotated);
    AuditedResource audited = method.getAnnotation(AuditedResource.class);
    if (audited != null) {
      if (audited.uuid()) {
        route = new Route(route.method(),
            route.pattern().replace("{" + audited.idParam() + "}", "{" + audited.idParam() + ":uuid}"),
            route.kind(), route.permission(), route.resourceType(), route.idParam(), route.contentTypes(),
            route.json(), route.action(), route.phi(), route.roles(), route.breakGlass());
      }
      route = route.withResource(audited.type(), audited.idParam());
    }
    if (route.permission().isPresent()) {
      route = route.withBreakGlass(method.isAnnotationPresent(BreakGlassAllowed.class));
    }
    return route.withHandler(type.getSimpleName() + "." + method.getName());
  }

  private static Route access(String http, String pattern, Class<?> type, Method method, Unannotated unannotated) {
    if (method.isAnnotationPresent(Logout.class)) {
      return Route.logout(http, pattern);
    }
    Annotation access = access(method).or(() -> access(type)).orElse(null);
    if (access instanceof RequiresPermission p) {
      return Route.protect(http, pattern, p.value());
    }
    if (access != null) {
      return switch (access.annotationType().getSimpleName()) {
        case "DenyAll" -> Route.denied(http, pattern);
        case "PermitAll" -> Route.publicRoute(http, pattern);
        default -> Route.rolesAllowed(http, pattern, roles(access));
      };
    }
    return switch (unannotated) {
      case REFUSE -> throw new IllegalStateException("handler method " + type.getName() + "." + method.getName()
          + " has no access annotation (@RequiresPermission, @RolesAllowed, @PermitAll, @DenyAll)");
      case DENY -> Route.denied(http, pattern);
      case PUBLIC -> Route.publicRoute(http, pattern);
    };
  }

  private static Optional<Annotation> access(AnnotatedElement element) {
    for (String name : ACCESS) {
      for (Annotation a : element.getAnnotations()) {
        if (a.annotationType().getName().equals(name)) {
          return Optional.of(a);
        }
      }
    }
    return Optional.empty();
  }

  private static String[] roles(Annotation rolesAllowed) {
    try {
      return (String[]) rolesAllowed.annotationType().getMethod("value").invoke(rolesAllowed);
    } catch (NoSuchMethodException | IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("@RolesAllowed without a readable value()", e);
    }
  }
}
