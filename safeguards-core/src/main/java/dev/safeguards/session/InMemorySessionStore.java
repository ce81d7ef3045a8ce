package dev.safeguards.session;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/** {@link SessionStore#inMemory}. */
final class InMemorySessionStore implements SessionStore {

  private final int maxSessions;
  private final Clock clock;
  private final ConcurrentHashMap<String, SessionRecord> sessions = new ConcurrentHashMap<>();
  /** Held to add a record (and to drop those past their retention): keeps the count at most {@code maxSessions}. */
  private final Object admission = new Object();

  InMemorySessionStore(int maxSessions, Clock clock) {
    if (maxSessions < 1) {
      throw new IllegalArgumentException("maxSessions must be positive");
    }
    this.maxSessions = maxSessions;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public Touched touch(Activity activity) {
    Touched[] result = new Touched[1];
    compute(activity.key(), current -> (result[0] = activity.apply(current)).session());
    return result[0];
  }

  @Override
  public SessionRecord end(Ending ending) {
    return compute(ending.key(), ending::apply);
  }

  /**
   * Applies {@code change} to the record of {@code key} atomically. A known session is changed in place, without the
   * admission lock; a new one is admitted under it, so that the check for room and the insertion are one step for
   * every new session and the map never holds more than {@code maxSessions} records. Only this lock's holder adds or
   * removes records.
   */
  private SessionRecord compute(String key, Function<Optional<SessionRecord>, SessionRecord> change) {
    SessionRecord changed = sessions.computeIfPresent(key,
        (k, current) -> Objects.requireNonNull(change.apply(Optional.of(current))));
    if (changed != null) {
      return changed;
    }
    synchronized (admission) {
      if (!sessions.containsKey(key) && sessions.size() >= maxSessions) {
        Instant now = clock.instant();
        sessions.values().removeIf(r -> !r.retainUntil().isAfter(now));
        if (sessions.size() >= maxSessions) {
          throw new IllegalStateException("the session store is full of live sessions; raise maxSessions");
        }
      }
      return sessions.compute(key,
          (k, current) -> Objects.requireNonNull(change.apply(Optional.ofNullable(current))));
    }
  }
}
