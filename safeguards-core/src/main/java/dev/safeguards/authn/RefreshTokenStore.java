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
    /** Checks every component. */
    public StoredRefreshToken {
      Objects.requireNonNull(tokenHash, "tokenHash");
      Objects.requireNonNull(familyId, "familyId");
      Objects.requireNonNull(grant, "grant");
      Objects.requireNonNull(expiresAt, "expiresAt");
    }
  }

  /** Saves a new, unused token. */
  void save(StoredRefreshToken token);

  /** The token with this hash, if stored. */
  Optional<StoredRefreshToken> find(String tokenHash);

  /** Marks a token used, atomically: true the first time, false ever after. */
  boolean markUsed(String tokenHash);

  /** Revokes every token of a family, used or not. */
  void revokeFamily(String familyId);

  /** Whether a family was revoked. */
  boolean isFamilyRevoked(String familyId);

  /** An in-process store of at most {@code maxEntries} tokens, forgetting families past their end. */
  static RefreshTokenStore inMemory(int maxEntries, Clock clock) {
    return new InMemoryRefreshTokenStore(maxEntries, clock);
  }
}
