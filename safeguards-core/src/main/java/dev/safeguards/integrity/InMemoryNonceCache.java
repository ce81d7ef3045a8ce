package dev.safeguards.integrity;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;

/** {@link NonceCache#inMemory}: a map of live nonces and a queue ordered by expiry. */
final class InMemoryNonceCache implements NonceCache {

  private record Entry(String key, Instant expiresAt) {}

  private final int maxEntries;
  private final Clock clock;
  private final Map<String, Instant> live = new HashMap<>();
  private final PriorityQueue<Entry> byExpiry = new PriorityQueue<>((a, b) -> a.expiresAt.compareTo(b.expiresAt));

  InMemoryNonceCache(int maxEntries, Clock clock) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be positive");
    }
    this.maxEntries = maxEntries;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public synchronized boolean firstUse(String keyId, String nonce, Instant expiresAt) {
    String key = keyId.length() + ":" + keyId + nonce;
    Instant now = clock.instant();
    if (!expiresAt.isAfter(now)) {
      return false; // it could not be remembered, so it is never a first use (see NonceCache#firstUse)
    }
    Instant seen = live.get(key);
    if (seen != null && seen.isAfter(now)) {
      return false;
    }
    while (!byExpiry.isEmpty() && !byExpiry.peek().expiresAt.isAfter(now)) {
      Entry e = byExpiry.poll();
      live.remove(e.key, e.expiresAt);
    }
    if (live.size() >= maxEntries) {
      return false;
    }
    live.put(key, expiresAt);
    byExpiry.add(new Entry(key, expiresAt));
    return true;
  }
}
