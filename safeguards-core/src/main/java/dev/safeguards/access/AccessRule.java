package dev.safeguards.access;

/**
 * A resource-level access rule: looks at who asks, for what, on which resource, and permits, denies, or stays out of it
 * (164.312(a)(1)). Build them with {@link AccessRules} and compose them there.
 *
 * <p>A rule that throws denies: the policy never lets an error become an access.
 */
public interface AccessRule {

  /**
   * The rule's name, as the audit log shows it when the rule decides.
   *
   * @return the name; not null
   */
  String name();

  /**
   * Evaluates the rule.
   *
   * @param context who asks, for what, on which resource; valid only during this call
   * @return the effect and the name of the rule that decided; not null
   * @throws Exception if the rule cannot decide; the access is then denied
   */
  RuleResult evaluate(AccessContext context) throws Exception;
}
