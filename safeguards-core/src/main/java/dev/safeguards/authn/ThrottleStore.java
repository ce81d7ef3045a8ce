package dev.safeguards.authn;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

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

  /** The counter of {@code key}, if any. */
  Optional<Counter> get(String key);

  /** Atomically replaces the counter of {@code key} with {@code change(current)}; a result of empty removes it. */
  void update(String key, Function<Optional<Counter>, Optional<Counter>> change);

  /**
   * An in-process store of at most {@code maxKeys} counters; counters idle for a day are dropped when room is needed,
   * then the oldest.
   */
  static ThrottleStore inMemory(int maxKeys, Clock clock) {
    return new InMemoryThrottleStore(maxKeys, clock);
  }
}
