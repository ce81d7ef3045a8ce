package dev.safeguards.redis;

import dev.safeguards.authn.RefreshTokenStore;
import dev.safeguards.compliance.Described;
import io.lettuce.core.KeyValue;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@link RedisState#refreshTokens}: a token (by its hash; never the token) is a hash {@code
 * <prefix>:refresh:<hash>} (family, grant, end of the family, used) that expires with its family; marking it used is
 * one script, so of two replicas presenting the same token at once exactly one sees it unused. A revoked family is a
 * key {@code <prefix>:refresh-family:<id>} kept for {@link #FAMILY_MARK}, the longest a family may last.
 */
final class RedisRefreshTokenStore implements RefreshTokenStore, Described {

  /** How long a revoked family is remembered: the longest family lifetime {@code RefreshTokens} allows. */
  static final Duration FAMILY_MARK = Duration.ofDays(30);

  private static final RedisScript SAVE = RedisScript.of("""
      redis.call('HSET', KEYS[1], 'family', ARGV[1], 'grant', ARGV[2], 'expires', ARGV[3])
      redis.call('PEXPIRE', KEYS[1], ARGV[4])
      return 1
      """);

  private static final RedisScript MARK_USED = RedisScript.of("""
      if redis.call('EXISTS', KEYS[1]) == 0 then
        return 0
      end
      return redis.call('HSETNX', KEYS[1], 'used', '1')
      """);

  private final RedisState state;

  RedisRefreshTokenStore(RedisState state) {
    this.state = state;
  }

  @Override
  public void save(StoredRefreshToken token) {
    state.eval(SAVE, ScriptOutputType.INTEGER, new String[] {state.key("refresh", token.tokenHash())},
        token.familyId(), StateJson.grant(token.grant()), Long.toString(token.expiresAt().toEpochMilli()),
        Long.toString(state.ttlMillis(token.expiresAt())));
  }

  @Override
  public Optional<StoredRefreshToken> find(String tokenHash) {
    List<KeyValue<String, String>> h = state.call(c -> c.hmget(state.key("refresh", tokenHash), "family", "grant",
        "expires"));
    if (h.stream().anyMatch(KeyValue::isEmpty)) {
      return Optional.empty();
    }
    return Optional.of(new StoredRefreshToken(tokenHash, h.get(0).getValue(), StateJson.grant(h.get(1).getValue()),
        Instant.ofEpochMilli(Long.parseLong(h.get(2).getValue()))));
  }

  @Override
  public boolean markUsed(String tokenHash) {
    Long first = state.eval(MARK_USED, ScriptOutputType.INTEGER, new String[] {state.key("refresh", tokenHash)});
    return first == 1L;
  }

  @Override
  public void revokeFamily(String familyId) {
    state.call(c -> c.set(state.key("refresh-family", familyId), "1", SetArgs.Builder.px(FAMILY_MARK.toMillis())));
  }

  @Override
  public boolean isFamilyRevoked(String familyId) {
    return state.call(c -> c.exists(state.key("refresh-family", familyId))) > 0;
  }

  @Override
  public String describe() {
    return state.describe("RedisRefreshTokenStore");
  }
}
