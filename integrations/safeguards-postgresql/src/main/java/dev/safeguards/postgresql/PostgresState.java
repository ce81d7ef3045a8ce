package dev.safeguards.postgresql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import dev.safeguards.StateOutageLog;
import dev.safeguards.StateUnavailableException;
import dev.safeguards.access.EmergencyGrantStore;
import dev.safeguards.authn.RefreshTokenStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Safeguard state in one PostgreSQL database, shared by every replica: emergency grants (with what a review needs)
 * and refresh-token families, for teams that keep such state in their database rather than in Redis. Each operation
 * is one statement, atomic on the server: of two replicas marking the same refresh token used, one wins.
 *
 * <p>Connects through a pool: its own (HikariCP, from a JDBC URL and credentials, with every statement limited to the
 * command timeout) or the application's {@link DataSource}. The schema must have been {@link PostgresSchema#migrate
 * migrated} by its owner; the application's role needs only what {@link PostgresSchema#grant} gives. Time comes from
 * the injected clock, never from the server.
 *
 * <p><b>Outage:</b> a statement that fails, or a connection not had within the command timeout, or no answer within
 * twice the command timeout (a server that hangs, a network that drops packets), throws {@link
 * StateUnavailableException} (the gate answers 503, audited); the pool reconnects by itself; the outage and the
 * recovery are logged once each. Messages name the endpoint (host, port, database) and the SQLState, never a
 * credential or a value.
 */
