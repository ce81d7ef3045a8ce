package dev.safeguards.authn;

import java.time.Clock;
import java.time.Instant;

/**
 * Token ids and session ids that must no longer be accepted, each until the moment after which its tokens would have
 * expired anyway: the SPI behind revocation and logout. Entries are written {@code jti:<jti>} and {@code sid:<sid>}
 * (see {@link dev.safeguards.identity.Principal#sessionKey()}). A cluster backs it with a shared store.
 */
public interface RevocationList {

  /**
   * Revokes {@code id} until {@code until}. Revoking an id again keeps the later of the two ends.
   *
   * @param id {@code jti:<jti>} or {@code sid:<sid>}; not null
   * @param until the moment from which the id is accepted again, normally when its last token expires; not null
   * @throws IllegalStateException if the in-memory list is full of live entries
   * @throws dev.safeguards.StateUnavailableException if a shared store cannot answer
   */
  void revoke(String id, Instant until);

  /**
   * Whether {@code id} is revoked now.
   *
   * @param id {@code jti:<jti>} or {@code sid:<sid>}
   * @return true if it was revoked until a moment still to come
   * @throws dev.safeguards.StateUnavailableException if a shared store cannot answer
   */
  boolean isRevoked(String id);

  /**
   * An in-process list of at most {@code maxEntries} ids that forgets ids past their expiry. When it is full of live
   * ids, a further revocation fails rather than forget one.
   *
   * @param maxEntries the most ids kept, at least 1
   * @param clock the clock that tells expired entries; not null
   * @return a new, empty, thread-safe list
   * @throws IllegalArgumentException if {@code maxEntries} is below 1
   * @throws NullPointerException if {@code clock} is null
   */
  static RevocationList inMemory(int maxEntries, Clock clock) {
    return new InMemoryRevocationList(maxEntries, clock);
  }
}
