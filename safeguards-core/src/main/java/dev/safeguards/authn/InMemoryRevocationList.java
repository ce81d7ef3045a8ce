package dev.safeguards.authn;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/** {@link RevocationList#inMemory}. */
final class InMemoryRevocationList implements RevocationList {

  private final int maxEntries;
  private final Clock clock;
  private final Map<String, Instant> revoked = new HashMap<>();

  InMemoryRevocationList(int maxEntries, Clock clock) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be positive");
    }
    this.maxEntries = maxEntries;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public synchronized void revoke(String id, Instant until) {
    Objects.requireNonNull(id, "id");
    Instant now = clock.instant();
    if (!revoked.containsKey(id) && revoked.size() >= maxEntries) {
      revoked.values().removeIf(u -> !u.isAfter(now));
      if (revoked.size() >= maxEntries) {
        throw new IllegalStateException("the revocation list is full of live entries; raise maxEntries");
      }
    }
    revoked.merge(id, until, (a, b) -> a.isAfter(b) ? a : b);
  }

  @Override
  public synchronized boolean isRevoked(String id) {
    Instant until = revoked.get(id);
    return until != null && until.isAfter(clock.instant());
  }
}
