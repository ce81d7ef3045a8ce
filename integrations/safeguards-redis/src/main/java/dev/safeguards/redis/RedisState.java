package dev.safeguards.redis;

import dev.safeguards.StateUnavailableException;
import dev.safeguards.access.EmergencyGrantStore;
import dev.safeguards.authn.RefreshTokenStore;
import dev.safeguards.authn.RevocationList;
import dev.safeguards.authn.ThrottleStore;
import dev.safeguards.authn.TotpReplayGuard;
import dev.safeguards.integrity.NonceCache;
import dev.safeguards.session.SessionStore;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The safeguards' state on one Redis deployment, shared by every replica of an application: sessions (automatic
 * logoff), the revocation list, login throttle counters, refresh-token families, emergency grants, RFC 9421 nonces and
 * one-time-code replay. Each store's operation is one atomic step on the server (a Lua script or a single command), so
 * that two replicas deciding at once decide as one would; every key carries a TTL, so nothing grows without bound.
 *
 * <p>Connects through Lettuce: a {@code redis://} or {@code rediss://} (TLS) URI, with AUTH or ACL credentials in it
 * ({@code rediss://user:password@host:6379/0}), or {@code redis-sentinel://} for Sentinel. Time comes from the injected
 * clock, never from the server: stored deadlines are compared with the clock, and TTLs only let the server forget.
 *
 * <p><b>Outage:</b> a command that fails or takes longer than {@link Builder#commandTimeout} (default 500 ms) throws
 * {@link StateUnavailableException}, which the gate answers with an audited 503 (the nonce cache and the one-time-code
 * guard answer "already used" instead): fail closed. While the connection is down, commands fail at once rather than
 * queue. The client reconnects by itself; the outage and the recovery are each logged once (the store counts as back
 * once it has answered for a second without failing). No message names the URI's credentials, a key, or a value.
 *
 * <p>Not yet supported: Redis Cluster (the scripts touch keys in several hash slots).
 */
public final class RedisState implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RedisState.class);
  /** How long the store must answer after an outage before it counts as back. */
  private static final Duration SETTLE = Duration.ofSeconds(1);

  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;
  private final RedisCommands<String, String> commands;
  private final String prefix;
  private final Clock clock;
  private final Duration commandTimeout;
  private final Duration revocationBound;
  private final String endpoint;
  private final Object outageLock = new Object();
  private volatile boolean down;
  /** {@link System#nanoTime} of the first answer after an outage, 0 while none came. */
  private long answeringSince;
  private final RedisSessionStore sessions;
  private final RedisRevocationList revocations;

  private RedisState(Builder b) {
    RedisURI uri = RedisURI.create(b.uri);
    uri.setTimeout(b.commandTimeout);
    this.endpoint = (uri.isSsl() ? "rediss://" : "redis://") + (uri.getSentinels().isEmpty()
        ? uri.getHost() + ":" + uri.getPort() : "sentinel " + uri.getSentinelMasterId());
    this.client = RedisClient.create(uri);
    client.setOptions(ClientOptions.builder()
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .socketOptions(SocketOptions.builder().connectTimeout(b.connectTimeout).build())
        .timeoutOptions(TimeoutOptions.enabled(b.commandTimeout))
        .build());
    try {
      this.connection = client.connect();
    } catch (RedisException e) {
      client.shutdown();
      throw new StateUnavailableException("cannot connect to the Redis state store at " + endpoint + ": "
          + e.getClass().getSimpleName());
    }
    this.commands = connection.sync();
    this.prefix = b.keyPrefix;
    this.clock = b.clock;
    this.commandTimeout = b.commandTimeout;
    this.revocationBound = b.revocationBound;
    this.sessions = new RedisSessionStore(this);
    try {
      sessions.markSinceIfAbsent();
      this.revocations = new RedisRevocationList(this, b.revocationBound);
    } catch (RuntimeException e) {
      connection.close();
      client.shutdown();
      if (e instanceof RedisException) { // subscribing to the revocations' channel
        throw new StateUnavailableException("cannot subscribe to the Redis state store at " + endpoint + ": "
            + e.getClass().getSimpleName());
      }
      throw e;
    }
  }

  /** Starts configuring the state on the Redis deployment at {@code uri} ({@code redis://host:port}, ...). */
  public static Builder builder(String uri) {
    return new Builder(uri);
  }

  /**
   * Sessions: at most one script per request touches the session (idle and absolute timeout), and none while this
   * replica asked about it within the resolution (see {@link RedisSessionStore#touch}).
   */
  public SessionStore sessions() {
    return sessions;
  }

  /** The revocation list of token and session ids. */
  public RevocationList revocations() {
    return revocations;
  }

  /** Login throttle counters: one script counts a failure. */
  public ThrottleStore throttle() {
    return new RedisThrottleStore(this);
  }

  /** Refresh-token families: marking a token used is atomic, so of two replicas presenting it at once one wins. */
  public RefreshTokenStore refreshTokens() {
    return new RedisRefreshTokenStore(this);
  }

  /** Open emergency grants, seen by every replica. */
  public EmergencyGrantStore emergencyGrants() {
    return new RedisEmergencyGrantStore(this);
  }

  /** RFC 9421 signature nonces: a nonce used on one replica is a replay on every other. */
  public NonceCache nonces() {
    return new RedisNonceCache(this);
  }

  /** The last time step each account's one-time code was accepted at. */
  public TotpReplayGuard totpReplay() {
    return new RedisTotpReplayGuard(this);
  }

  /** Where it connects (host and port or the Sentinel master's name; never credentials), for reports. */
  public String endpoint() {
    return endpoint;
  }

  /** {@code component} on this deployment, with its settings, for the compliance report; names no credential. */
  String describe(String component) {
    return component + " (Redis at " + endpoint + ", key prefix " + prefix + ", command timeout " + commandTimeout
        + ", revocation bound " + revocationBound + ")";
  }

  /** The key prefix of this application. */
  public String keyPrefix() {
    return prefix;
  }

  /** The longest a command may take before the request that needs it is refused. */
  public Duration commandTimeout() {
    return commandTimeout;
  }

  /** The bound within which a revocation on any replica is in force on this one (or this one refuses). */
  public Duration revocationBound() {
    return revocationBound;
  }

  @Override
  public void close() {
    revocations.close();
    connection.close();
    client.shutdown();
  }

  StatefulRedisPubSubConnection<String, String> connectPubSub() {
    try {
      return client.connectPubSub();
    } catch (RedisException e) {
      throw new StateUnavailableException("cannot connect to the Redis state store at " + endpoint + ": "
          + e.getClass().getSimpleName());
    }
  }

  // -----------------------------------------------------------------------------------------------------------------
  // For the stores.

  Instant now() {
    return clock.instant();
  }

  /** The key of {@code id} of {@code kind}: {@code <prefix>:<kind>:<id>}. */
  String key(String kind, String id) {
    return prefix + ":" + kind + ":" + Objects.requireNonNull(id, "id");
  }

  /** Runs one command; a failure of the store becomes an {@link IllegalStateException} naming only its kind. */
  <T> T call(Function<RedisCommands<String, String>, T> command) {
    T result;
    try {
      result = command.apply(commands);
    } catch (RedisException e) {
      wentDown(e);
      throw new StateUnavailableException("the Redis state store at " + endpoint + " did not answer: "
          + e.getClass().getSimpleName());
    }
    cameBack();
    return result;
  }

  /** Runs {@code script} (by its digest, loading it if the server does not know it). */
  <T> T eval(RedisScript script, ScriptOutputType type, String[] keys, String... args) {
    return call(c -> {
      try {
        return c.evalsha(script.sha1(), type, keys, args);
      } catch (RedisNoScriptException e) {
        return c.eval(script.source(), type, keys, args);
      }
    });
  }

  private void wentDown(RedisException e) {
    synchronized (outageLock) {
      if (!down) {
        down = true;
        LOG.error("the Redis state store at {} failed ({}): requests that need it are refused until it answers again",
            endpoint, e.getClass().getSimpleName());
      }
      answeringSince = 0;
    }
  }

  /**
   * After an outage, the store counts as back once it has answered for {@link #SETTLE} without failing, so that a
   * reconnection that flaps is one outage in the log, not several.
   */
  private void cameBack() {
    if (down) {
      synchronized (outageLock) {
        long now = System.nanoTime();
        if (!down) {
          return;
        }
        if (answeringSince == 0) {
          answeringSince = now;
        } else if (now - answeringSince >= SETTLE.toNanos()) {
          down = false;
          LOG.warn("the Redis state store at {} answers again", endpoint);
        }
      }
    }
  }

  /** The milliseconds from now to {@code until}, at least 1: a TTL. */
  long ttlMillis(Instant until) {
    return Math.max(1, until.toEpochMilli() - now().toEpochMilli());
  }

  /** Configures a {@link RedisState}. */
  public static final class Builder {
    private final String uri;
    private String keyPrefix = "safeguards";
    private Duration commandTimeout = Duration.ofMillis(500);
    private Duration connectTimeout = Duration.ofSeconds(2);
    private Clock clock = Clock.systemUTC();
    private Duration revocationBound = Duration.ofSeconds(1);

    private Builder(String uri) {
      this.uri = Objects.requireNonNull(uri, "uri");
    }

    /**
     * The prefix of every key (default {@code safeguards}): one per application sharing a Redis deployment.
     *
     * @throws IllegalArgumentException unless 1 to 64 letters, digits, {@code -}, {@code _} or {@code .}
     */
    public Builder keyPrefix(String value) {
      if (value == null || !value.matches("[A-Za-z0-9._-]{1,64}")) {
        throw new IllegalArgumentException("a key prefix is 1 to 64 letters, digits, '-', '_' or '.'");
      }
      this.keyPrefix = value;
      return this;
    }

    /**
     * How long a command may take before the request that needs it is refused (default 500 ms).
     *
     * @throws IllegalArgumentException unless between 10 ms and 10 s
     */
    public Builder commandTimeout(Duration value) {
      if (value.compareTo(Duration.ofMillis(10)) < 0 || value.compareTo(Duration.ofSeconds(10)) > 0) {
        throw new IllegalArgumentException("the command timeout is between 10 ms and 10 s");
      }
      this.commandTimeout = value;
      return this;
    }

    /**
     * How long connecting may take (default 2 s).
     *
     * @throws IllegalArgumentException unless between 10 ms and 60 s
     */
    public Builder connectTimeout(Duration value) {
      if (value.compareTo(Duration.ofMillis(10)) < 0 || value.compareTo(Duration.ofSeconds(60)) > 0) {
        throw new IllegalArgumentException("the connect timeout is between 10 ms and 60 s");
      }
      this.connectTimeout = value;
      return this;
    }

    /**
     * How long after a revocation on any replica it is in force on this one, at most (default 1 s): revocations are
     * pushed at once, and polled every quarter of this; a replica that could not confirm its list within it refuses
     * requests until it can.
     *
     * @throws IllegalArgumentException unless between 100 ms and 60 s
     */
    public Builder revocationBound(Duration value) {
      if (value.compareTo(Duration.ofMillis(100)) < 0 || value.compareTo(Duration.ofSeconds(60)) > 0) {
        throw new IllegalArgumentException("the revocation bound is between 100 ms and 60 s");
      }
      this.revocationBound = value;
      return this;
    }

    /** The clock every deadline is measured with (default: the system UTC clock); the same on every replica. */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * Connects.
     *
     * @throws IllegalArgumentException if the URI is malformed
     * @throws IllegalStateException if the server cannot be reached
     */
    public RedisState connect() {
      return new RedisState(this);
    }
  }
}
