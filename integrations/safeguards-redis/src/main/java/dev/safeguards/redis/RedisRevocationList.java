package dev.safeguards.redis;

import dev.safeguards.authn.RevocationList;
import io.lettuce.core.ScriptOutputType;
import java.time.Instant;

/**
 * {@link RedisState#revocations}: a revoked id is a key {@code <prefix>:revoked:<id>} holding the moment it is revoked
 * until (milliseconds), which expires then; revoking again keeps the later moment.
 */
final class RedisRevocationList implements RevocationList {

  private static final RedisScript REVOKE = RedisScript.of("""
      local cur = redis.call('GET', KEYS[1])
      if cur and tonumber(cur) >= tonumber(ARGV[1]) then
        return 0
      end
      redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
      return 1
      """);

  private final RedisState state;

  RedisRevocationList(RedisState state) {
    this.state = state;
  }

  @Override
  public void revoke(String id, Instant until) {
    if (!until.isAfter(state.now())) {
      return; // its tokens have expired already
    }
    state.eval(REVOKE, ScriptOutputType.INTEGER, new String[] {state.key("revoked", id)},
        Long.toString(until.toEpochMilli()), Long.toString(state.ttlMillis(until)));
  }

  @Override
  public boolean isRevoked(String id) {
    String until = state.call(c -> c.get(state.key("revoked", id)));
    return until != null && Instant.ofEpochMilli(Long.parseLong(until)).isAfter(state.now());
  }
}
