package dev.safeguards.authn;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** {@link ThrottleStore#inMemory}. */
final class InMemoryThrottleStore implements ThrottleStore {

  private final int maxKeys;
  private final Clock clock;
  private final Map<String, Counter> counters = new HashMap<>();

  InMemoryThrottleStore(int maxKeys, Clock clock) {
    if (maxKeys < 1) {
      throw new IllegalArgumentException("maxKeys must be positive");
    }
    this.maxKeys = maxKeys;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public synchronized Optional<Counter> get(String key) {
    return Optional.ofNullable(counters.get(key));
  }

  @Override
  public synchronized Admission admit(String key, Instant now, Rule rule) {
    Counter current = counters.get(key);
    if (current != null && current.blockedUntil().isAfter(now)) {
      return new Admission(false, current);
    }
    return new Admission(true, recordFailure(key, now, rule));
  }

  @Override
  public synchronized void forgive(String key, Rule rule) {
    Counter current = counters.get(key);
    if (current != null) {
      rule.forgive(current).ifPresentOrElse(c -> counters.put(key, c), () -> counters.remove(key));
    }
  }

  @Override
  public synchronized Counter recordFailure(String key, Instant now, Rule rule) {
    Counter next = rule.next(Optional.ofNullable(counters.get(key)), now);
    if (!counters.containsKey(key) && counters.size() >= maxKeys) {
      Instant at = clock.instant();
      counters.values().removeIf(c -> c.blockedUntil().isBefore(at)
          && c.lastFailure().isBefore(at.minus(Duration.ofDays(1))));
      if (counters.size() >= maxKeys) {
        counters.entrySet().stream().min(Comparator.comparing(e -> e.getValue().lastFailure()))
            .ifPresent(e -> counters.remove(e.getKey()));
      }
    }
    counters.put(key, next);
    return next;
  }

  @Override
  public synchronized void clear(String key) {
    counters.remove(key);
  }
}
