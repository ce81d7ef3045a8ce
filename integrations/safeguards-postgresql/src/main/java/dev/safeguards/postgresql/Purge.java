package dev.safeguards.postgresql;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * When a store next deletes the rows it no longer needs: at most once a minute per store (by the injected clock), on
 * the way of a write, so that nothing grows without bound and no reader pays for it.
 */
final class Purge {

  private static final Duration EVERY = Duration.ofMinutes(1);

  private final AtomicLong next = new AtomicLong(Long.MIN_VALUE);

  /** True once a minute: the caller then deletes what expired before {@code now}. */
  boolean due(Instant now) {
    long at = next.get();
    return now.toEpochMilli() >= at && next.compareAndSet(at, now.plus(EVERY).toEpochMilli());
  }
}
