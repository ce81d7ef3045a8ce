package dev.safeguards.integrity;

import java.time.Clock;
import java.time.Instant;

/**
 * Remembers the nonces of verified signatures until they expire, so that a signed message cannot be replayed: the SPI
 * behind {@link HttpMessageVerifier}'s replay protection. A deployment of several nodes backs it with a shared store.
 */
public interface NonceCache {

  /**
   * Records that {@code nonce} of {@code keyId} was used, until {@code expiresAt}.
   *
   * @return true if it had not been seen; false if it was (a replay) or if it cannot be recorded (the request must
   *     then be refused: fail closed)
   */
  boolean firstUse(String keyId, String nonce, Instant expiresAt);

  /**
   * A bounded in-process cache of at most {@code maxEntries} nonces. Expired nonces are dropped when room is needed;
   * when every entry is still live, new nonces are refused rather than old ones forgotten.
   *
   * @throws IllegalArgumentException if {@code maxEntries} is not positive
   */
  static NonceCache inMemory(int maxEntries, Clock clock) {
    return new InMemoryNonceCache(maxEntries, clock);
  }
}
