package dev.safeguards.authn;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Failure counters of {@link LoginThrottle}, keyed {@code account:<name>} and {@code address:<ip>}: the SPI behind
 * login throttling. A cluster backs it with a shared store so that an attacker cannot spread guesses over nodes.
 */
public interface ThrottleStore {

  /**
   * Consecutive failures of one key.
   *
   * @param failures how many failures since the last success or reset
   * @param lastFailure when the last one happened
   * @param blockedUntil no attempt is allowed before this instant
   */
  record Counter(int failures, Instant lastFailure, Instant blockedUntil) {
    /** Checks every component. */
    public Counter {
      Objects.requireNonNull(lastFailure, "lastFailure");
      Objects.requireNonNull(blockedUntil, "blockedUntil");
    }
  }

  /**
   * How failures of one kind of key are counted: from the {@code delayFrom}-th consecutive failure each attempt must
   * wait {@code baseDelay}, doubled after each further failure up to {@code maxDelay}; from the {@code lockoutAt}-th the
   * key is locked out for {@code lockout}; a failure more than {@code forgetAfter} after the one before starts the
   * count again.
   */
  record Rule(int delayFrom, int lockoutAt, Duration baseDelay, Duration maxDelay, Duration lockout,
      Duration forgetAfter) {
    /** Checks every component. */
    public Rule {
      if (delayFrom < 1 || delayFrom > lockoutAt) {
        throw new IllegalArgumentException("need 1 <= delayFrom <= lockoutAt");
      }
      if (baseDelay.isNegative() || baseDelay.isZero() || baseDelay.compareTo(maxDelay) > 0 || lockout.isNegative()
          || forgetAfter.isNegative() || forgetAfter.isZero()) {
        throw new IllegalArgumentException("need 0 < baseDelay <= maxDelay, lockout >= 0 and forgetAfter > 0");
      }
    }

    /** The rule: the counter after one more failure at {@code now}, given the current one. */
    public Counter next(Optional<Counter> current, Instant now) {
      int failures = current.filter(c -> c.lastFailure().isAfter(now.minus(forgetAfter))).map(Counter::failures)
          .orElse(0) + 1;
      Instant blocked = now;
      if (failures >= lockoutAt) {
        blocked = now.plus(lockout);
      } else if (failures >= delayFrom) {
        int exponent = Math.min(failures - delayFrom, 30);
        Duration delay = baseDelay.multipliedBy(1L << exponent);
        blocked = now.plus(delay.compareTo(maxDelay) > 0 ? maxDelay : delay);
      }
      return new Counter(failures, now, blocked);
    }
  }

  /** The counter of {@code key}, if any. */
  Optional<Counter> get(String key);

  /**
   * Counts one failure of {@code key} at {@code now}, atomically, by {@link Rule#next}; a remote store does it in one
   * round trip.
   *
   * @return the counter after it
   */
  Counter recordFailure(String key, Instant now, Rule rule);

  /** Forgets the failures of {@code key}. */
  void clear(String key);

  /**
   * An in-process store of at most {@code maxKeys} counters; counters idle for a day are dropped when room is needed,
   * then the oldest.
   */
  static ThrottleStore inMemory(int maxKeys, Clock clock) {
    return new InMemoryThrottleStore(maxKeys, clock);
  }
}
