package dev.safeguards.redis;

import dev.safeguards.access.EmergencyGrant;
import dev.safeguards.access.EmergencyGrantStore;
import dev.safeguards.compliance.Described;
import dev.safeguards.identity.UserId;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link RedisState#emergencyGrants}: a grant is a JSON value {@code <prefix>:{emergency}:grant:<id>}, and each user's
 * grants are the sorted set {@code <prefix>:{emergency}:user:<user>} of their ids by end (one hash slot for all: a
 * script reads a user's grants by the ids it finds, and grants are few); both are kept until {@link #KEPT}
 * after the grant ends (for a review of what it was), then forgotten. Storing a grant and its place in the set is one
 * script, and so is reading a user's grants.
 */
final class RedisEmergencyGrantStore implements EmergencyGrantStore, Described {

  /** How long a grant is kept after it ends. */
  static final Duration KEPT = Duration.ofDays(1);

  private static final RedisScript PUT = RedisScript.of("""
      redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
      redis.call('ZADD', KEYS[2], ARGV[2], ARGV[4])
      local ttl = redis.call('PTTL', KEYS[2])
      if ttl < tonumber(ARGV[3]) then
        redis.call('PEXPIRE', KEYS[2], ARGV[3])
      end
      return 1
      """);

  /** KEYS[1]: the user's set; ARGV: the key prefix of grants, the end before which grants are forgotten. */
  private static final RedisScript FOR_USER = RedisScript.of("""
      redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[2])
      local ids = redis.call('ZRANGE', KEYS[1], 0, -1)
      local out = {}
      for i, id in ipairs(ids) do
        local v = redis.call('GET', ARGV[1] .. id)
        if v then
          table.insert(out, v)
        end
      end
      return out
      """);

  private final RedisState state;

  RedisEmergencyGrantStore(RedisState state) {
    this.state = state;
  }

  @Override
  public void put(EmergencyGrant grant) {
    long kept = state.ttlMillis(grant.expiresAt().plus(KEPT));
    state.eval(PUT, ScriptOutputType.INTEGER,
        new String[] {grant(grant.id()), user(grant.user())},
        StateJson.emergencyGrant(grant), Long.toString(grant.expiresAt().toEpochMilli()), Long.toString(kept),
        grant.id());
  }

  @Override
  public Optional<EmergencyGrant> find(String id) {
    return Optional.ofNullable(state.call(c -> c.get(grant(id)))).map(StateJson::emergencyGrant);
  }

  @Override
  public List<EmergencyGrant> forUser(UserId user) {
    List<Object> values = state.eval(FOR_USER, ScriptOutputType.MULTI,
        new String[] {user(user)}, grant(""),
        Long.toString(state.now().minus(KEPT).toEpochMilli()));
    List<EmergencyGrant> out = new ArrayList<>();
    for (Object v : values) {
      EmergencyGrant g = StateJson.emergencyGrant((String) v);
      if (g.user().equals(user)) {
        out.add(g);
      }
    }
    return out;
  }

  private String grant(String id) {
    return state.taggedKey("emergency", "grant:" + id);
  }

  private String user(UserId user) {
    return state.taggedKey("emergency", "user:" + user);
  }

  @Override
  public String describe() {
    return state.describe("RedisEmergencyGrantStore");
  }
}
