package dev.safeguards.session;

import java.time.Duration;
import java.util.Objects;

/**
 * The timeouts of automatic logoff (164.312(a)(2)(iii)): a session ends after {@code idleTimeout} without a request
 * (default 15 minutes) and {@code absoluteLifetime} after authentication (default 12 hours), whichever comes first.
 *
 * @param idleTimeout the longest time between two requests
 * @param absoluteLifetime the longest time from authentication
 */
public record SessionPolicy(Duration idleTimeout, Duration absoluteLifetime) {

  /** 15 minutes idle, 12 hours absolute. */
  public static final SessionPolicy DEFAULT = new SessionPolicy(Duration.ofMinutes(15), Duration.ofHours(12));

  /**
   * Checks the timeouts.
   *
   * @param idleTimeout the longest time between two requests: 1 minute to 8 hours, at most the absolute lifetime
   * @param absoluteLifetime the longest time from authentication: 5 minutes to 7 days
   * @throws NullPointerException if a timeout is null
   * @throws IllegalArgumentException unless the idle timeout is 1 minute to 8 hours, the absolute lifetime 5 minutes
   *     to 7 days, and the idle timeout at most the absolute lifetime
   */
  public SessionPolicy {
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    Objects.requireNonNull(absoluteLifetime, "absoluteLifetime");
    if (idleTimeout.compareTo(Duration.ofMinutes(1)) < 0 || idleTimeout.compareTo(Duration.ofHours(8)) > 0) {
      throw new IllegalArgumentException("the idle timeout must be between 1 minute and 8 hours");
    }
    if (absoluteLifetime.compareTo(Duration.ofMinutes(5)) < 0 || absoluteLifetime.compareTo(Duration.ofDays(7)) > 0) {
      throw new IllegalArgumentException("the absolute lifetime must be between 5 minutes and 7 days");
    }
    if (idleTimeout.compareTo(absoluteLifetime) > 0) {
      throw new IllegalArgumentException("the idle timeout cannot exceed the absolute lifetime");
    }
  }
}
