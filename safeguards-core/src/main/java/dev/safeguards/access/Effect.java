package dev.safeguards.access;

/** What one access rule says about a request. */
public enum Effect {
  /** The rule allows the access. */
  PERMIT,
  /** The rule forbids the access. */
  DENY,
  /** The rule has nothing to say; another rule, or deny by default, decides. */
  NOT_APPLICABLE
}
