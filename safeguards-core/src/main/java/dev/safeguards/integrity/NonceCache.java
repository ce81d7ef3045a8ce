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
   * <p>A nonce is remembered while the cache's clock is before {@code expiresAt}. An {@code expiresAt} at or before
   * the cache's current time is refused ({@code false}) and nothing is recorded: a nonce that cannot be remembered is
   * never a first use, or it could be used again at once. Every implementation decides so. {@link HttpMessageVerifier}
   * passes {@code created + maxAge + clockSkew} and refuses older signatures itself, so it meets an expired
   * {@code expiresAt} only at that very instant, or when the cache's clock runs ahead of its own; refusing then is
   * failing closed, and a replay at the instant a nonce is forgotten is refused too.
   *
   * @param keyId the key that signed: nonces are tracked per key; not null
   * @param nonce the signature's nonce; not null
   * @param expiresAt until when the nonce must be remembered; the verifier passes the last moment at which the
   *     signature is young enough to be accepted; not null
   * @return true if it had not been seen and is now recorded; false if it was (a replay), if {@code expiresAt} is not
   *     after the cache's current time, or if it cannot be recorded (the request must then be refused: fail closed)
   */
  boolean firstUse(String keyId, String nonce, Instant expiresAt);

  /**
   * A bounded in-process cache of at most {@code maxEntries} nonces. Expired nonces are dropped when room is needed;
   * when every entry is still live, new nonces are refused rather than old ones forgotten. Nonces live in this
   * process only: neither shared with other nodes nor kept across a restart.
   *
   * @param maxEntries the most nonces held at once
   * @param clock tells which nonces have expired; not null
   * @return an empty cache; thread-safe
   * @throws IllegalArgumentException if {@code maxEntries} is not positive
   * @throws NullPointerException if {@code clock} is null
   */
  static NonceCache inMemory(int maxEntries, Clock clock) {
    return new InMemoryNonceCache(maxEntries, clock);
  }
}
