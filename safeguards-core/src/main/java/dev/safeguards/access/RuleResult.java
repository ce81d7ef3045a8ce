package dev.safeguards.access;

import java.util.Objects;

/**
 * What a rule decided and which rule it was, so that the audit log can name the rule that decided (164.312(b)).
 *
 * @param effect permit, deny, or not applicable
 * @param rule the name of the rule that produced the effect (for a composite, the sub-rule that decided)
 */
public record RuleResult(Effect effect, String rule) {

  /**
   * Checks both parts.
   *
   * @param effect the effect; not null
   * @param rule the name of the rule that decided; not null
   * @throws NullPointerException if either is null
   */
  public RuleResult {
    Objects.requireNonNull(effect, "effect");
    Objects.requireNonNull(rule, "rule");
  }

  /**
   * {@code rule} permits.
   *
   * @param rule the rule's name; not null
   * @return a {@link Effect#PERMIT} result
   */
  public static RuleResult permit(String rule) {
    return new RuleResult(Effect.PERMIT, rule);
  }

  /**
   * {@code rule} denies.
   *
   * @param rule the rule's name; not null
   * @return a {@link Effect#DENY} result
   */
  public static RuleResult deny(String rule) {
    return new RuleResult(Effect.DENY, rule);
  }

  /**
   * {@code rule} does not apply.
   *
   * @param rule the rule's name; not null
   * @return a {@link Effect#NOT_APPLICABLE} result
   */
  public static RuleResult notApplicable(String rule) {
    return new RuleResult(Effect.NOT_APPLICABLE, rule);
  }
}
