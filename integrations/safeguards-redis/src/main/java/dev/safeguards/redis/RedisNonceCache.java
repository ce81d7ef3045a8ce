package dev.safeguards.redis;

import dev.safeguards.StateUnavailableException;
import dev.safeguards.compliance.Described;
import dev.safeguards.integrity.NonceCache;
import io.lettuce.core.SetArgs;
import java.time.Instant;

/**
 * {@link RedisState#nonces}: a nonce is a key {@code <prefix>:nonce:<key id>:<nonce>} set only if absent ({@code SET
 * NX}), expiring {@link RedisState#CLOCK_SKEW} after the signature does (so that a replica whose clock is behind does
 * not take it for new while the signature is still valid by its clock); so it is first used on exactly one replica. A
 * nonce whose {@code expiresAt} is not after the state's clock is refused without a round trip, as {@link
 * NonceCache#firstUse} requires of every implementation. When the store cannot answer, the nonce counts as used: the
 * request is refused.
 */
final class RedisNonceCache implements NonceCache, Described {

  private final RedisState state;

  RedisNonceCache(RedisState state) {
    this.state = state;
  }

  @Override
  public boolean firstUse(String keyId, String nonce, Instant expiresAt) {
    if (!expiresAt.isAfter(state.now())) {
      return false;
    }
    String key = state.key("nonce", keyId.length() + ":" + keyId + ":" + nonce);
    try {
      // kept until the signature has expired by every replica's clock, not only by this one's
      long ttl = state.ttlMillis(expiresAt.plus(RedisState.CLOCK_SKEW));
      return "OK".equals(state.call(c -> c.set(key, "1", SetArgs.Builder.nx().px(ttl))));
    } catch (StateUnavailableException e) {
      return false; // fail closed
    }
  }

  @Override
  public String describe() {
    return state.describe("RedisNonceCache");
  }
}
