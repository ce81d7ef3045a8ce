package dev.safeguards.access;

import java.util.Objects;

/**
 * What a rule decided and which rule it was, so that the audit log can name the rule that decided (164.312(b)).
 *
 * @param effect permit, deny, or not applicable
 * @param rule the name of the rule that produced the effect (for a composite, the sub-rule that decided)
 */
public record RuleResult(Effect effect, String rule) {

  /** Checks both parts. */
  public RuleResult {
    Objects.requireNonNull(effect, "effect");
    Objects.requireNonNull(rule, "rule");
  }

  /** {@code rule} permits. */
  public static RuleResult permit(String rule) {
    return new RuleResult(Effect.PERMIT, rule);
  }

  /** {@code rule} denies. */
  public static RuleResult deny(String rule) {
    return new RuleResult(Effect.DENY, rule);
  }

  /** {@code rule} does not apply. */
  public static RuleResult notApplicable(String rule) {
    return new RuleResult(Effect.NOT_APPLICABLE, rule);
  }
}
