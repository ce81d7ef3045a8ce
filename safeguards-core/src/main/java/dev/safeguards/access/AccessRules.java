package dev.safeguards.access;

import dev.safeguards.identity.Principal;
import dev.safeguards.identity.UserId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Built-in resource-level rules and the ways to compose them (164.312(a)(1)).
 *
 * <p>Typical policy for a patient record: a patient reads their own ({@link #owner()}), a clinician reads the
 * patients whose care team they are on ({@link #relationship}), and nobody crosses tenants ({@link
 * #tenantIsolation}):
 *
 * <pre>{@code
 * AccessRules.allOf(
 *     AccessRules.tenantIsolation(p -> tenantOf(p)),
 *     AccessRules.firstApplicable(
 *         AccessRules.whenRole("patient", AccessRules.owner()),
 *         AccessRules.whenRole("clinician", AccessRules.relationship("care-team", careTeams))))
 * }</pre>
 */
public final class AccessRules {

  private AccessRules() {}

  /**
   * Permits when the resource's owner is the principal; otherwise does not apply (also when the request names no
   * resource, or the resolver finds none). Named {@code owner}.
   *
   * @return the rule; it asks the {@link ResourceResolver}
   */
  public static AccessRule owner() {
    return rule("owner", ctx -> {
      Optional<UserId> owner = ctx.attributes().flatMap(ResourceAttributes::owner);
      return owner.isPresent() && owner.get().equals(ctx.principal().userId())
          ? RuleResult.permit("owner") : RuleResult.notApplicable("owner");
    });
  }

  /**
   * Permits when {@code directory} relates the principal to the resource (e.g. care-team membership); otherwise does
   * not apply.
   *
   * @param name the rule's name in the audit log, e.g. {@code care-team}; not null
   * @param directory the application's relationships; not null. A request without a resource is not looked up
   * @return the rule
   * @throws NullPointerException if an argument is null
   */
  public static AccessRule relationship(String name, RelationshipDirectory directory) {
    Objects.requireNonNull(directory, "directory");
    return rule(name, ctx -> ctx.resource().isPresent()
        && directory.related(ctx.principal().userId(), ctx.resource().get())
        ? RuleResult.permit(name) : RuleResult.notApplicable(name));
  }

  /**
   * Permits when the resource belongs to the principal's tenant, and denies otherwise, including when either tenant is
   * unknown: a resource without a tenant is refused rather than shared across tenants.
   *
   * @param tenantOf the principal's tenant, e.g. from a claim the application keeps; not null, and it must return an
   *     {@code Optional}, never null (a null is an error, so a denial)
   * @return the rule, named {@code tenant-isolation}; it asks the {@link ResourceResolver}
   * @throws NullPointerException if {@code tenantOf} is null
   */
  public static AccessRule tenantIsolation(Function<Principal, Optional<String>> tenantOf) {
    Objects.requireNonNull(tenantOf, "tenantOf");
    return rule("tenant-isolation", ctx -> {
      Optional<String> mine = Objects.requireNonNull(tenantOf.apply(ctx.principal()), "tenantOf returned null");
      Optional<String> theirs = ctx.attributes().flatMap(ResourceAttributes::tenant);
      return mine.isPresent() && mine.equals(theirs)
          ? RuleResult.permit("tenant-isolation") : RuleResult.deny("tenant-isolation");
    });
  }

  /**
   * Applies {@code rule} only to principals holding {@code role}; for others it does not apply.
   *
   * @param role the role name, compared exactly; not null
   * @param rule the rule for holders of the role; not null
   * @return the rule, named {@code role:<role>/<rule's name>}; when it applies, the result names {@code rule}'s
   *     deciding rule
   * @throws NullPointerException if an argument is null
   */
  public static AccessRule whenRole(String role, AccessRule rule) {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(rule, "rule");
    String name = "role:" + role + "/" + rule.name();
    return rule(name, ctx -> ctx.principal().hasRole(role)
        ? rule.evaluate(ctx) : RuleResult.notApplicable(name));
  }

  /**
   * Always permits; for roles whose permission alone suffices, inside {@link #whenRole}.
   *
   * @param name the rule's name in the audit log; not null
   * @return the rule
   * @throws NullPointerException if {@code name} is null
   */
  public static AccessRule permit(String name) {
    return rule(name, ctx -> RuleResult.permit(name));
  }

  /**
   * Always denies.
   *
   * @param name the rule's name in the audit log; not null
   * @return the rule
   * @throws NullPointerException if {@code name} is null
   */
  public static AccessRule deny(String name) {
    return rule(name, ctx -> RuleResult.deny(name));
  }

  /**
   * Permits only if every rule permits; denies if any rule denies (the first denial is returned, and the rules after it
   * are not evaluated), whatever order the rules are in; otherwise, when a rule does not apply, does not apply (the
   * first such result is returned). So a rule that does not apply never hides a later denial from an enclosing
   * {@link #firstApplicable} or {@link #anyOf}.
   *
   * @param rules the rules, at least one, none null
   * @return the rule, named {@code all-of}; its results name the sub-rule that decided
   * @throws IllegalArgumentException if no rule is given
   * @throws NullPointerException if a rule is null
   */
  public static AccessRule allOf(AccessRule... rules) {
    List<AccessRule> all = list(rules);
    return rule("all-of", ctx -> {
      RuleResult notApplicable = null;
      RuleResult last = null;
      for (AccessRule r : all) {
        last = r.evaluate(ctx);
        if (last.effect() == Effect.DENY) {
          return last;
        }
        if (last.effect() == Effect.NOT_APPLICABLE && notApplicable == null) {
          notApplicable = last;
        }
      }
      return notApplicable != null ? notApplicable : last;
    });
  }

  /**
   * Permits if any rule permits (the first one decides); else denies if any denies (the first denial is returned);
   * else does not apply. Evaluates in order and stops at the first rule that permits.
   *
   * @param rules the rules, at least one, none null
   * @return the rule, named {@code any-of}; its results name the sub-rule that decided
   * @throws IllegalArgumentException if no rule is given
   * @throws NullPointerException if a rule is null
   */
  public static AccessRule anyOf(AccessRule... rules) {
    List<AccessRule> all = list(rules);
    return rule("any-of", ctx -> {
      RuleResult deny = null;
      RuleResult last = null;
      for (AccessRule r : all) {
        last = r.evaluate(ctx);
        if (last.effect() == Effect.PERMIT) {
          return last;
        }
        if (last.effect() == Effect.DENY && deny == null) {
          deny = last;
        }
      }
      return deny != null ? deny : last;
    });
  }

  /**
   * The result of the first rule that applies; not applicable if none does. Rules after it are not evaluated.
   *
   * @param rules the rules, at least one, none null
   * @return the rule, named {@code first-applicable}; its results name the sub-rule that decided
   * @throws IllegalArgumentException if no rule is given
   * @throws NullPointerException if a rule is null
   */
  public static AccessRule firstApplicable(AccessRule... rules) {
    List<AccessRule> all = list(rules);
    return rule("first-applicable", ctx -> {
      RuleResult last = null;
      for (AccessRule r : all) {
        last = r.evaluate(ctx);
        if (last.effect() != Effect.NOT_APPLICABLE) {
          return last;
        }
      }
      return last;
    });
  }

  /**
   * A rule named {@code name} that evaluates {@code body}.
   *
   * @param name the rule's name in the audit log; not null
   * @param body what the rule decides; it must not return null (a null result is an error, so a denial)
   * @return the rule
   * @throws NullPointerException if an argument is null
   */
  public static AccessRule rule(String name, Body body) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(body, "body");
    return new AccessRule() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public RuleResult evaluate(AccessContext context) throws Exception {
        return Objects.requireNonNull(body.evaluate(context), "rule " + name + " returned null");
      }
    };
  }

  /** The body of a rule made with {@link #rule}. */
  @FunctionalInterface
  public interface Body {
    /**
     * Evaluates.
     *
     * @param context who asks, for what, on which resource
     * @return the effect and the name of the rule that decided; never null
     * @throws Exception if it cannot decide; the access is then denied
     */
    RuleResult evaluate(AccessContext context) throws Exception;
  }

  private static List<AccessRule> list(AccessRule... rules) {
    List<AccessRule> all = List.of(rules);
    if (all.isEmpty()) {
      throw new IllegalArgumentException("a composite rule needs at least one rule");
    }
    return all;
  }
}