public final class PostgresState implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PostgresState.class);

  private final DataSource dataSource;
  private final HikariDataSource owned;
  private final String schema;
  private final Clock clock;
  private final Duration commandTimeout;
  private final String endpoint;
  private final StateOutageLog outages;
  /** The stores, made on first use: one each, so that each purges once a minute, not once per caller. */
  private EmergencyGrantStore emergencyGrants;
  private RefreshTokenStore refreshTokens;

  private PostgresState(Builder b) {
    this.schema = b.schema;
    this.clock = b.clock;
    this.commandTimeout = b.commandTimeout;
    if (b.dataSource != null) {
      this.owned = null;
      this.dataSource = b.dataSource;
    } else {
      HikariConfig config = new HikariConfig();
      config.setPoolName("safeguards-postgresql");
      config.setJdbcUrl(b.jdbcUrl);
      config.setUsername(b.user);
      config.setPassword(b.password);
      config.setMaximumPoolSize(b.poolSize);
      long ms = Math.max(250, b.commandTimeout.toMillis());
      config.setConnectionTimeout(ms);
      config.setValidationTimeout(ms);
      config.setConnectionInitSql("SET statement_timeout = " + b.commandTimeout.toMillis());
      try {
        this.owned = new HikariDataSource(config);
      } catch (HikariPool.PoolInitializationException e) {
        throw new StateUnavailableException("cannot connect to the PostgreSQL state store at "
            + withoutQuery(b.jdbcUrl) + ": " + Sql.state(e));
      }
      this.dataSource = owned;
    }
    String where;
    try (Connection c = dataSource.getConnection()) {
      where = withoutQuery(c.getMetaData().getURL());
      int version = PostgresSchema.version(c, schema);
      if (version != PostgresSchema.VERSION) {
        close();
        throw new IllegalStateException("the schema " + schema + " at " + where + " is at version " + version
            + "; this library needs " + PostgresSchema.VERSION + ": run PostgresSchema.migrate as its owner");
      }
    } catch (SQLException e) {
      close();
      if ("42P01".equals(e.getSQLState()) || "3F000".equals(e.getSQLState())) { // no such table, no such schema
        throw new IllegalStateException("the schema " + schema + " has no Safeguards tables (SQLState "
            + e.getSQLState() + "): run PostgresSchema.migrate as its owner, then grant the application's role");
      }
      throw new StateUnavailableException("cannot use the PostgreSQL state store"
          + (b.jdbcUrl == null ? "" : " at " + withoutQuery(b.jdbcUrl)) + ": " + Sql.state(e));
    }
    this.endpoint = where;
    this.outages = new StateOutageLog(LOG, "the PostgreSQL state store at " + endpoint);
  }

  /**
   * Starts configuring the state in the database at {@code jdbcUrl} ({@code jdbc:postgresql://host:5432/db}).
   *
   * @param jdbcUrl the database's JDBC URL; messages quote it without its query string
   * @return a builder with the defaults: schema {@code safeguards}, command timeout 500 ms, at most 10 connections,
   *     the system UTC clock
   * @throws NullPointerException if {@code jdbcUrl} is null
   * @throws IllegalArgumentException if {@code jdbcUrl} does not begin with {@code jdbc:postgresql:}
   */
  public static Builder builder(String jdbcUrl) {
    if (!Objects.requireNonNull(jdbcUrl, "jdbcUrl").startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException("a PostgreSQL JDBC URL begins with jdbc:postgresql:");
    }
    return new Builder(jdbcUrl, null);
  }

  /**
   * Starts configuring the state in the database the application's pool connects to.
   *
   * @param dataSource the application's pool, with its own credentials and timeouts; never closed by the state
   * @return a builder with the defaults: schema {@code safeguards}, the system UTC clock
   * @throws NullPointerException if {@code dataSource} is null
   */
  public static Builder builder(DataSource dataSource) {
    return new Builder(null, Objects.requireNonNull(dataSource, "dataSource"));
  }

  /**
   * Emergency grants, seen by every replica, kept a day after they end.
   *
   * @return this state's one store of them (the same on every call); it deletes expired rows on its own writes, at
   *     most once a minute
   */
  public synchronized EmergencyGrantStore emergencyGrants() {
    if (emergencyGrants == null) {
      emergencyGrants = new PostgresEmergencyGrantStore(this);
    }
    return emergencyGrants;
  }

  /**
   * Refresh-token families: marking a token used is atomic, so of two replicas presenting it at once one wins.
   *
   * @return this state's one store of them (the same on every call); it deletes expired rows on its own writes, at
   *     most once a minute
   */
  public synchronized RefreshTokenStore refreshTokens() {
    if (refreshTokens == null) {
      refreshTokens = new PostgresRefreshTokenStore(this);
    }
    return refreshTokens;
  }

  /**
   * Where it connects: host, port and database; never credentials.
   *
   * @return the URL the driver reports for a connection, without its query string
   */
  public String endpoint() {
    return endpoint;
  }

  /**
   * The schema holding the tables.
   *
   * @return the schema's name as configured ({@link Builder#schema})
   */
  public String schema() {
    return schema;
  }

  @Override
  public void close() {
    if (owned != null) {
      owned.close();
    }
  }

  // -----------------------------------------------------------------------------------------------------------------
  // For the stores.

  /** One unit of work on a connection. */
  @FunctionalInterface
  interface Work<T> {
    T on(Connection c) throws SQLException;
  }

  /**
   * Runs {@code work} on a pooled connection; a failure becomes a {@link StateUnavailableException}. The connection
   * waits for an answer at most twice the command timeout (the server cancels a statement at the command timeout;
   * this bounds a server or network that no longer answers at all), then fails and is dropped.
   */
  <T> T run(Work<T> work) {
    T result;
    try (Connection c = dataSource.getConnection()) {
      int before = c.getNetworkTimeout();
      c.setNetworkTimeout(Runnable::run, (int) Math.min(Integer.MAX_VALUE, commandTimeout.toMillis() * 2));
      try {
        result = work.on(c);
      } finally {
        restore(c, before);
      }
    } catch (SQLException e) {
      // the SQLState only: a message may quote a value (a key in a constraint violation)
      String state = Sql.state(e);
      outages.failed(state);
      throw new StateUnavailableException("the PostgreSQL state store at " + endpoint + " failed: " + state);
    }
    outages.answered();
    return result;
  }

  /** Gives a connection back its network timeout, for a pool of the application's; a broken one is dropped anyway. */
  private static void restore(Connection c, int networkTimeout) {
    try {
      if (!c.isClosed()) {
        c.setNetworkTimeout(Runnable::run, networkTimeout);
      }
    } catch (SQLException e) {
      // the connection failed: the pool drops it
    }
  }

  /** The pool. */
  DataSource dataSource() {
    return dataSource;
  }

  /** The table {@code name} in the schema. */
  String table(String name) {
    return schema + "." + name;
  }

  Instant now() {
    return clock.instant();
  }

  /** {@code component} on this database, with its settings, for the compliance report; names no credential. */
  String describe(String component) {
    return component + " (PostgreSQL at " + endpoint + ", schema " + schema + ", command timeout " + commandTimeout
        + ")";
  }

  private static String withoutQuery(String url) {
    int q = url.indexOf('?');
    return q < 0 ? url : url.substring(0, q);
  }

  /** Configures a {@link PostgresState}. */
  public static final class Builder {
    private final String jdbcUrl;
    private final DataSource dataSource;
    private String user;
    private String password;
    private String schema = "safeguards";
    private Duration commandTimeout = Duration.ofMillis(500);
    private int poolSize = 10;
    private Clock clock = Clock.systemUTC();

    private Builder(String jdbcUrl, DataSource dataSource) {
      this.jdbcUrl = jdbcUrl;
      this.dataSource = dataSource;
    }

    /**
     * The role and password to log in with (for a JDBC URL; an application's pool brings its own).
     *
     * @param user the role to log in as
     * @param password its password
     * @return this builder
     * @throws NullPointerException if either is null
     * @throws IllegalStateException if this builder was made from a {@link DataSource}
     */
    public Builder credentials(String user, String password) {
      if (dataSource != null) {
        throw new IllegalStateException("the application's DataSource brings its own credentials");
      }
      this.user = Objects.requireNonNull(user, "user");
      this.password = Objects.requireNonNull(password, "password");
      return this;
    }

    /**
     * The schema holding the tables (default {@code safeguards}).
     *
     * @param value 1 to 63 lower-case letters, digits or {@code _}, not starting with a digit
     * @return this builder
     * @throws IllegalArgumentException unless a plain lower-case identifier
     */
    public Builder schema(String value) {
      this.schema = PostgresSchema.identifier(value);
      return this;
    }

    /**
     * How long a statement, or waiting for a connection, may take before the request that needs it is refused
     * (default 500 ms; with the application's own pool, its settings apply instead). Either way an answer is awaited
     * at most twice this long: past it (a server that hangs) the request is refused and the connection dropped.
     *
     * @param value the longest one statement, or the wait for a connection, may take
     * @return this builder
     * @throws IllegalArgumentException unless between 10 ms and 60 s
     * @throws NullPointerException if {@code value} is null
     */
    public Builder commandTimeout(Duration value) {
      if (value.compareTo(Duration.ofMillis(10)) < 0 || value.compareTo(Duration.ofSeconds(60)) > 0) {
        throw new IllegalArgumentException("the command timeout is between 10 ms and 60 s");
      }
      this.commandTimeout = value;
      return this;
    }

    /**
     * The most connections its own pool opens (default 10).
     *
     * @param value the most connections at once; ignored with the application's pool
     * @return this builder
     * @throws IllegalArgumentException unless between 1 and 1000
     */
    public Builder poolSize(int value) {
      if (value < 1 || value > 1000) {
        throw new IllegalArgumentException("the pool size is between 1 and 1000");
      }
      this.poolSize = value;
      return this;
    }

    /**
     * The clock every deadline is measured with (default: the system UTC clock).
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
     * Connects, and checks that the schema is at this library's version.
     *
     * @return the state, its schema checked; close it to close its own pool
     * @throws StateUnavailableException if the database cannot be reached or refuses the credentials
     * @throws IllegalStateException if the schema is missing or was not migrated to this library's version
     */
    public PostgresState connect() {
      return new PostgresState(this);
    }
  }
}
