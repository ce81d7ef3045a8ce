package dev.safeguards.access;

import dev.safeguards.compliance.Evidence;
import dev.safeguards.compliance.Specification;
import dev.safeguards.compliance.Status;
import dev.safeguards.identity.Principal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether a principal may take an action, by role and by resource, denying by default (164.312(a)(1)).
 *
 * <p>A request is permitted when
 * <ol>
 *   <li>one of the principal's roles grants the permission, and
 *   <li>if the request names a resource of a type that has a resource rule, that rule permits;
 * </ol>
 * otherwise, when {@link EmergencyAccess} is configured and the principal holds an active emergency grant covering the
 * permission and the resource, it is permitted under that grant (flagged in the decision); otherwise it is denied.
 * Every decision names the rule that decided. A rule or resolver that throws makes the decision a denial (fail
 * closed), logged with the exception's type only. Immutable and thread-safe.
 */
public final class AccessPolicy {

  /** The rule named when no role grants the permission. */
  public static final String DENY_BY_DEFAULT = "deny-by-default";

  private static final Logger LOG = LoggerFactory.getLogger(AccessPolicy.class);

  private final Map<String, Set<Permission>> roles;
  private final Map<String, AccessRule> resourceRules;
  private final ResourceResolver resolver;
  private final EmergencyAccess emergency;

  private AccessPolicy(Builder b) {
    Map<String, Set<Permission>> copy = new HashMap<>();
    b.roles.forEach((role, perms) -> copy.put(role, Set.copyOf(perms)));
    this.roles = Map.copyOf(copy);
    this.resourceRules = Map.copyOf(b.resourceRules);
    this.resolver = b.resolver;
    this.emergency = b.emergency;
  }

  /**
   * Starts configuring a policy.
   *
   * @return a new builder, with no role, no resource rule, no resolver and no emergency access
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Decides {@code permission} for {@code principal}, with no particular resource (e.g. creating one). Resource rules
   * and emergency grants, which need a resource, play no part.
   *
   * @param principal who asks; not null
   * @param permission what they ask to do; not null
   * @return the decision, naming the rule that decided; never null
   * @throws NullPointerException if an argument is null
   */
  public AccessDecision decide(Principal principal, Permission permission) {
    return decide(principal, permission, Optional.empty());
  }

  /**
   * Decides {@code permission} on {@code resource} for {@code principal}, with emergency grants considered if
   * emergency access is configured.
   *
   * @param principal who asks; not null
   * @param permission what they ask to do; not null
   * @param resource the resource; not null
   * @return the decision, naming the rule that decided; never null
   * @throws NullPointerException if an argument is null
   * @throws dev.safeguards.StateUnavailableException if the emergency grant store is consulted and cannot answer
   */
  public AccessDecision decide(Principal principal, Permission permission, ResourceRef resource) {
    return decide(principal, permission, Optional.of(resource));
  }

  /**
   * Decides {@code permission} on {@code resource} for {@code principal}, with emergency grants considered only if
   * {@code emergencyAllowed} (for routes that allow break-glass access).
   *
   * @param principal who asks; not null
   * @param permission what they ask to do; not null
   * @param resource the resource; empty for none (then no resource rule and no grant applies), not null
   * @param emergencyAllowed whether an active emergency grant may permit what the ordinary rules deny
   * @return the decision, naming the rule that decided; never null
   * @throws NullPointerException if an argument is null
   * @throws dev.safeguards.StateUnavailableException if the emergency grant store is consulted and cannot answer
   */
  public AccessDecision decide(Principal principal, Permission permission, Optional<ResourceRef> resource,
      boolean emergencyAllowed) {
    return decide(principal, permission, resource, emergencyAllowed ? emergency : null);
  }

  private AccessDecision decide(Principal principal, Permission permission, Optional<ResourceRef> resource) {
    return decide(principal, permission, resource, emergency);
  }

