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
 * until; milliseconds) kept for as long as it can still count or block. A failure, an admission and a forgiveness
 * are each one script applying {@link ThrottleStore.Rule}, so attempts spread over replicas are counted exactly.
 */
final class RedisThrottleStore implements ThrottleStore, Described {

  /**
   * Until when {@code failures} failures, the last at {@code at}, block a key: {@link ThrottleStore.Rule}'s formula,
   * with the rule as ARGV[3..7] (delay from, lockout at, base delay, max delay, lockout; milliseconds).
   */
  private static final String BLOCKED_AFTER = """
      local function blockedAfter(failures, at)
        if failures >= tonumber(ARGV[4]) then
          return at + tonumber(ARGV[7])
        elseif failures >= tonumber(ARGV[3]) then
          local delay = tonumber(ARGV[5]) * (2 ^ math.min(failures - tonumber(ARGV[3]), 30))
          if delay > tonumber(ARGV[6]) then
            delay = tonumber(ARGV[6])
          end
          return at + delay
        end
        return at
      end
      """;

  /**
   * One failure at ARGV[1] by {@link ThrottleStore.Rule#next}, forgotten after ARGV[2] ms; if ARGV[8] is 1, none while
   * the key is blocked (an attempt refused: the first element of the answer is then 0).
   */
  private static final RedisScript FAIL = RedisScript.of(BLOCKED_AFTER + """
      local cur = redis.call('HMGET', KEYS[1], 'failures', 'last', 'blocked')
      local now = tonumber(ARGV[1])
      if ARGV[8] == '1' and cur[3] and tonumber(cur[3]) > now then
        return {'0', cur[1], cur[2], cur[3]}
      end
      local failures = 1
      if cur[1] and tonumber(cur[2]) > now - tonumber(ARGV[2]) then
        failures = tonumber(cur[1]) + 1
      end
      local blocked = blockedAfter(failures, now)
      local f = string.format('%d', failures)
      local b = string.format('%.0f', blocked)
      redis.call('HSET', KEYS[1], 'failures', f, 'last', ARGV[1], 'blocked', b)
      redis.call('PEXPIRE', KEYS[1], string.format('%.0f', math.max(tonumber(ARGV[2]), blocked - now)))
      return {'1', f, ARGV[1], b}
      """);

  /**
   * One failure taken back by {@link ThrottleStore.Rule#forgive}; the key's time to live stays, as its block only
   * shortens.
   */
  private static final RedisScript FORGIVE = RedisScript.of(BLOCKED_AFTER + """
      local cur = redis.call('HMGET', KEYS[1], 'failures', 'last', 'blocked')
      if not cur[1] then
        return 0
      end
      local failures = tonumber(cur[1]) - 1
      if failures < 1 then
        redis.call('DEL', KEYS[1])
        return 0
      end
      local blocked = math.min(blockedAfter(failures, tonumber(cur[2])), tonumber(cur[3]))
      redis.call('HSET', KEYS[1], 'failures', string.format('%d', failures), 'blocked', string.format('%.0f', blocked))
      return 1
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
    return fail(key, now, rule, false).counter();
  }

  @Override
  public Admission admit(String key, Instant now, Rule rule) {
    return fail(key, now, rule, true);
  }

  @Override
  public void forgive(String key, Rule rule) {
    state.eval(FORGIVE, ScriptOutputType.INTEGER, new String[] {state.key("throttle", key)}, ruleArgs("0", rule));
  }

  private Admission fail(String key, Instant now, Rule rule, boolean admit) {
    String[] args = ruleArgs(Long.toString(now.toEpochMilli()), rule);
    args[7] = admit ? "1" : "0";
    List<Object> r = state.eval(FAIL, ScriptOutputType.MULTI, new String[] {state.key("throttle", key)}, args);
    return new Admission("1".equals(r.get(0)), counter((String) r.get(1), (String) r.get(2), (String) r.get(3)));
  }

  /** ARGV for the scripts: {@code now}, the rule, and a last slot for the caller. */
  private static String[] ruleArgs(String now, Rule rule) {
    return new String[] {now, Long.toString(rule.forgetAfter().toMillis()), Integer.toString(rule.delayFrom()),
        Integer.toString(rule.lockoutAt()), Long.toString(rule.baseDelay().toMillis()),
        Long.toString(rule.maxDelay().toMillis()), Long.toString(rule.lockout().toMillis()), ""};
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
