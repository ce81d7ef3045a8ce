package dev.safeguards.redis;

import dev.safeguards.StateOutageLog;
import dev.safeguards.StateUnavailableException;
import dev.safeguards.access.EmergencyGrantStore;
import dev.safeguards.authn.RefreshTokenStore;
import dev.safeguards.authn.RevocationList;
import dev.safeguards.authn.ThrottleStore;
import dev.safeguards.authn.TotpReplayGuard;
import dev.safeguards.integrity.NonceCache;
import dev.safeguards.session.SessionStore;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The safeguards' state on one Redis deployment, shared by every replica of an application: sessions (automatic
 * logoff), the revocation list, login throttle counters, refresh-token families, emergency grants, RFC 9421 nonces and
 * one-time-code replay. Each store's operation is one atomic step on the server (a Lua script or a single command), so
 * that two replicas deciding at once decide as one would; every key carries a TTL, so nothing grows without bound.
 *
 * <p>Connects through Lettuce: a {@code redis://} or {@code rediss://} (TLS) URI, with AUTH or ACL credentials in it
 * ({@code rediss://user:password@host:6379/0}), or {@code redis-sentinel://} for Sentinel ({@link #builder}); or a
 * Redis Cluster from one or more of its nodes ({@link #clusterBuilder}). TLS verifies the server's certificate and
 * host name, against the JVM's trusted certificates or {@link Builder#trustedCertificates}; a client certificate is
 * {@link Builder#clientCertificate}. Time comes from the injected clock, never from the server: stored deadlines are
 * compared with the clock, and TTLs only let the server forget.
 *
 * <p><b>Redis Cluster:</b> every script's keys share a hash slot (a hash tag in braces): each session lives in one of
 * 64 buckets spread over the slots, each with its own "complete since" mark, so that a node that
 * restarts empty ends the sessions it held and no other; revocations and emergency grants each live in one slot.
 * Commands go to the primary of their slot; the client follows the cluster's topology as it changes.
 *
 * <p><b>Outage:</b> a command that fails or takes longer than {@link Builder#commandTimeout} (default 500 ms) throws
 * {@link StateUnavailableException}, which the gate answers with an audited 503 (the nonce cache and the one-time-code
 * guard answer "already used" instead): fail closed. While the connection is down, commands fail at once rather than
 * queue (on a cluster, a command waits for its node's connection, for at most the command timeout). The client
 * reconnects by itself, at most a second apart; the outage and the recovery are each logged once (the store counts as
 * back once it has answered for a second without failing). No message names the URI's credentials, a key, or a value:
 * a server's error is named by its code ({@code NOPERM}, {@code WRONGPASS}, ...).
 */
public final class RedisState implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RedisState.class);
  /** At most this many commands wait for an answer at once; past it, a command fails at once. */
  private static final int QUEUE = 10_000;

  /**
   * How far one replica's clock may be behind another's (TokenPolicy's largest clock skew): what must hold until a
   * moment by every replica's clock (a revocation, an ended session) is kept on the server this much longer than the
   * writing replica's clock says.
   */
  static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

  /** Sessions are spread over this many hash tags, so over a cluster's nodes; fixed, as it places stored keys. */
  static final int SESSION_BUCKETS = 64;

  private final ClientResources resources;
  private final AbstractRedisClient client;
  private final StatefulConnection<String, String> connection;
  private final RedisClusterCommands<String, String> commands;
  private final Function<AbstractRedisClient, StatefulRedisPubSubConnection<String, String>> pubSub;
  private final String prefix;
  private final Clock clock;
  private final Duration commandTimeout;
  private final Duration revocationBound;
  private final String endpoint;
  private final StateOutageLog outages;
  private final RedisSessionStore sessions;
  /** Keeps the sessions' buckets' marks (see {@link RedisSessionStore#keepMarks()}). */
  private final ScheduledExecutorService keeper;
  private final RedisRevocationList revocations;

  private RedisState(Builder b) {
    List<RedisURI> uris = new ArrayList<>();
    for (String u : b.uris) {
      RedisURI uri = RedisURI.create(u);
      uri.setTimeout(b.commandTimeout);
      uris.add(uri);
    }
    this.endpoint = endpoint(uris, b.cluster);
    this.outages = new StateOutageLog(LOG, "the Redis state store at " + endpoint);
    if ((b.trustedCertificates != null || b.clientCertificate != null) && !uris.get(0).isSsl()) {
      throw new IllegalArgumentException("certificates are for a rediss:// (TLS) URI");
    }
    // reconnect attempts back off from 10 ms to at most a second apart (Lettuce's default: 30 s), so that service
    // resumes within about a second of the server answering again, however long it was away
    this.resources = ClientResources.builder().reconnectDelay(Delay.exponential(Duration.ofMillis(10),
        Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS)).build();
    if (b.cluster) {
      ClusterClientOptions.Builder options = ClusterClientOptions.builder()
          .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
              .enablePeriodicRefresh(Duration.ofSeconds(30)).build()); // and on redirects, as by default
      RedisClusterClient c = RedisClusterClient.create(resources, uris);
      c.setOptions((ClusterClientOptions) options(options, b).build());
      this.client = c;
      this.pubSub = x -> ((RedisClusterClient) x).connectPubSub();
    } else {
      RedisClient c = RedisClient.create(resources, uris.get(0));
      c.setOptions(options(ClientOptions.builder(), b).build());
      this.client = c;
      this.pubSub = x -> ((RedisClient) x).connectPubSub();
    }
    try {
      if (client instanceof RedisClusterClient c) {
        StatefulRedisClusterConnection<String, String> conn = c.connect();
        this.connection = conn;
        this.commands = conn.sync();
      } else {
        StatefulRedisConnection<String, String> conn = ((RedisClient) client).connect();
        this.connection = conn;
        this.commands = conn.sync();
      }
    } catch (RedisException e) {
      shutdown();
      throw new StateUnavailableException("cannot connect to the Redis state store at " + endpoint + ": "
          + connectFailure(e));
    }
    this.prefix = b.keyPrefix;
    this.clock = b.clock;
    this.commandTimeout = b.commandTimeout;
    this.revocationBound = b.revocationBound;
    this.sessions = new RedisSessionStore(this);
    try {
      refuseEviction();
      sessions.keepMarks();
      this.revocations = new RedisRevocationList(this, b.revocationBound);
    } catch (RuntimeException e) {
      connection.close();
      shutdown();
      if (e instanceof RedisException r) { // subscribing to the revocations' channel
        throw new StateUnavailableException("cannot subscribe to the Redis state store at " + endpoint + ": "
            + connectFailure(r));
      }
      throw e;
    }
    this.keeper = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "safeguards-redis-marks");
      t.setDaemon(true);
      return t;
    });
    long every = RedisSessionStore.KEEP_EVERY.toMillis();
    keeper.scheduleWithFixedDelay(this::keepMarks, every, every, TimeUnit.MILLISECONDS);
  }

  /**
   * Refuses a server (or any primary of a cluster) that may evict keys: every key carries a TTL, so a full server
   * under any policy but {@code noeviction} would forget a logout, a revocation or a throttle counter in silence; under
   * {@code noeviction} it refuses the write instead (a 503).
   */
  private void refuseEviction() {
    List<String> infos = new ArrayList<>();
    if (connection instanceof StatefulRedisClusterConnection<String, String> c) {
      for (RedisClusterNode node : c.getPartitions()) {
        if (node.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
          infos.add(call(x -> c.getConnection(node.getNodeId()).sync().info("memory")));
        }
      }
    } else {
      infos.add(call(x -> x.info("memory")));
    }
    for (String info : infos) {
      String max = infoField(info, "maxmemory");
      String policy = infoField(info, "maxmemory_policy");
      if (!"0".equals(max) && !"noeviction".equals(policy)) {
        throw new IllegalStateException("the Redis state store at " + endpoint + " may evict keys (maxmemory-policy "
            + policy + "): set maxmemory-policy noeviction, so that a full server refuses writes instead of "
            + "forgetting them");
      }
    }
  }

  /** The value of {@code name} in the text {@code INFO} returns; empty if it has none. */
  private static String infoField(String info, String name) {
    for (String line : info.split("\r?\n")) {
      if (line.startsWith(name + ":")) {
        return line.substring(name.length() + 1).trim();
      }
    }
    return "";
  }

  private void keepMarks() {
    try {
      sessions.keepMarks();
    } catch (StateUnavailableException e) {
      // the next round keeps them; the outage is logged once by call()
    }
  }

  /**
   * Starts configuring the state on the Redis server at {@code uri} ({@code redis://host:port}, {@code rediss://...}
   * for TLS), or on the primary its Sentinels name ({@code redis-sentinel://host:26379,host2:26379#primary}).
   *
   * @param uri the server's or the Sentinels' URI, credentials included if the server asks for them; parsed only by
   *     {@link Builder#connect}
   * @return a builder with the defaults: key prefix {@code safeguards}, command timeout 500 ms, connect timeout 2 s,
   *     revocation bound 1 s, the system UTC clock
   * @throws NullPointerException if {@code uri} is null
   */
  public static Builder builder(String uri) {
    return new Builder(List.of(Objects.requireNonNull(uri, "uri")), false);
  }

  /**
   * Starts configuring the state on a Redis Cluster reached through {@code seed} and any {@code moreSeeds} (each a
   * {@code redis://} or {@code rediss://} URI of one node; the client finds the others).
   *
   * @param seed the URI of one node of the cluster
   * @param moreSeeds the URIs of further nodes to learn the topology from; may be empty
   * @return a builder with the same defaults as {@link #builder}
   * @throws NullPointerException if a seed, or the {@code moreSeeds} array, is null
   */
  public static Builder clusterBuilder(String seed, String... moreSeeds) {
    List<String> uris = new ArrayList<>();
    uris.add(Objects.requireNonNull(seed, "seed"));
    for (String s : moreSeeds) {
      uris.add(Objects.requireNonNull(s, "seed"));
    }
    return new Builder(uris, true);
  }

  /**
   * The client's options: reconnect by itself; commands wait at most the command timeout, and at most {@link
   * #QUEUE} wait at once. One server's commands fail at once while it is disconnected; a cluster's wait while the
   * connection to their node is made (it opens connections to nodes as commands first need them), then fail.
   */
  private static ClientOptions.Builder options(ClientOptions.Builder options, Builder b) {
    options.autoReconnect(true)
        .disconnectedBehavior(b.cluster ? ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS
            : ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .requestQueueSize(QUEUE)
        .socketOptions(SocketOptions.builder().connectTimeout(b.connectTimeout).build())
        .timeoutOptions(TimeoutOptions.enabled(b.commandTimeout));
    if (b.trustedCertificates != null || b.clientCertificate != null) {
      SslOptions.Builder ssl = SslOptions.builder().jdkSslProvider();
      if (b.trustedCertificates != null) {
        ssl.trustManager(b.trustedCertificates.toFile());
      }
      if (b.clientCertificate != null) {
        ssl.keyManager(b.clientCertificate.toFile(), b.clientKey.toFile(), null);
      }
      options.sslOptions(ssl.build());
    }
    return options;
  }

  /** Where it connects, for messages and reports: hosts and ports, or a Sentinel primary's name; no credentials. */
  private static String endpoint(List<RedisURI> uris, boolean cluster) {
    RedisURI first = uris.get(0);
    String scheme = first.isSsl() ? "rediss://" : "redis://";
    if (cluster) {
      return "cluster " + uris.stream().map(u -> scheme + u.getHost() + ":" + u.getPort())
          .collect(Collectors.joining(", "));
    }
    return first.getSentinels().isEmpty() ? scheme + first.getHost() + ":" + first.getPort()
        : "sentinel " + first.getSentinelMasterId();
  }

  /**
   * Sessions: at most one script per request touches the session (idle and absolute timeout), and none while this
   * replica asked about it within the resolution (see {@link RedisSessionStore#touch}).
   *
   * @return the session store; the same instance on every call
   */
  public SessionStore sessions() {
    return sessions;
  }

  /**
   * The revocation list of token and session ids.
   *
   * @return the revocation list; the same instance on every call, closed with this state
   */
  public RevocationList revocations() {
    return revocations;
  }

  /**
   * Login throttle counters: one script counts a failure.
   *
   * @return a stateless view on this state's connection, new on every call; every view sees the same data
   */
  public ThrottleStore throttle() {
    return new RedisThrottleStore(this);
  }

  /**
   * Refresh-token families: marking a token used is atomic, so of two replicas presenting it at once one wins.
   *
   * @return a stateless view on this state's connection, new on every call; every view sees the same data
   */
  public RefreshTokenStore refreshTokens() {
    return new RedisRefreshTokenStore(this);
  }

  /**
   * Open emergency grants, seen by every replica.
   *
   * @return a stateless view on this state's connection, new on every call; every view sees the same data
   */
  public EmergencyGrantStore emergencyGrants() {
    return new RedisEmergencyGrantStore(this);
  }

  /**
   * RFC 9421 signature nonces: a nonce used on one replica is a replay on every other.
   *
   * @return a stateless view on this state's connection, new on every call; every view sees the same data
   */
  public NonceCache nonces() {
    return new RedisNonceCache(this);
  }

  /**
   * The last time step each account's one-time code was accepted at.
   *
   * @return a stateless view on this state's connection, new on every call; every view sees the same data
   */
  public TotpReplayGuard totpReplay() {
    return new RedisTotpReplayGuard(this);
  }

  /**
   * Where it connects (host and port or the Sentinel master's name; never credentials), for reports.
   *
   * @return {@code redis://host:port} (or {@code rediss://}), {@code sentinel <primary>}, or {@code cluster
   *     redis://host:port, ...} with every seed
   */
  public String endpoint() {
    return endpoint;
  }

  /** {@code component} on this deployment, with its settings, for the compliance report; names no credential. */
  String describe(String component) {
    return component + " (Redis at " + endpoint + ", key prefix " + prefix + ", command timeout " + commandTimeout
        + ", revocation bound " + revocationBound + ")";
  }

  /**
   * The key prefix of this application.
   *
   * @return the prefix as configured ({@link Builder#keyPrefix})
   */
  public String keyPrefix() {
    return prefix;
  }

  /**
   * The longest a command may take before the request that needs it is refused.
   *
   * @return the command timeout as configured ({@link Builder#commandTimeout})
   */
  public Duration commandTimeout() {
    return commandTimeout;
  }

  /**
   * The bound within which a revocation on any replica is in force on this one (or this one refuses).
   *
   * @return the bound as configured ({@link Builder#revocationBound})
   */
  public Duration revocationBound() {
    return revocationBound;
  }

  @Override
  public void close() {
    keeper.shutdownNow();
    revocations.close();
    connection.close();
    shutdown();
  }

  private void shutdown() {
    client.shutdown();
    resources.shutdown();
  }

  StatefulRedisPubSubConnection<String, String> connectPubSub() {
    try {
      return pubSub.apply(client);
    } catch (RedisException e) {
      throw new StateUnavailableException("cannot connect to the Redis state store at " + endpoint + ": "
          + connectFailure(e));
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

  /**
   * The key of {@code name} in the hash slot of {@code tag}: {@code <prefix>:{<tag>}:<name>}. Keys that one script
   * touches share a tag, so that a cluster keeps them on one node (the first braces in a key name its slot).
   */
  String taggedKey(String tag, String name) {
    return prefix + ":{" + tag + "}:" + Objects.requireNonNull(name, "name");
  }

  /** Runs one command; a failure of the store becomes a {@link StateUnavailableException} naming only its kind. */
  <T> T call(Function<RedisClusterCommands<String, String>, T> command) {
    T result;
    try {
      result = command.apply(commands);
    } catch (RedisCommandExecutionException e) {
      // it answered with an error: its code only (NOPERM, CROSSSLOT, ...), as the rest may quote what was sent
      outages.failed(errorCode(e));
      throw new StateUnavailableException("the Redis state store at " + endpoint + " refused a command: "
          + errorCode(e));
    } catch (RedisException e) {
      outages.failed(errorCode(e));
      throw new StateUnavailableException("the Redis state store at " + endpoint + " did not answer: "
          + e.getClass().getSimpleName());
    }
    outages.answered();
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

  /**
   * Why connecting failed, naming no credential: the server's error code if it answered with one ({@code WRONGPASS},
   * {@code NOPERM}), else the innermost cause's kind ({@code SSLHandshakeException}, {@code ConnectException}).
   */
  private static String connectFailure(RedisException e) {
    Throwable inner = e;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof RedisCommandExecutionException refused) {
        return e.getClass().getSimpleName() + " (" + errorCode(refused) + ")";
      }
      inner = t;
    }
    return e.getClass().getSimpleName() + (inner == e ? "" : " (" + inner.getClass().getSimpleName() + ")");
  }

  /** The first word of the server's error ({@code NOPERM}, {@code WRONGPASS}, ...), if it is one. */
  private static String errorCode(RedisException e) {
    String m = e.getMessage() == null ? "" : e.getMessage();
    int space = m.indexOf(' ');
    String code = space < 0 ? m : m.substring(0, space);
    return code.matches("[A-Z]{2,20}") ? code : e.getClass().getSimpleName();
  }

  /** The milliseconds from now to {@code until}, at least 1: a TTL. */
  long ttlMillis(Instant until) {
    return Math.max(1, until.toEpochMilli() - now().toEpochMilli());
  }

  /** Configures a {@link RedisState}. */
  public static final class Builder {
    private final List<String> uris;
    private final boolean cluster;
    private Path trustedCertificates;
    private Path clientCertificate;
    private Path clientKey;
    private String keyPrefix = "safeguards";
    private Duration commandTimeout = Duration.ofMillis(500);
    private Duration connectTimeout = Duration.ofSeconds(2);
    private Clock clock = Clock.systemUTC();
    private Duration revocationBound = Duration.ofSeconds(1);

    private Builder(List<String> uris, boolean cluster) {
      this.uris = uris;
      this.cluster = cluster;
    }

    /**
     * The certificates (PEM) a {@code rediss://} server's certificate must chain to, instead of the JVM's trusted
     * ones; the host name is verified either way.
     *
     * @param pemFile one or more PEM certificates
     * @return this builder
     * @throws IllegalArgumentException if the file cannot be read
     * @throws NullPointerException if {@code pemFile} is null
     */
    public Builder trustedCertificates(Path pemFile) {
      this.trustedCertificates = readable(pemFile);
      return this;
    }

    /**
     * The certificate chain and unencrypted PKCS#8 private key (PEM files) this client presents over TLS, for a
     * server that asks for one ({@code tls-auth-clients yes}).
     *
     * @param certificateChainPem the client's certificate first, then any intermediates
     * @param privateKeyPem the certificate's private key, unencrypted PKCS#8
     * @return this builder
     * @throws IllegalArgumentException if a file cannot be read
     * @throws NullPointerException if either file is null
     */
    public Builder clientCertificate(Path certificateChainPem, Path privateKeyPem) {
      Path chain = readable(certificateChainPem);
      Path key = readable(privateKeyPem); // both checked before either is kept: a refusal leaves the builder as it was
      this.clientCertificate = chain;
      this.clientKey = key;
      return this;
    }

    private static Path readable(Path file) {
      if (!Files.isReadable(Objects.requireNonNull(file, "file"))) {
        throw new IllegalArgumentException("cannot read " + file);
      }
      return file;
    }

    /**
     * The prefix of every key (default {@code safeguards}): one per application sharing a Redis deployment.
     *
     * @param value the prefix; null is refused like any other invalid prefix
     * @return this builder
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
     * @param value the longest one command may take
     * @return this builder
     * @throws IllegalArgumentException unless between 10 ms and 10 s
     * @throws NullPointerException if {@code value} is null
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
     * @param value the longest opening a connection may take
     * @return this builder
     * @throws IllegalArgumentException unless between 10 ms and 60 s
     * @throws NullPointerException if {@code value} is null
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
     * @param value the longest a revocation may take to be in force on every replica
     * @return this builder
     * @throws IllegalArgumentException unless between 100 ms and 60 s
     * @throws NullPointerException if {@code value} is null
     */
    public Builder revocationBound(Duration value) {
      if (value.compareTo(Duration.ofMillis(100)) < 0 || value.compareTo(Duration.ofSeconds(60)) > 0) {
        throw new IllegalArgumentException("the revocation bound is between 100 ms and 60 s");
      }
      this.revocationBound = value;
      return this;
    }

    /**
     * The clock every deadline is measured with (default: the system UTC clock); the same on every replica.
     *
     * @param value the clock; every replica should be given the same time source
     * @return this builder
     * @throws NullPointerException if {@code value} is null
     */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * Connects.
     *
     * @return the state, connected and subscribed to revocations; close it to disconnect
     * @throws IllegalArgumentException if a URI is malformed, or certificates are given for a plain connection
     * @throws StateUnavailableException if the deployment cannot be reached, or refuses the credentials
     */
    public RedisState connect() {
      return new RedisState(this);
    }
  }
}