  private AccessDecision decide(Principal principal, Permission permission, Optional<ResourceRef> resource,
      EmergencyAccess emergency) {
    Objects.requireNonNull(principal, "principal");
    Objects.requireNonNull(permission, "permission");
    List<String> granting = new TreeSet<>(principal.roles()).stream()
        .filter(r -> roles.getOrDefault(r, Set.of()).contains(permission)).toList();
    RuleResult denial;
    if (granting.isEmpty()) {
      denial = RuleResult.deny(DENY_BY_DEFAULT);
    } else {
      AccessRule rule = resource.map(r -> resourceRules.get(r.type())).orElse(null);
      if (rule == null) {
        return new AccessDecision(true, "role:" + granting.get(0), permission, resource, Optional.empty(),
            Set.copyOf(granting));
      }
      RuleResult result = evaluate(rule, new AccessContext(principal, permission, resource, resolver));
      if (result.effect() == Effect.PERMIT) {
        return new AccessDecision(true, result.rule(), permission, resource, Optional.empty(),
            authorizing(rule, principal, granting, permission, resource));
      }
      denial = result.effect() == Effect.DENY ? result : RuleResult.deny("no-rule-applies");
    }
    if (emergency != null && resource.isPresent()) {
      Optional<EmergencyGrant> grant = emergency.activeGrant(principal, permission, resource.get());
      if (grant.isPresent()) {
        return new AccessDecision(true, "emergency:" + grant.get().id(), permission, resource,
            Optional.of(grant.get().id()));
      }
    }
    return new AccessDecision(false, denial.rule(), permission, resource, Optional.empty());
  }

  /**
   * Which of the granting roles the rule permits on its own: the rule is asked again for each with the caller holding
   * only that role, so that a role which may not see this resource adds nothing to what the caller is shown. A rule
   * that permits only the combination of roles leaves them all authorising.
   */
  private Set<String> authorizing(AccessRule rule, Principal principal, List<String> granting, Permission permission,
      Optional<ResourceRef> resource) {
    if (granting.size() == 1) {
      return Set.of(granting.get(0));
    }
    Set<String> alone = new java.util.LinkedHashSet<>();
    for (String role : granting) {
      Principal narrowed = new Principal(principal.userId(), Set.of(role), principal.scopes(),
          principal.authenticationMethods(), principal.authenticatedAt(), principal.sessionId(),
          principal.clientId(), principal.tokenId(), principal.expiresAt());
      if (evaluate(rule, new AccessContext(narrowed, permission, resource, resolver)).effect() == Effect.PERMIT) {
        alone.add(role);
      }
    }
    return alone.isEmpty() ? Set.copyOf(granting) : alone;
  }

  private static RuleResult evaluate(AccessRule rule, AccessContext context) {
    try {
      return rule.evaluate(context);
    } catch (Exception | Error e) {
      if (e instanceof VirtualMachineError) {
        throw (Error) e;
      }
      LOG.warn("access rule {} failed; denying: {}", rule.name(), e.getClass().getName());
      return RuleResult.deny("error:" + rule.name());
    }
  }

  /**
   * The emergency access procedure, if configured.
   *
   * @return the procedure given to {@link Builder#emergencyAccess}; empty if none
   */
  public Optional<EmergencyAccess> emergencyAccess() {
    return Optional.ofNullable(emergency);
  }

  /**
   * Its roles and rules for the compliance report; it serves 164.312(a)(2)(ii) when an emergency access procedure is
   * configured.
   *
   * @return new evidence: the roles with their permissions and the resource rules, sorted by name, and the emergency
   *     access procedure's settings; emergency access is reported not met when none is configured
   */
  public Evidence evidence() {
    Evidence.Builder e = Evidence.of("AccessPolicy").setting("defaultDecision", "deny")
        .setting("roles", roles.entrySet().stream().sorted(Map.Entry.comparingByKey())
            .map(r -> r.getKey() + ": " + r.getValue().stream().map(Permission::toString).sorted()
                .collect(java.util.stream.Collectors.joining(" "))).toList())
        .setting("resourceRules", resourceRules.entrySet().stream().sorted(Map.Entry.comparingByKey())
            .map(r -> r.getKey() + ": " + r.getValue().name()).toList());
    if (emergency == null) {
      return e.weakens(Specification.EMERGENCY_ACCESS, Status.NOT_MET,
          "no emergency access procedure: configure AccessPolicy.Builder.emergencyAccess").build();
    }
    Evidence ea = emergency.evidence();
    ea.assessment().forEach(e::serves);
    ea.settings().forEach((k, v) -> e.setting("emergency." + k, v));
    ea.notes().forEach(e::note);
    return e.build();
  }

