package dev.safeguards.redis;

import dev.safeguards.StateUnavailableException;
import dev.safeguards.authn.TotpReplayGuard;
import dev.safeguards.compliance.Described;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;

/**
 * {@link RedisState#totpReplay}: the last accepted time step of an account is a key {@code <prefix>:totp:<account>},
 * raised by one script only if the new step is later, and kept for {@link #KEPT} (far longer than any code is valid).
 * When the store cannot answer, the code is refused.
 */
final class RedisTotpReplayGuard implements TotpReplayGuard, Described {

  /** How long the last accepted step is kept. */
  static final Duration KEPT = Duration.ofHours(1);

  private static final RedisScript ACCEPT = RedisScript.of("""
      local last = redis.call('GET', KEYS[1])
      if last and tonumber(last) >= tonumber(ARGV[1]) then
        return 0
      end
      redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
      return 1
      """);

  private final RedisState state;

  RedisTotpReplayGuard(RedisState state) {
    this.state = state;
  }

  @Override
  public boolean acceptOnce(String account, long step) {
    try {
      Long accepted = state.eval(ACCEPT, ScriptOutputType.INTEGER, new String[] {state.key("totp", account)},
          Long.toString(step), Long.toString(KEPT.toMillis()));
      return accepted == 1L;
    } catch (StateUnavailableException e) {
      return false; // fail closed
    }
  }

  @Override
  public String describe() {
    return state.describe("RedisTotpReplayGuard");
  }
}
