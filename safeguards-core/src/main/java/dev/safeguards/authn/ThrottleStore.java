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
    /**
     * Checks every component.
     *
     * @param failures how many consecutive failures
     * @param lastFailure when the last one happened; not null
     * @param blockedUntil no attempt is allowed before this instant; not null
     * @throws NullPointerException if {@code lastFailure} or {@code blockedUntil} is null
     */
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
   *
   * @param delayFrom the consecutive failure from which attempts are delayed, at least 1
   * @param lockoutAt the consecutive failure from which the key is locked out, at least {@code delayFrom}
   * @param baseDelay the first delay; positive
   * @param maxDelay the longest delay; at least {@code baseDelay}
   * @param lockout how long a lockout lasts; zero or more
   * @param forgetAfter how long after a failure the count starts again; positive
   */
  record Rule(int delayFrom, int lockoutAt, Duration baseDelay, Duration maxDelay, Duration lockout,
      Duration forgetAfter) {
    /**
     * Checks every component.
     *
     * @param delayFrom the failure from which attempts are delayed, at least 1
     * @param lockoutAt the failure from which the key is locked out, at least {@code delayFrom}
     * @param baseDelay the first delay; positive
     * @param maxDelay the longest delay; at least {@code baseDelay}
     * @param lockout how long a lockout lasts; zero or more
     * @param forgetAfter how long after a failure the count starts again; positive
     * @throws IllegalArgumentException if a component is out of range
     * @throws NullPointerException if a duration is null
     */
    public Rule {
      if (delayFrom < 1 || delayFrom > lockoutAt) {
        throw new IllegalArgumentException("need 1 <= delayFrom <= lockoutAt");
      }
      if (baseDelay.isNegative() || baseDelay.isZero() || baseDelay.compareTo(maxDelay) > 0 || lockout.isNegative()
          || forgetAfter.isNegative() || forgetAfter.isZero()) {
        throw new IllegalArgumentException("need 0 < baseDelay <= maxDelay, lockout >= 0 and forgetAfter > 0");
      }
    }

    /**
     * The rule: the counter after one more failure at {@code now}, given the current one.
     *
     * @param current the key's counter; empty if it has none. Not null
     * @param now when the failure happened
     * @return the new counter: failures counted from 1 again if the last failure is {@code forgetAfter} or more
     *     before {@code now}; blocked until {@code now} (not blocked), {@code now} plus the delay, or {@code now} plus
     *     the lockout
     */
    public Counter next(Optional<Counter> current, Instant now) {
      int failures = current.filter(c -> c.lastFailure().isAfter(now.minus(forgetAfter))).map(Counter::failures)
          .orElse(0) + 1;
      return new Counter(failures, now, blockedAfter(failures, now));
    }

    /**
     * The rule: the counter with one failure taken back (an attempt counted when it began turned out a success),
     * blocked as the rule would have blocked that many failures at the same last failure.
     *
     * @param current the key's counter; not null
     * @return the counter with one failure fewer; empty if none is left
     */
    public Optional<Counter> forgive(Counter current) {
      int failures = current.failures() - 1;
      if (failures < 1) {
        return Optional.empty();
      }
      Instant blocked = blockedAfter(failures, current.lastFailure());
      return Optional.of(new Counter(failures, current.lastFailure(),
          blocked.isBefore(current.blockedUntil()) ? blocked : current.blockedUntil()));
    }

    /** Until when {@code failures} consecutive failures, the last at {@code at}, block the key. */
    private Instant blockedAfter(int failures, Instant at) {
      if (failures >= lockoutAt) {
        return at.plus(lockout);
      }
      if (failures >= delayFrom) {
        int exponent = Math.min(failures - delayFrom, 30);
        Duration delay = baseDelay.multipliedBy(1L << exponent);
        return at.plus(delay.compareTo(maxDelay) > 0 ? maxDelay : delay);
      }
      return at;
    }
  }

  /**
   * The store's answer to {@link #admit}.
   *
   * @param admitted whether the attempt may proceed; it was then counted as a failure
   * @param counter the key's counter after it (unchanged if refused: its {@code blockedUntil} says until when)
   */
  record Admission(boolean admitted, Counter counter) {
    /**
     * Checks every component.
     *
     * @param admitted whether the attempt may proceed
     * @param counter the key's counter after it; not null
     * @throws NullPointerException if {@code counter} is null
     */
    public Admission {
      Objects.requireNonNull(counter, "counter");
    }
  }

  /**
   * The counter of {@code key}, if any.
   *
   * @param key {@code account:<name>} or {@code address:<ip>}
   * @return the counter; empty if the key has none (never failed, cleared, or forgotten)
   * @throws dev.safeguards.StateUnavailableException if a shared store cannot answer
   */
  Optional<Counter> get(String key);

  /**
   * Counts one failure of {@code key} at {@code now}, atomically, by {@link Rule#next}; a remote store does it in one
   * round trip.
   *
   * @param key {@code account:<name>} or {@code address:<ip>}
   * @param now when the failure happened
   * @param rule how the key's failures are counted
   * @return the counter after it
   * @throws dev.safeguards.StateUnavailableException if a shared store cannot answer
   */
  Counter recordFailure(String key, Instant now, Rule rule);

  /**
   * Admits an attempt of {@code key} at {@code now}, atomically, in one round trip for a remote store: refused,
   * counting nothing, while the key is blocked ({@code blockedUntil} after {@code now}); otherwise admitted and
   * counted at once as a failure, by {@link Rule#next}, so that attempts made at the same moment, on any node, are
   * each counted before the next is decided. An attempt that succeeds is taken back with {@link #forgive} or
   * {@link #clear}.
   *
   * @param key {@code account:<name>} or {@code address:<ip>}
   * @param now when the attempt is made
   * @param rule how the key's failures are counted
   * @return whether it was admitted, and the counter after it
   * @throws dev.safeguards.StateUnavailableException if a shared store cannot answer
   */
  Admission admit(String key, Instant now, Rule rule);

  /**
   * Takes back one failure of {@code key}, atomically, by {@link Rule#forgive}: an attempt {@link #admit} counted
   * succeeded. Nothing happens if the key has no counter.
   *
   * @param key {@code account:<name>} or {@code address:<ip>}
   * @param rule how the key's failures are counted
   * @throws dev.safeguards.StateUnavailableException if a shared store cannot answer
   */
  void forgive(String key, Rule rule);

  /**
   * Forgets the failures of {@code key}.
   *
   * @param key {@code account:<name>} or {@code address:<ip>}
   * @throws dev.safeguards.StateUnavailableException if a shared store cannot answer
   */
  void clear(String key);

  /**
   * An in-process store of at most {@code maxKeys} counters; counters idle for a day are dropped when room is needed,
   * then the oldest (so a flood of new keys can push out a lockout: size it for the traffic).
   *
   * @param maxKeys the most counters kept, at least 1
   * @param clock the clock that tells idle counters; not null
   * @return a new, empty, thread-safe store
   * @throws IllegalArgumentException if {@code maxKeys} is below 1
   * @throws NullPointerException if {@code clock} is null
   */
  static ThrottleStore inMemory(int maxKeys, Clock clock) {
    return new InMemoryThrottleStore(maxKeys, clock);
  }
}
