package dev.safeguards.redis;

import dev.safeguards.StateUnavailableException;
import dev.safeguards.authn.RevocationList;
import dev.safeguards.compliance.Described;
import io.lettuce.core.Range;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@link RedisState#revocations}: revoked ids are the sorted set {@code <prefix>:{revocations}:set} (id by the moment
 * it is revoked until, in milliseconds), with a version {@code <prefix>:{revocations}:version} raised by every
 * revocation (a random epoch, new whenever the version is created, and a counter); both expire {@link
 * RedisState#CLOCK_SKEW} after the last entry ends, and an entry is pruned that long after it ends, so that a replica
 * whose clock is ahead neither drops a revocation nor prunes one still in force by the others' clocks.
 *
 * <p>Every replica keeps the whole list in memory, so that checking a token costs no round trip: a revocation is
 * published on the channel {@code <prefix>:revocations:published} and applied by every replica as it arrives, and a poll every
 * quarter of the bound reads the version and reloads the list when it changed, so a lost message is made up for.
 * <b>Bound:</b> a replica answers {@link #isRevoked} only while its last successful poll began less than the bound
 * (default 1 s) ago; otherwise it throws {@link StateUnavailableException} (the request is refused, 503). So a
 * revocation on one replica is in force on every other within the bound, or that replica refuses. A replica never
 * forgets a revocation it knew of before it ends, even if the server lost it.
 */
final class RedisRevocationList implements RevocationList, AutoCloseable, Described {

  private static final RedisScript REVOKE = RedisScript.of("""
      local cur = redis.call('ZSCORE', KEYS[1], ARGV[1])
      if not (cur and tonumber(cur) >= tonumber(ARGV[2])) then
        redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
      end
      redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[5])
      if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[3]) then
        redis.call('PEXPIRE', KEYS[1], ARGV[3])
      end
      local v = redis.call('GET', KEYS[2])
      local e = nil
      local n = nil
      if v then
        e, n = string.match(v, '^(.+):(%d+)$')
      end
      if not e then
        e = ARGV[4]
        n = '0'
      end
      v = e .. ':' .. string.format('%d', tonumber(n) + 1)
      redis.call('SET', KEYS[2], v, 'PX', redis.call('PTTL', KEYS[1]))
      redis.call('PUBLISH', ARGV[6], ARGV[1] .. ' ' .. ARGV[2])
      return v
      """);

  private final RedisState state;
  private final Duration bound;
  private final String set;
  private final String version;
  private final String channel;
  /** Every id known revoked, and until when. */
  private final Map<String, Instant> revoked = new ConcurrentHashMap<>();
  private final StatefulRedisPubSubConnection<String, String> pubSub;
  private final ScheduledExecutorService poller;
  private volatile String knownVersion;
  /** {@link System#nanoTime} before which answers are fresh enough: the start of the last good poll plus the bound. */
  private volatile long freshUntil;

  RedisRevocationList(RedisState state, Duration bound) {
    this.state = state;
    this.bound = bound;
    this.set = state.taggedKey("revocations", "set");
    this.version = state.taggedKey("revocations", "version");
    this.channel = state.key("revocations", "published");
    this.pubSub = state.connectPubSub();
    pubSub.addListener(new RedisPubSubAdapter<>() {
      @Override
      public void message(String from, String message) {
        if (channel.equals(from)) {
          received(message);
        }
      }
    });
    this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "safeguards-redis-revocations");
      t.setDaemon(true);
      return t;
    });
    try {
      pubSub.sync().subscribe(channel);
      poll();
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    long period = Math.max(1, bound.toMillis() / 4);
    poller.scheduleWithFixedDelay(this::pollQuietly, period, period, TimeUnit.MILLISECONDS);
  }

  @Override
  public void revoke(String id, Instant until) {
    Objects.requireNonNull(id, "id");
    Instant now = state.now();
    if (!until.plus(RedisState.CLOCK_SKEW).isAfter(now)) {
      return; // its tokens have expired already, even by a clock that is behind this one's
    }
    // a new epoch for a version the server no longer holds (it expired with the list, or the server lost it), never
    // this replica's last one: counting again from 1 in an old epoch could repeat a version another replica read, and
    // that replica would not reload the list
    state.eval(REVOKE, ScriptOutputType.VALUE, new String[] {set, version}, id,
        Long.toString(until.toEpochMilli()), Long.toString(state.ttlMillis(until.plus(RedisState.CLOCK_SKEW))),
        UUID.randomUUID().toString(), Long.toString(now.minus(RedisState.CLOCK_SKEW).toEpochMilli()), channel);
    remember(id, until);
  }

  @Override
  public boolean isRevoked(String id) {
    if (System.nanoTime() - freshUntil > 0) {
      throw new StateUnavailableException("the revocation list of the Redis state store at " + state.endpoint()
          + " was not confirmed within " + bound);
    }
    Instant until = revoked.get(id);
    return until != null && until.isAfter(state.now());
  }

  /** The bound within which a revocation anywhere is in force here. */
  Duration bound() {
    return bound;
  }

  @Override
  public void close() {
    poller.shutdownNow();
    pubSub.close();
  }

  private void received(String message) {
    int space = message.lastIndexOf(' ');
    if (space > 0) {
      try {
        remember(message.substring(0, space), Instant.ofEpochMilli(Long.parseLong(message.substring(space + 1))));
      } catch (NumberFormatException e) {
        // not a message of this library: the poll reads the list as stored
      }
    }
  }

  private void remember(String id, Instant until) {
    revoked.merge(id, until, (a, b) -> a.isAfter(b) ? a : b);
  }

  private void pollQuietly() {
    try {
      poll();
    } catch (RuntimeException e) {
      // freshness runs out and isRevoked refuses; RedisState logged the outage once
    }
  }

  /** Reads the version; when it changed, reloads the list; then answers are fresh for the bound from its start. */
  private void poll() {
    long started = System.nanoTime();
    String v = state.call(c -> c.get(version));
    if (!Objects.equals(v, knownVersion)) {
      long now = state.now().toEpochMilli();
      List<ScoredValue<String>> entries = state.call(c -> c.zrangebyscoreWithScores(set,
          Range.create((double) now, Double.POSITIVE_INFINITY)));
      for (ScoredValue<String> e : entries) {
        remember(e.getValue(), Instant.ofEpochMilli((long) e.getScore()));
      }
      knownVersion = v;
    }
    Instant now = state.now();
    revoked.values().removeIf(until -> !until.isAfter(now));
    freshUntil = started + bound.toNanos();
  }

  @Override
  public String describe() {
    return state.describe("RedisRevocationList");
  }
}
