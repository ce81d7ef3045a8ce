package dev.safeguards;

/**
 * A shared store of safeguard state (sessions, revocations, throttle counters, ...) cannot answer now, so a safeguard
 * cannot decide: the gate refuses the request with an audited 503 and a {@code Retry-After}, and does not log each
 * such request (the store logs its outage and its recovery once each). Its message names the store's kind and
 * endpoint, never credentials, keys or values.
 */
public class StateUnavailableException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  /**
   * With a message that names no secret.
   *
   * @param message the store's kind and endpoint, and what failed; never credentials, keys or values
   */
  public StateUnavailableException(String message) {
    super(message);
  }
}
