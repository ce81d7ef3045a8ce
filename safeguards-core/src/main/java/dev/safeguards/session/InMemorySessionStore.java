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

  private SessionRecord compute(String key, Function<Optional<SessionRecord>, SessionRecord> change) {
    if (!sessions.containsKey(key) && sessions.size() >= maxSessions) {
      Instant now = clock.instant();
      sessions.values().removeIf(r -> !r.retainUntil().isAfter(now));
      if (sessions.size() >= maxSessions) {
        throw new IllegalStateException("the session store is full of live sessions; raise maxSessions");
      }
    }
    return sessions.compute(key, (k, current) -> Objects.requireNonNull(change.apply(Optional.ofNullable(current))));
  }
}
