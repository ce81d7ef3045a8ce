package dev.safeguards.redis;

import dev.safeguards.authn.ThrottleStore;
import dev.safeguards.compliance.Described;
import io.lettuce.core.ScriptOutputType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link RedisState#throttle}: a counter is a hash {@code <prefix>:throttle:<key>} (failures, last failure, blocked
 * until; milliseconds) kept for as long as it can still count or block. A failure is one script applying {@link
 * ThrottleStore.Rule#next}, so failures spread over replicas are counted exactly.
 */
final class RedisThrottleStore implements ThrottleStore, Described {

  private static final RedisScript FAIL = RedisScript.of("""
      local cur = redis.call('HMGET', KEYS[1], 'failures', 'last')
      local now = tonumber(ARGV[1])
      local failures = 1
      if cur[1] and tonumber(cur[2]) > now - tonumber(ARGV[2]) then
        failures = tonumber(cur[1]) + 1
      end
      local blocked = now
      if failures >= tonumber(ARGV[4]) then
        blocked = now + tonumber(ARGV[7])
      elseif failures >= tonumber(ARGV[3]) then
        local delay = tonumber(ARGV[5]) * (2 ^ math.min(failures - tonumber(ARGV[3]), 30))
        if delay > tonumber(ARGV[6]) then
          delay = tonumber(ARGV[6])
        end
        blocked = now + delay
      end
      local f = string.format('%d', failures)
      local b = string.format('%.0f', blocked)
      redis.call('HSET', KEYS[1], 'failures', f, 'last', ARGV[1], 'blocked', b)
      redis.call('PEXPIRE', KEYS[1], string.format('%.0f', math.max(tonumber(ARGV[2]), blocked - now)))
      return {f, ARGV[1], b}
      """);

  private final RedisState state;

  RedisThrottleStore(RedisState state) {
    this.state = state;
  }

  @Override
  public Optional<Counter> get(String key) {
    Map<String, String> h = state.call(c -> c.hgetall(state.key("throttle", key)));
    if (h.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(counter(h.get("failures"), h.get("last"), h.get("blocked")));
  }

  @Override
  public Counter recordFailure(String key, Instant now, Rule rule) {
    List<Object> r = state.eval(FAIL, ScriptOutputType.MULTI, new String[] {state.key("throttle", key)},
        Long.toString(now.toEpochMilli()), Long.toString(rule.forgetAfter().toMillis()),
        Integer.toString(rule.delayFrom()), Integer.toString(rule.lockoutAt()),
        Long.toString(rule.baseDelay().toMillis()), Long.toString(rule.maxDelay().toMillis()),
        Long.toString(rule.lockout().toMillis()));
    return counter((String) r.get(0), (String) r.get(1), (String) r.get(2));
  }

  @Override
  public void clear(String key) {
    state.call(c -> c.del(state.key("throttle", key)));
  }

  private static Counter counter(String failures, String last, String blocked) {
    return new Counter(Integer.parseInt(failures), Instant.ofEpochMilli(Long.parseLong(last)),
        Instant.ofEpochMilli(Long.parseLong(blocked)));
  }

  @Override
  public String describe() {
    return state.describe("RedisThrottleStore");
  }
}
