package dev.safeguards.gate;

import dev.safeguards.access.Permission;
import dev.safeguards.audit.AuditAction;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One route of an API: a method and a path pattern, and what the gate requires of requests to it (164.312(a)(1)).
 *
 * <p>Patterns are literal segments and parameters, {@code /patients/{id}}, or {@code /patients/{id:uuid}} for a
 * parameter that must be a UUID (checked before any lookup; otherwise 400); each parameter name appears once. A
 * pattern outside these rules fails with {@link IllegalArgumentException} when the route is made. Make routes with
 * {@link #protect}, {@link #rolesAllowed}, {@link #publicRoute}, {@link #denied} or {@link #logout}, and refine them
 * with the {@code with*} methods, which return a new route. Immutable.
 *
 * @param method the HTTP method, upper case
 * @param pattern the path pattern
 * @param kind protected, public, denied, or the logout route the gate itself answers
 * @param permission what a protected route requires; empty for a route protected by roles
 * @param resourceType the type of resource the path names, for resource rules and the audit log
 * @param idParam the path parameter holding the resource id
 * @param contentTypes the media types a request body may have (empty: no body accepted)
 * @param json whether a body is validated as JSON before the application sees it
 * @param action the audited action; by default from the method
 * @param phi whether responses carry PHI (then {@code Cache-Control: no-store}); true for protected routes
 * @param roles for a route protected by roles instead of a permission ({@code @RolesAllowed}): the caller needs one
 * @param breakGlass whether an emergency grant may reach this route when the ordinary rules deny
 * @param handler the application code that serves it, for the endpoint inventory, if known
 */
public record Route(String method, String pattern, Kind kind, Optional<Permission> permission,
    Optional<String> resourceType, Optional<String> idParam, Set<String> contentTypes, boolean json,
    AuditAction action, boolean phi, Set<String> roles, boolean breakGlass, Optional<String> handler) {

  /** The permission a decision names for a route protected by roles. */
  public static final Permission ROLES_ALLOWED = new Permission("route", "roles-allowed");

  /** What the gate does with a route. */
  public enum Kind {
    /** Authenticated and authorized. */
    PROTECTED,
    /** Open to anyone, still HTTPS-only, limited and audited. */
    PUBLIC,
    /** Refused to everyone with 403 ({@code @DenyAll}). */
    DENIED,
    /** Authenticated; the gate ends the session and answers 204 itself. */
    LOGOUT
  }

  /**
   * Checks the parts.
   *
   * @param method the HTTP method: 1 to 16 upper-case ASCII letters
   * @param pattern the path pattern, starting with {@code /}, in the syntax above
   * @param kind what the gate does with the route; not null
   * @param permission what a protected route requires; empty for a route protected by roles and for the other kinds
   * @param resourceType the type of resource the path names; empty if it names none
   * @param idParam the path parameter holding the resource id; empty, or a parameter of {@code pattern}
   * @param contentTypes the media types a request body may have, matched without case (empty: no body accepted);
   *     copied in lower case
   * @param json whether an {@code application/json} body is validated as JSON before the application sees it
   * @param action the audited action; not null
   * @param phi whether responses carry PHI
   * @param roles the roles of which the caller needs one, for a route protected by roles; empty otherwise; copied
   * @param breakGlass whether an emergency grant may reach this route when the ordinary rules deny
   * @param handler the application code that serves it, for the endpoint inventory; empty if not known
   * @throws IllegalArgumentException if the method or pattern is malformed, {@code idParam} is not a parameter of the
   *     pattern, or a protected route names both or neither of a permission and roles
   * @throws NullPointerException if {@code method}, {@code kind}, {@code permission}, {@code resourceType}, {@code
   *     idParam}, {@code contentTypes}, {@code roles}, {@code action} or {@code handler} is null
   */
  public Route {
    Objects.requireNonNull(method, "method");
    if (!method.matches("[A-Z]{1,16}")) {
      throw new IllegalArgumentException("a route method is an upper-case HTTP method");
    }
    RoutePattern.parse(pattern);
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(permission, "permission");
    roles = Set.copyOf(roles);
    if (kind == Kind.PROTECTED && permission.isEmpty() == roles.isEmpty()) {
      throw new IllegalArgumentException("a protected route names its permission, or else the roles it allows");
    }
    Objects.requireNonNull(resourceType, "resourceType");
    Objects.requireNonNull(idParam, "idParam");
    idParam.ifPresent(p -> {
      if (!RoutePattern.parse(pattern).parameters().contains(p)) {
        throw new IllegalArgumentException("the pattern has no parameter " + p);
      }
    });
    contentTypes = Set.copyOf(contentTypes.stream().map(t -> t.toLowerCase(Locale.ROOT)).toList());
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(handler, "handler");
  }

  /**
   * A route without a named handler; the parts are checked as by the canonical constructor.
   *
   * @param method the HTTP method: 1 to 16 upper-case ASCII letters
   * @param pattern the path pattern, starting with {@code /}, in the syntax above
   * @param kind what the gate does with the route; not null
   * @param permission what a protected route requires; empty for a route protected by roles and for the other kinds
   * @param resourceType the type of resource the path names; empty if it names none
   * @param idParam the path parameter holding the resource id; empty, or a parameter of {@code pattern}
   * @param contentTypes the media types a request body may have, matched without case (empty: no body accepted);
   *     copied in lower case
   * @param json whether an {@code application/json} body is validated as JSON before the application sees it
   * @param action the audited action; not null
   * @param phi whether responses carry PHI
   * @param roles the roles of which the caller needs one, for a route protected by roles; empty otherwise; copied
   * @param breakGlass whether an emergency grant may reach this route when the ordinary rules deny
   * @throws IllegalArgumentException if the method or pattern is malformed, {@code idParam} is not a parameter of the
   *     pattern, or a protected route names both or neither of a permission and roles
   */
  public Route(String method, String pattern, Kind kind, Optional<Permission> permission,
      Optional<String> resourceType, Optional<String> idParam, Set<String> contentTypes, boolean json,
      AuditAction action, boolean phi, Set<String> roles, boolean breakGlass) {
    this(method, pattern, kind, permission, resourceType, idParam, contentTypes, json, action, phi, roles, breakGlass,
        Optional.empty());
  }

  /**
   * A route that requires {@code permission} ({@code resource:action}). For {@code POST}, {@code PUT} and {@code
   * PATCH}, {@code application/json} bodies are accepted and validated; other methods accept no body. It carries PHI,
   * allows emergency grants, and is audited with the method's action ({@code GET} and {@code HEAD} read, {@code POST}
   * create, {@code PUT} and {@code PATCH} update, {@code DELETE} delete, others execute).
   *
   * @param method the HTTP method, upper case
   * @param pattern the path pattern
   * @param permission the permission, e.g. {@code patient:read}
   * @return the new route
   * @throws IllegalArgumentException if the method, pattern or permission is malformed
   * @throws NullPointerException if an argument is null
   */
  public static Route protect(String method, String pattern, String permission) {
    return new Route(method, pattern, Kind.PROTECTED, Optional.of(Permission.parse(permission)), Optional.empty(),
        Optional.empty(), hasBody(method) ? Set.of("application/json") : Set.of(), hasBody(method),
        actionOf(method), true, Set.of(), true);
  }

  /**
   * A route open to callers holding any of {@code roles} ({@code @RolesAllowed}), without a permission check. Bodies
   * and auditing are as for {@link #protect}; it carries PHI, and emergency grants do not reach it.
   *
   * @param method the HTTP method, upper case
   * @param pattern the path pattern
   * @param roles the role names, at least one, no duplicates
   * @return the new route
   * @throws IllegalArgumentException if no role is named, a role is named twice, or the method or pattern is
   *     malformed
   * @throws NullPointerException if an argument or a role is null
   */
  public static Route rolesAllowed(String method, String pattern, String... roles) {
    if (roles.length == 0) {
      throw new IllegalArgumentException("name at least one role");
    }
    return new Route(method, pattern, Kind.PROTECTED, Optional.empty(), Optional.empty(), Optional.empty(),
        hasBody(method) ? Set.of("application/json") : Set.of(), hasBody(method), actionOf(method), true,
        Set.of(roles), false);
  }

  /**
   * A route refused to everyone with 403 ({@code @DenyAll}); the refusal is audited.
   *
   * @param method the HTTP method, upper case
   * @param pattern the path pattern
   * @return the new route
   * @throws IllegalArgumentException if the method or pattern is malformed
   * @throws NullPointerException if an argument is null
   */
  public static Route denied(String method, String pattern) {
    return new Route(method, pattern, Kind.DENIED, Optional.empty(), Optional.empty(), Optional.empty(), Set.of(),
        false, actionOf(method), false, Set.of(), false);
  }

  /**
   * A route open to anyone (e.g. {@code GET /health}); it accepts no body and carries no PHI. It is still HTTPS-only,
   * limited and audited.
   *
   * @param method the HTTP method, upper case
   * @param pattern the path pattern
   * @return the new route
   * @throws IllegalArgumentException if the method or pattern is malformed
   * @throws NullPointerException if an argument is null
   */
  public static Route publicRoute(String method, String pattern) {
    return new Route(method, pattern, Kind.PUBLIC, Optional.empty(), Optional.empty(), Optional.empty(), Set.of(),
        false, actionOf(method), false, Set.of(), false);
  }

  /**
   * The logout route: the gate authenticates the caller, ends the session and answers 204 without calling the
   * application. Audited as {@link AuditAction#LOGOUT}.
   *
   * @param method the HTTP method, upper case
   * @param pattern the path pattern
   * @return the new route
   * @throws IllegalArgumentException if the method or pattern is malformed
   * @throws NullPointerException if an argument is null
   */
  public static Route logout(String method, String pattern) {
    return new Route(method, pattern, Kind.LOGOUT, Optional.empty(), Optional.empty(), Optional.empty(), Set.of(),
        false, AuditAction.LOGOUT, false, Set.of(), false);
  }

  /**
   * This route, naming the resource of type {@code type} whose id is path parameter {@code param}: resource rules
   * then decide on that resource, and the audit event names it.
   *
   * @param type the resource type, e.g. {@code Patient}; not null
   * @param param the name of a parameter of this route's pattern
   * @return a new route; this one is unchanged
   * @throws IllegalArgumentException if the pattern has no parameter {@code param}
   * @throws NullPointerException if an argument is null
   */
  public Route withResource(String type, String param) {
    return new Route(method, pattern, kind, permission, Optional.of(type), Optional.of(param), contentTypes, json,
        action, phi, roles, breakGlass, handler);
  }

  /**
   * This route, accepting bodies of these media types (replacing the ones it had); JSON validation stays on only if it
   * was on and {@code application/json} is among them (types match without case). No type at all accepts no body.
   *
   * @param types the media types, without parameters, e.g. {@code application/fhir+json}; none null
   * @return a new route; this one is unchanged
   * @throws NullPointerException if a type is null
   */
  public Route withContentTypes(String... types) {
    Set<String> all = Set.copyOf(Stream.of(types).map(t -> t.toLowerCase(Locale.ROOT)).toList());
    return new Route(method, pattern, kind, permission, resourceType, idParam, all,
        json && all.contains("application/json"), action, phi, roles, breakGlass, handler);
  }

  /**
   * This route, audited as {@code value} (e.g. {@link AuditAction#SEARCH} for a search by POST).
   *
   * @param value the action; not null
   * @return a new route; this one is unchanged
   * @throws NullPointerException if {@code value} is null
   */
  public Route withAction(AuditAction value) {
    return new Route(method, pattern, kind, permission, resourceType, idParam, contentTypes, json, value, phi,
        roles, breakGlass, handler);
  }

  /**
   * This route, with emergency grants allowed ({@code true}, the default for {@link #protect}) or not: a route that
   * does not allow them is refused whenever the ordinary rules refuse, grant or no grant.
   *
   * @param allowed whether emergency grants may reach the route
   * @return a new route; this one is unchanged
   */
  public Route withBreakGlass(boolean allowed) {
    return new Route(method, pattern, kind, permission, resourceType, idParam, contentTypes, json, action, phi,
        roles, allowed, handler);
  }

  /**
   * This route, naming the application code that serves it (e.g. {@code PatientResource.export}) for the endpoint
   * inventory: two handlers on one method and path (JAX-RS methods that differ only by media type) are two entries.
   *
   * @param value the handler's name; not blank
   * @return a new route; this one is unchanged
   * @throws IllegalArgumentException if {@code value} is null or blank
   */
  public Route withHandler(String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("a handler has a name");
    }
    return new Route(method, pattern, kind, permission, resourceType, idParam, contentTypes, json, action, phi,
        roles, breakGlass, Optional.of(value));
  }

  private static boolean hasBody(String method) {
    return method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
  }

  static AuditAction actionOf(String method) {
    return switch (method) {
      case "GET", "HEAD" -> AuditAction.READ;
      case "POST" -> AuditAction.CREATE;
      case "PUT", "PATCH" -> AuditAction.UPDATE;
      case "DELETE" -> AuditAction.DELETE;
      default -> AuditAction.EXECUTE;
    };
  }
}