  /**
   * The permissions each role holds, for the compliance report and the endpoint inventory.
   *
   * @return an unmodifiable map from role name to its unmodifiable set of permissions
   */
  public Map<String, Set<Permission>> roles() {
    return roles;
  }

  /** Configures an {@link AccessPolicy}. */
  public static final class Builder {
    private final Map<String, Set<Permission>> roles = new HashMap<>();
    private final Map<String, AccessRule> resourceRules = new HashMap<>();
    private ResourceResolver resolver;
    private EmergencyAccess emergency;

    private Builder() {}

    /**
     * Grants {@code role} the listed permissions ({@code resource:action}); may be called again to add more.
     *
     * @param role the role name, as tokens grant it (compared exactly); not blank
     * @param permissions the permissions, e.g. {@code patient:read}; none null. None at all declares the role without
     *     a permission
     * @return this builder
     * @throws IllegalArgumentException if a permission is malformed or the role is null or blank
     * @throws NullPointerException if a permission is null
     */
    public Builder role(String role, String... permissions) {
      if (role == null || role.isBlank()) {
        throw new IllegalArgumentException("a role has a name");
      }
      List<Permission> parsed = new ArrayList<>();
      for (String p : permissions) {
        parsed.add(Permission.parse(p));
      }
      roles.computeIfAbsent(role, r -> new HashSet<>()).addAll(parsed);
      return this;
    }

    /**
     * Adds {@code rule} for every request naming a resource of {@code resourceType}; such a request is permitted only
     * if a role grants the permission <em>and</em> the rule permits. A rule that does not apply denies ({@code
     * no-rule-applies}).
     *
     * @param resourceType the resource type, e.g. {@code Patient}: 1 to 64 visible ASCII characters, compared exactly
     * @param rule the rule; not null
     * @return this builder
     * @throws IllegalStateException if that type already has a rule (compose them with {@link AccessRules})
     * @throws IllegalArgumentException if {@code resourceType} is not an identifier
     * @throws NullPointerException if an argument is null
     */
    public Builder resourceRule(String resourceType, AccessRule rule) {
      Objects.requireNonNull(rule, "rule");
      if (resourceRules.putIfAbsent(new ResourceRef(resourceType, "x").type(), rule) != null) {
        throw new IllegalStateException("resource type " + resourceType + " already has a rule; compose them");
      }
      return this;
    }

    /**
     * Where rules find resource attributes (owner, tenant). Without one, {@link AccessContext#attributes()} is always
     * empty, so owner and tenant rules never permit.
     *
     * @param value the resolver; not null
     * @return this builder
     * @throws NullPointerException if {@code value} is null
     */
    public Builder resolver(ResourceResolver value) {
      resolver = Objects.requireNonNull(value, "resolver");
      return this;
    }

    /**
     * Lets active emergency grants permit what the ordinary rules deny. Without it, the compliance report shows
     * emergency access (164.312(a)(2)(ii)) as not met.
     *
     * @param value the emergency access procedure; not null
     * @return this builder
     * @throws NullPointerException if {@code value} is null
     */
    public Builder emergencyAccess(EmergencyAccess value) {
      emergency = Objects.requireNonNull(value, "emergencyAccess");
      return this;
    }

    /**
     * The policy.
     *
     * @return a new, immutable policy holding a copy of what was configured
     * @throws IllegalStateException if no role is configured
     */
    public AccessPolicy build() {
      if (roles.isEmpty()) {
        throw new IllegalStateException("an access policy needs at least one role");
      }
      return new AccessPolicy(this);
    }
  }
}
