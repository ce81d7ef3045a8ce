package dev.safeguards.redis;

import dev.safeguards.compliance.Described;
import dev.safeguards.session.SessionEndReason;
import dev.safeguards.session.SessionStore;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link RedisState#sessions}: a session is a hash {@code <prefix>:{s<n>}:session:<key>} (authenticated, last seen,
 * ended, retain until; milliseconds) that expires {@link RedisState#CLOCK_SKEW} after its absolute deadline; {@code n}
 * is the session's bucket (0 to 63, from its key), which places it in a cluster. Each touch and each ending is one
 * script applying {@link SessionStore.Activity#apply(java.util.Optional, Instant)} or {@link
 * SessionStore.Ending#apply}; a touch within the activity's resolution of the recorded last request writes nothing. A
 * server (or cluster node) that restarted empty has lost its buckets' keys {@code <prefix>:{s<n>}:sessions-since}: the
 * first request to any of them sets its mark to its own time, and the replica that made it sets every other mark the
 * server lost to the same time (so a bucket is complete from the first request after the loss, not from its own first
 * request); every session begun before then that its bucket no longer holds ends ({@code STATE_LOST}) instead of
 * starting again.
 */
final class RedisSessionStore implements SessionStore, Described {

  private static final RedisScript TOUCH = RedisScript.of("""
      local cur = redis.call('HMGET', KEYS[1], 'auth', 'last', 'ended', 'until')
      if cur[2] and cur[3] and cur[3] ~= '' then
        return {cur[1], cur[2], cur[3], cur[4], '0', ''}
      end
      local at = tonumber(ARGV[2])
      local since = redis.call('GET', KEYS[2])
      local marked = ''
      if not since then
        since = ARGV[2]
        marked = since
        redis.call('SET', KEYS[2], since, 'PX', ARGV[7])
      end
      local ended = ''
      if (not cur[2]) and tonumber(ARGV[1]) < tonumber(since) - tonumber(since) % 1000 then
        ended = 'STATE_LOST'
      elseif ARGV[6] == '1' then
        ended = 'REVOKED'
      elseif at >= tonumber(ARGV[4]) then
        ended = 'ABSOLUTE_TIMEOUT'
      elseif cur[2] and at >= tonumber(cur[2]) + tonumber(ARGV[3]) then
        ended = 'IDLE_TIMEOUT'
      end
      local last = ARGV[2]
      if cur[2] and (ended ~= '' or at < tonumber(cur[2]) + tonumber(ARGV[5])) then
        last = cur[2]
      end
      if (not cur[2]) or ended ~= '' or last ~= cur[2] or cur[1] ~= ARGV[1] or cur[4] ~= ARGV[4] then
        redis.call('HSET', KEYS[1], 'auth', ARGV[1], 'last', last, 'ended', ended, 'until', ARGV[4])
        redis.call('PEXPIRE', KEYS[1], ARGV[7])
        if redis.call('PTTL', KEYS[2]) < tonumber(ARGV[7]) then
          redis.call('PEXPIRE', KEYS[2], ARGV[7])
        end
      end
      local now = '0'
      if ended ~= '' then
        now = '1'
      end
      return {ARGV[1], last, ended, ARGV[4], now, marked}
      """);

  private static final RedisScript END = RedisScript.of("""
      local cur = redis.call('HMGET', KEYS[1], 'auth', 'last', 'ended', 'until')
      if cur[2] and cur[3] and cur[3] ~= '' then
        return {cur[1], cur[2], cur[3], cur[4]}
      end
      local auth = cur[1] or ARGV[1]
      local last = cur[2] or ARGV[2]
      redis.call('HSET', KEYS[1], 'auth', auth, 'last', last, 'ended', ARGV[3], 'until', ARGV[4])
      redis.call('PEXPIRE', KEYS[1], ARGV[5])
      return {auth, last, ARGV[3], ARGV[4]}
      """);

  /** How long a bucket's mark is kept after a replica last kept it. */
  static final Duration MARK_KEPT = Duration.ofDays(1);
  /** How often each replica keeps the marks. */
  static final Duration KEEP_EVERY = Duration.ofHours(1);

  /** KEYS[1]: a bucket's mark; ARGV: since when, if it has none; how long to keep it at least. */
  private static final RedisScript MARK = RedisScript.of("""
      if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
        return 1
      end
      if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[2]) then
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
      end
      return 0
      """);

  /** At most this many sessions are remembered between round trips; past it, the memory starts again. */
  private static final int MAX_RECENT = 100_000;

  private final RedisState state;
  /** What the server last said of each session, and when (the injected clock). */
  private final Map<String, Heard> recent = new ConcurrentHashMap<>();

  private record Heard(SessionRecord session, Instant at) {}

  RedisSessionStore(RedisState state) {
    this.state = state;
  }

  /**
   * Within the activity's resolution of the last round trip for this session, and when the rule would neither write
   * nor end the session, it answers from what the server last said, without a round trip: nothing another replica
   * can do makes the answer differ (an ending elsewhere is a revocation, which {@code activity.revoked()} carries,
   * and no replica can find the session idle within twice the resolution of a request). Otherwise one script.
   */
  @Override
  public Touched touch(Activity a) {
    Heard heard = recent.get(a.key());
    if (heard != null && !a.revoked() && heard.session().ended().isEmpty() && !a.at().isBefore(heard.at())
        && a.at().isBefore(heard.at().plus(a.resolution()))) {
      Touched local = a.apply(Optional.of(heard.session()));
      if (local.session().equals(heard.session())) { // the rule neither records the request nor ends the session
        return local;
      }
    }
    Touched touched = remote(a);
    if (recent.size() >= MAX_RECENT) {
      recent.clear();
    }
    recent.put(a.key(), new Heard(touched.session(), a.at()));
    return touched;
  }

  private Touched remote(Activity a) {
    List<Object> r = state.eval(TOUCH, ScriptOutputType.MULTI, new String[] {session(a.key()), since(bucket(a.key()))},
        ms(a.authenticatedAt()), ms(a.at()), Long.toString(a.idleTimeout().toMillis()), ms(a.absoluteDeadline()),
        Long.toString(a.resolution().toMillis()), a.revoked() ? "1" : "0", ttl(a.absoluteDeadline(), a.at()));
    String marked = (String) r.get(5);
    if (!marked.isEmpty()) {
      // the server had lost this bucket's mark (restarted empty, or the node holding it did): the other buckets it
      // lost are complete from the same moment, not from their own first request, which may come much later
      keepMarks(marked);
    }
    return new Touched(record(a.key(), r), "1".equals(r.get(4)));
  }

  @Override
  public SessionRecord end(Ending e) {
    recent.remove(e.key());
    List<Object> r = state.eval(END, ScriptOutputType.MULTI, new String[] {session(e.key())},
        ms(e.authenticatedAt()), ms(e.at()), e.reason().name(), ms(e.absoluteDeadline()),
        ttl(e.absoluteDeadline(), e.at()));
    return record(e.key(), r);
  }

  /** The bucket of a session: a tag that places it, and its "complete since" mark, in one hash slot. */
  static String bucket(String key) {
    return "s" + Math.floorMod(key.hashCode(), RedisState.SESSION_BUCKETS);
  }

  private String session(String key) {
    return state.taggedKey(bucket(key), "session:" + key);
  }

  /**
   * The key holding since when a bucket holds every session of it (milliseconds): set when the bucket was first used,
   * and set again by the first request after the server lost it (restarted empty).
   */
  private String since(String bucket) {
    return state.taggedKey(bucket, "sessions-since");
  }

  /**
   * Keeps every bucket's mark for {@link #MARK_KEPT} from now, marking one that has none as complete from now: run when
   * a replica connects and every {@link #KEEP_EVERY} after, so that a mark never expires while the application runs,
   * even in a bucket no session has used for days (a mark that expired would end that bucket's next new session).
   *
   * @throws dev.safeguards.StateUnavailableException if the store does not answer
   */
  void keepMarks() {
    keepMarks(Long.toString(state.now().toEpochMilli()));
  }

  /** {@link #keepMarks()}, marking a bucket that has no mark as complete since {@code since} (milliseconds). */
  private void keepMarks(String since) {
    String kept = Long.toString(MARK_KEPT.toMillis());
    for (int n = 0; n < RedisState.SESSION_BUCKETS; n++) {
      state.eval(MARK, ScriptOutputType.INTEGER, new String[] {since("s" + n)}, since, kept);
    }
  }

  private static SessionRecord record(String key, List<Object> r) {
    String ended = (String) r.get(2);
    return new SessionRecord(key, instant(r.get(0)), instant(r.get(1)),
        ended.isEmpty() ? Optional.empty() : Optional.of(SessionEndReason.valueOf(ended)), instant(r.get(3)));
  }

  private static String ms(Instant t) {
    return Long.toString(t.toEpochMilli());
  }

  /**
   * How long a session's key is kept: until its absolute deadline by every replica's clock ({@link
   * RedisState#CLOCK_SKEW} past it by this one's), so that an ending written by a replica whose clock is ahead is not
   * forgotten while another replica would still take the session for a new one.
   */
  private static String ttl(Instant until, Instant at) {
    return Long.toString(Math.max(1, until.plus(RedisState.CLOCK_SKEW).toEpochMilli() - at.toEpochMilli()));
  }

  private static Instant instant(Object ms) {
    return Instant.ofEpochMilli(Long.parseLong((String) ms));
  }

  @Override
  public String describe() {
    return state.describe("RedisSessionStore");
  }
}
