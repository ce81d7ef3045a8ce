package dev.safeguards.authn;

import java.time.Clock;
import java.time.Instant;

/**
 * Token ids and session ids that must no longer be accepted, each until the moment after which its tokens would have
 * expired anyway: the SPI behind revocation and logout. Entries are written {@code jti:<jti>} and {@code sid:<sid>}
 * (see {@link dev.safeguards.identity.Principal#sessionKey()}). A cluster backs it with a shared store.
 */
public interface RevocationList {

  /** Revokes {@code id} until {@code until}. */
  void revoke(String id, Instant until);

  /** Whether {@code id} is revoked now. */
  boolean isRevoked(String id);

  /**
   * An in-process list of at most {@code maxEntries} ids that forgets ids past their expiry. When it is full of live
   * ids, a further revocation fails rather than forget one.
   */
  static RevocationList inMemory(int maxEntries, Clock clock) {
    return new InMemoryRevocationList(maxEntries, clock);
  }
}
