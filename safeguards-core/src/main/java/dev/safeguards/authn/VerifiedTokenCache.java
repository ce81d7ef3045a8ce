package dev.safeguards.authn;

import dev.safeguards.identity.Principal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Tokens this process has verified, keyed by the SHA-256 of the token, each with what a later hit must re-check: the
 * expiry and the maximum age move with the clock, a session may be revoked, and the key may leave the key source.
 * Bounded: when full, expired entries are dropped (at most once a second); if it is still full, a new token is simply
 * not cached. Thread-safe.
 */
final class VerifiedTokenCache {

  /** A verified token's principal, its issue time, and the key that verified it. */
  record Entry(Principal principal, Instant issuedAt, JsonWebKey key) {}

  private final int maxEntries;
  private final ConcurrentHashMap<Key, Entry> entries = new ConcurrentHashMap<>();
  private final AtomicReference<Instant> lastSweep = new AtomicReference<>(Instant.MIN);

  VerifiedTokenCache(int maxEntries) {
    this.maxEntries = maxEntries;
  }

  /** A token's SHA-256, as four longs: the map never holds a token, and comparing keys costs four comparisons. */
  record Key(long a, long b, long c, long d) {}

  private static final MessageDigest SHA_256;

  static {
    try {
      SHA_256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new ExceptionInInitializerError("every JDK has SHA-256");
    }
  }

  static Key key(String token) {
    MessageDigest sha256;
    try {
      sha256 = (MessageDigest) SHA_256.clone(); // cheaper than a provider lookup per request
    } catch (CloneNotSupportedException e) {
      try {
        sha256 = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException impossible) {
        throw new IllegalStateException("every JDK has SHA-256", impossible);
      }
    }
    ByteBuffer d = ByteBuffer.wrap(sha256.digest(token.getBytes(StandardCharsets.UTF_8)));
    return new Key(d.getLong(), d.getLong(), d.getLong(), d.getLong());
  }

  Optional<Entry> get(Key key) {
    return Optional.ofNullable(entries.get(key));
  }

  void remove(Key key) {
    entries.remove(key);
  }

  void put(Key key, Entry entry, Instant now) {
    if (entries.size() >= maxEntries) {
      // A sweep walks every entry: at most one per second, so a cache full of live tokens costs a miss nothing more.
      Instant last = lastSweep.get();
      if (now.isAfter(last.plusSeconds(1)) && lastSweep.compareAndSet(last, now)) {
        entries.values().removeIf(e -> !e.principal().expiresAt().isAfter(now));
      }
      if (entries.size() >= maxEntries) {
        return;
      }
    }
    entries.put(key, entry);
  }
}
