package dev.safeguards.access;

/**
 * Access was refused (164.312(a)(1)). The message names the permission and the rule that decided, never the content
 * of a resource; response bodies must not echo it.
 */
public class AccessDeniedException extends Exception {

  private static final long serialVersionUID = 1L;

  private final transient AccessDecision decision;

  /**
   * Refused by {@code decision}; the message names its permission and rule.
   *
   * @param decision the denial; not null. It is not serialized with the exception
   * @throws NullPointerException if {@code decision} is null
   */
  public AccessDeniedException(AccessDecision decision) {
    super("access denied: " + decision.permission() + " (rule " + decision.rule() + ")");
    this.decision = decision;
  }

  /**
   * An exception with {@code message}, for refusals that are not access decisions (e.g. an ineligible role).
   *
   * @param message why; no resource content and no PHI
   */
  public AccessDeniedException(String message) {
    super(message);
    this.decision = null;
  }

  /**
   * The decision, if the refusal came from one.
   *
   * @return the decision; empty for a refusal made with a message, or after deserialization
   */
  public java.util.Optional<AccessDecision> decision() {
    return java.util.Optional.ofNullable(decision);
  }
}
