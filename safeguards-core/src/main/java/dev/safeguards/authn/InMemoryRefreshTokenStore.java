package dev.safeguards.authn;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** {@link RefreshTokenStore#inMemory}. */
final class InMemoryRefreshTokenStore implements RefreshTokenStore {

  private final int maxEntries;
  private final Clock clock;
  private final Map<String, StoredRefreshToken> tokens = new HashMap<>();
  private final Set<String> used = new HashSet<>();
  private final Map<String, Instant> revokedFamilies = new HashMap<>();

  InMemoryRefreshTokenStore(int maxEntries, Clock clock) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be positive");
    }
    this.maxEntries = maxEntries;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public synchronized void save(StoredRefreshToken token) {
    if (tokens.size() >= maxEntries) {
      Instant now = clock.instant();
      tokens.values().removeIf(t -> !t.expiresAt().isAfter(now));
      used.retainAll(tokens.keySet());
      revokedFamilies.values().removeIf(until -> !until.isAfter(now));
      if (tokens.size() >= maxEntries) {
        throw new IllegalStateException("the refresh token store is full of live tokens; raise maxEntries");
      }
    }
    tokens.put(token.tokenHash(), token);
  }

  @Override
  public synchronized Optional<StoredRefreshToken> find(String tokenHash) {
    return Optional.ofNullable(tokens.get(tokenHash));
  }

  @Override
  public synchronized boolean markUsed(String tokenHash) {
    return tokens.containsKey(tokenHash) && used.add(tokenHash);
  }

  @Override
  public synchronized void revokeFamily(String familyId) {
    Instant until = tokens.values().stream().filter(t -> t.familyId().equals(familyId))
        .map(StoredRefreshToken::expiresAt).max(Instant::compareTo).orElse(clock.instant());
    revokedFamilies.put(familyId, until);
  }

  @Override
  public synchronized boolean isFamilyRevoked(String familyId) {
    return revokedFamilies.containsKey(familyId);
  }
}
