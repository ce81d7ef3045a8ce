package dev.safeguards.authn;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Where {@link RefreshTokens} keeps its tokens: only their SHA-256 hashes, never the tokens. The SPI behind refresh
 * token rotation; a cluster backs it with a shared store that makes {@link #markUsed} atomic.
 */
public interface RefreshTokenStore {

  /**
   * One stored refresh token.
   *
   * @param tokenHash unpadded base64url SHA-256 of the token
   * @param familyId the family: every token rotated from one login
   * @param grant what the family grants
   * @param expiresAt when the family ends (tokens do not extend it)
   */
  record StoredRefreshToken(String tokenHash, String familyId, AccessGrant grant, Instant expiresAt) {
    /**
     * Checks every component.
     *
     * @param tokenHash unpadded base64url SHA-256 of the token; not null
     * @param familyId the family's id; not null
     * @param grant what the family grants; not null
     * @param expiresAt when the family ends; not null
     * @throws NullPointerException if a component is null
     */
    public StoredRefreshToken {
      Objects.requireNonNull(tokenHash, "tokenHash");
      Objects.requireNonNull(familyId, "familyId");
      Objects.requireNonNull(grant, "grant");
      Objects.requireNonNull(expiresAt, "expiresAt");
    }
  }

  /**
   * Saves a new, unused token.
   *
   * @param token the token's hash, family, grant and end
   * @throws IllegalStateException if the in-memory store is full of live tokens
   * @throws dev.safeguards.StateUnavailableException if a shared store cannot answer
   */
  void save(StoredRefreshToken token);

  /**
   * The token with this hash, if stored.
   *
   * @param tokenHash unpadded base64url SHA-256 of the token
   * @return the stored token, used or not, revoked or not; empty if the store does not hold it (never saved, or
   *     forgotten after its family ended)
   * @throws dev.safeguards.StateUnavailableException if a shared store cannot answer
   */
  Optional<StoredRefreshToken> find(String tokenHash);

  /**
   * Marks a token used, atomically: true the first time, false ever after.
   *
   * @param tokenHash unpadded base64url SHA-256 of the token
   * @return true if this call marked it; false if it was used before or is not stored
   * @throws dev.safeguards.StateUnavailableException if a shared store cannot answer
   */
  boolean markUsed(String tokenHash);

  /**
   * Revokes every token of a family, used or not, until the family ends.
   *
   * @param familyId the family's id
   * @throws dev.safeguards.StateUnavailableException if a shared store cannot answer
   */
  void revokeFamily(String familyId);

  /**
   * Whether a family was revoked.
   *
   * @param familyId the family's id
   * @return true if it was revoked and the store still remembers it (at least until the family ends)
   * @throws dev.safeguards.StateUnavailableException if a shared store cannot answer
   */
  boolean isFamilyRevoked(String familyId);

  /**
   * An in-process store of at most {@code maxEntries} tokens, forgetting families past their end. When it is full of
   * live tokens, saving another fails rather than forget one.
   *
   * @param maxEntries the most tokens kept, at least 1; every rotation adds one to its family
   * @param clock the clock that tells ended families; not null
   * @return a new, empty, thread-safe store
   * @throws IllegalArgumentException if {@code maxEntries} is below 1
   * @throws NullPointerException if {@code clock} is null
   */
  static RefreshTokenStore inMemory(int maxEntries, Clock clock) {
    return new InMemoryRefreshTokenStore(maxEntries, clock);
  }
}
