package dev.safeguards.spring.boot;

import dev.safeguards.annotation.Unannotated;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code safeguards.*} properties from which {@link SafeguardsAutoConfiguration} assembles {@code Safeguards}.
 * Every default is the secure one; each part can instead be given as a bean of its own type, which the
 * auto-configuration then uses unchanged.
 */
@ConfigurationProperties("safeguards")
public class SafeguardsProperties {

  /** Properties with their defaults, which Spring Boot then binds. */
  public SafeguardsProperties() {}

  /** Access tokens: who issues them, for whom, and where their keys are published. */
  private final Token token = new Token();
  /** Sessions: automatic logoff (164.312(a)(2)(iii)). */
  private final Session session = new Session();
  /** Key storage: where the library keeps the keys it creates, and the master key that seals them. */
  private final Keys keys = new Keys();
  /** The audit log (164.312(b)). */
  private final Audit audit = new Audit();
  /** Transport security (164.312(e)). */
  private final Transport transport = new Transport();
  /** Sessions and revocations shared by every replica, on Redis (the safeguards-redis module). */
  private final Redis redis = new Redis();
  /** One audit log for every replica, in PostgreSQL (the safeguards-postgresql module). */
  private final Postgresql postgresql = new Postgresql();
  /** Actuator endpoints served on the application's own port. */
  private final Actuator actuator = new Actuator();
  /** Role-based access: each role's permissions ({@code resource:action}), e.g. clinician: patient:read. */
  private Map<String, List<String>> roles = new LinkedHashMap<>();
  /**
   * What to do with a Spring MVC handler method without an access annotation: REFUSE the start-up (the default),
   * DENY its requests with 403, or make it PUBLIC.
   */
  private Unannotated unannotated = Unannotated.REFUSE;
  /** The order of the gate's servlet filter: before Spring Security's filter chain (-100) unless changed. */
  private int filterOrder = SafeguardsAutoConfiguration.FILTER_ORDER;

  /**
   * Access tokens: who issues them, for whom, and where their keys are published.
   *
   * @return the {@code safeguards.token.*} settings; never null, bound in place
   */
  public Token getToken() {
    return token;
  }

  /**
   * Automatic logoff: how long a session may sit idle, and how long it may last.
   *
   * @return the {@code safeguards.session.*} settings; never null, bound in place
   */
  public Session getSession() {
    return session;
  }

  /**
   * Where the keys the library creates are kept, and the master key that seals them.
   *
   * @return the {@code safeguards.keys.*} settings; never null, bound in place
   */
  public Keys getKeys() {
    return keys;
  }

  /**
   * The audit log: where it is written, its name, how often it is checkpointed, and whether identities in it are
   * sealed.
   *
   * @return the {@code safeguards.audit.*} settings; never null, bound in place
   */
  public Audit getAudit() {
    return audit;
  }

  /**
   * Transport security: which proxies are believed, and the HSTS header.
   *
   * @return the {@code safeguards.transport.*} settings; never null, bound in place
   */
  public Transport getTransport() {
    return transport;
  }

  /**
   * The Redis server that shares sessions and revocations among replicas.
   *
   * @return the {@code safeguards.redis.*} settings; never null, bound in place, and unused unless a URI is set
   */
  public Redis getRedis() {
    return redis;
  }

  /**
   * The PostgreSQL database that holds one audit log for every replica.
   *
   * @return the {@code safeguards.postgresql.*} settings; never null, bound in place, and unused unless a URL or the
   *     application's DataSource is chosen
   */
  public Postgresql getPostgresql() {
    return postgresql;
  }

  /**
   * How the gate treats the actuator endpoints served on the application's own port.
   *
   * @return the {@code safeguards.actuator.*} settings; never null, bound in place
   */
  public Actuator getActuator() {
    return actuator;
  }

  /**
   * Each role's permissions, as {@code resource:action}.
   *
   * @return the permissions by role name, in the order configured; empty unless set, so that no role grants anything
   */
  public Map<String, List<String>> getRoles() {
    return roles;
  }

  /**
   * Sets each role's permissions: what a caller holding the role may do.
   *
   * @param roles the permissions ({@code resource:action}) by role name
   */
  public void setRoles(Map<String, List<String>> roles) {
    this.roles = roles;
  }

  /**
   * What becomes of a Spring MVC handler method that has no access annotation.
   *
   * @return {@code REFUSE} (the start-up fails, naming the method) unless set
   */
  public Unannotated getUnannotated() {
    return unannotated;
  }

  /**
   * Sets what becomes of a Spring MVC handler method that has no access annotation.
   *
   * @param unannotated {@code REFUSE} to fail the start-up, {@code DENY} to answer its requests 403, or {@code PUBLIC}
   */
  public void setUnannotated(Unannotated unannotated) {
    this.unannotated = unannotated;
  }

  /**
   * The position of the gate's servlet filter among the application's filters.
   *
   * @return {@link SafeguardsAutoConfiguration#FILTER_ORDER} unless set
   */
  public int getFilterOrder() {
    return filterOrder;
  }

  /**
   * Sets the position of the gate's servlet filter; the filter that hands its principal to Spring Security, if any,
   * runs right after it.
   *
   * @param filterOrder the filter order, lower running first; below {@code -100} to run before Spring Security's
   *     filter chain
   */
  public void setFilterOrder(int filterOrder) {
    this.filterOrder = filterOrder;
  }

  /** Access tokens (164.312(d)). */
  public static class Token {

    /** The defaults, which Spring Boot then binds. */
    public Token() {}
    /** The issuer every token must name ({@code iss}). Required unless a TokenVerifier bean is given. */
    private String issuer;
    /** The audience every token must name ({@code aud}): this API. Required unless a TokenVerifier bean is given. */
    private String audience;
    /** The identity provider's JWKS URL (HTTPS; plain HTTP only to a loopback address). */
    private URI jwksUri;
    /**
     * Whether the JWKS URL may be plain HTTP when its host is a loopback address: for tests against a local identity
     * provider only.
     */
    private boolean jwksPlainHttpOnLoopback;
    /** Whether tokens must show a second factor ({@code amr} or {@code acr}). */
    private boolean requireMfa = true;
    /** The longest lifetime a token may claim. */
    private Duration maxLifetime = Duration.ofMinutes(15);

    /**
     * The issuer every token must name ({@code iss}).
     *
     * @return the issuer, or null if unset (a {@code TokenVerifier} bean must then be given)
     */
    public String getIssuer() {
      return issuer;
    }

    /**
     * Sets the issuer every token must name.
     *
     * @param issuer the expected {@code iss} claim
     */
    public void setIssuer(String issuer) {
      this.issuer = issuer;
    }

    /**
     * The audience every token must name ({@code aud}): this API.
     *
     * @return the audience, or null if unset (a {@code TokenVerifier} bean must then be given)
     */
    public String getAudience() {
      return audience;
    }

    /**
     * Sets the audience every token must name.
     *
     * @param audience the expected {@code aud} value, which names this API
     */
    public void setAudience(String audience) {
      this.audience = audience;
    }

    /**
     * Where the identity provider publishes the keys that sign its tokens.
     *
     * @return the JWKS URL, or null if unset (a {@code TokenVerifier} bean must then be given)
     */
    public URI getJwksUri() {
      return jwksUri;
    }

    /**
     * Sets where the identity provider publishes the keys that sign its tokens.
     *
     * @param jwksUri the JWKS URL: HTTPS, or plain HTTP to a loopback address only when {@link
     *     #setJwksPlainHttpOnLoopback allowed}
     */
    public void setJwksUri(URI jwksUri) {
      this.jwksUri = jwksUri;
    }

    /**
     * Whether the JWKS URL may be plain HTTP when its host is a loopback address.
     *
     * @return false unless set
     */
    public boolean isJwksPlainHttpOnLoopback() {
      return jwksPlainHttpOnLoopback;
    }

    /**
     * Sets whether the JWKS URL may be plain HTTP when its host is a loopback address.
     *
     * @param jwksPlainHttpOnLoopback true only for tests against a local identity provider
     */
    public void setJwksPlainHttpOnLoopback(boolean jwksPlainHttpOnLoopback) {
      this.jwksPlainHttpOnLoopback = jwksPlainHttpOnLoopback;
    }

    /**
     * Whether tokens must show a second factor ({@code amr} or {@code acr}).
     *
     * @return true unless set
     */
    public boolean isRequireMfa() {
      return requireMfa;
    }

    /**
     * Sets whether tokens must show a second factor ({@code amr} or {@code acr}).
     *
     * @param requireMfa false to accept tokens of a single factor
     */
    public void setRequireMfa(boolean requireMfa) {
      this.requireMfa = requireMfa;
    }

    /**
     * The longest lifetime ({@code exp - iat}) a token may claim.
     *
     * @return 15 minutes unless set
     */
    public Duration getMaxLifetime() {
      return maxLifetime;
    }

    /**
     * Sets the longest lifetime ({@code exp - iat}) a token may claim; a token that claims more is refused.
     *
     * @param maxLifetime between 1 minute and 1 day, else the start-up fails
     */
    public void setMaxLifetime(Duration maxLifetime) {
      this.maxLifetime = maxLifetime;
    }
  }

  /** Automatic logoff. */
  public static class Session {

    /** The defaults, which Spring Boot then binds. */
    public Session() {}
    /** A session ends after this long without a request. */
    private Duration idleTimeout = Duration.ofMinutes(15);
    /** A session ends this long after it began, however busy. */
    private Duration absoluteTimeout = Duration.ofHours(12);
    /** The most sessions and revocations kept in memory (without a shared state store). */
    private int maxSessions = 100_000;

    /**
     * How long a session may go without a request before it ends.
     *
     * @return 15 minutes unless set
     */
    public Duration getIdleTimeout() {
      return idleTimeout;
    }

    /**
     * Sets how long a session may go without a request before it ends.
     *
     * @param idleTimeout the longest pause between two requests of one session
     */
    public void setIdleTimeout(Duration idleTimeout) {
      this.idleTimeout = idleTimeout;
    }

    /**
     * How long after it began a session ends, however busy.
     *
     * @return 12 hours unless set
     */
    public Duration getAbsoluteTimeout() {
      return absoluteTimeout;
    }

    /**
     * Sets how long after it began a session ends, however busy.
     *
     * @param absoluteTimeout the longest a session may last
     */
    public void setAbsoluteTimeout(Duration absoluteTimeout) {
      this.absoluteTimeout = absoluteTimeout;
    }

    /**
     * The most sessions, and the most revocations, kept in memory; when that many are still needed, new ones are
     * refused rather than one of them forgotten.
     *
     * @return 100,000 unless set; unused when sessions and revocations are in a shared state store
     */
    public int getMaxSessions() {
      return maxSessions;
    }

    /**
     * Sets the most sessions, and the most revocations, kept in memory.
     *
     * @param maxSessions the capacity of each in-memory store
     */
    public void setMaxSessions(int maxSessions) {
      this.maxSessions = maxSessions;
    }
  }

  /** Where keys live. */
  public static class Keys {

    /** The defaults, which Spring Boot then binds. */
    public Keys() {}
    /** The directory of the keysets the library creates (audit checkpoint and sealing keys), each sealed. */
    private Path directory;
    /**
     * A file holding the master key that seals the keysets ({@code safeguards keys generate --new-master-key-file}
     * creates one).
     */
    private Path masterKeyFile;
    /** The environment variable holding the master key, instead of a file. */
    private String masterKeyEnv;

    /**
     * The directory of the keysets the library creates (the audit log's checkpoint and sealing keys), each sealed under
     * the master key.
     *
     * @return the directory, or null if unset (required for the audit log the starter configures)
     */
    public Path getDirectory() {
      return directory;
    }

    /**
     * Sets the directory of the keysets the library creates.
     *
     * @param directory the directory, created if missing; the missing keysets are created in it on the first start
     */
    public void setDirectory(Path directory) {
      this.directory = directory;
    }

    /**
     * The file holding the master key that seals the keysets.
     *
     * @return the file, or null if unset
     */
    public Path getMasterKeyFile() {
      return masterKeyFile;
    }

    /**
     * Sets the file holding the master key that seals the keysets.
     *
     * @param masterKeyFile the master key file; set it or the environment variable, not both
     */
    public void setMasterKeyFile(Path masterKeyFile) {
      this.masterKeyFile = masterKeyFile;
    }

    /**
     * The environment variable holding the master key, instead of a file.
     *
     * @return the variable's name, or null if unset
     */
    public String getMasterKeyEnv() {
      return masterKeyEnv;
    }

    /**
     * Sets the environment variable holding the master key, instead of a file.
     *
     * @param masterKeyEnv the variable's name; set it or the file, not both
     */
    public void setMasterKeyEnv(String masterKeyEnv) {
      this.masterKeyEnv = masterKeyEnv;
    }
  }

  /** The audit log. */
  public static class Audit {

    /** The defaults, which Spring Boot then binds. */
    public Audit() {}
    /** The directory of the tamper-evident audit log. Required unless an AuditSink bean is given. */
    private Path directory;
    /** The log's origin: its name in its signed checkpoints, e.g. api.example.com/audit. */
    private String origin;
    /** A checkpoint is signed at least this often while events arrive (and on close). */
    private Duration checkpointInterval = Duration.ofSeconds(10);
    /** Whether the identifying members of events (who, which record, from where) are stored sealed. */
    private boolean sealIdentities = true;
    /** Directories (meant for other mounts) that keep a copy of every checkpoint, off the log's own disk. */
    private List<Path> anchorDirectories = new ArrayList<>();

    /**
     * The directory of the tamper-evident audit log.
     *
     * @return the directory, or null if unset (an {@code AuditSink} bean, or the PostgreSQL audit log, must then be
     *     given)
     */
    public Path getDirectory() {
      return directory;
    }

    /**
     * Sets the directory of the tamper-evident audit log.
     *
     * @param directory where the log's segments and checkpoints are written
     */
    public void setDirectory(Path directory) {
      this.directory = directory;
    }

    /**
     * The log's name in its signed checkpoints, e.g. api.example.com/audit.
     *
     * @return the origin, or null if unset (a new file log then takes {@code safeguards-audit/<log id>}; the PostgreSQL
     *     log requires one)
     */
    public String getOrigin() {
      return origin;
    }

    /**
     * Sets the log's name in its signed checkpoints; an existing file log refuses to open under another.
     *
     * @param origin a schema-less URL such as {@code api.example.com/audit}
     */
    public void setOrigin(String origin) {
      this.origin = origin;
    }

    /**
     * How often, at least, a checkpoint is signed while events arrive; one is also signed on close.
     *
     * @return 10 seconds unless set
     */
    public Duration getCheckpointInterval() {
      return checkpointInterval;
    }

    /**
     * Sets how often, at least, a checkpoint is signed while events arrive.
     *
     * @param checkpointInterval the longest time between two checkpoints while events arrive
     */
    public void setCheckpointInterval(Duration checkpointInterval) {
      this.checkpointInterval = checkpointInterval;
    }

    /**
     * Whether the identifying members of events (who, which record, from where) are stored sealed.
     *
     * @return true unless set
     */
    public boolean isSealIdentities() {
      return sealIdentities;
    }

    /**
     * Sets whether the identifying members of events (who, which record, from where) are stored sealed.
     *
     * @param sealIdentities false to store them in the clear
     */
    public void setSealIdentities(boolean sealIdentities) {
      this.sealIdentities = sealIdentities;
    }

    /**
     * The directories that keep a copy of every checkpoint, off the log's own disk.
     *
     * @return the directories; none unless set
     */
    public List<Path> getAnchorDirectories() {
      return anchorDirectories;
    }

    /**
     * Sets the directories that keep a copy of every checkpoint, off the log's own disk.
     *
     * @param anchorDirectories directories on other mounts than the log's
     */
    public void setAnchorDirectories(List<Path> anchorDirectories) {
      this.anchorDirectories = anchorDirectories;
    }
  }

  /** Transport security. */
  public static class Transport {

    /** The defaults, which Spring Boot then binds. */
    public Transport() {}
    /** The proxies (CIDR ranges) whose forwarding headers decide the scheme and client address; none by default. */
    private List<String> trustedProxies = new ArrayList<>();
    /** The HSTS max-age sent on every HTTPS answer; at least a year unless weakened in code. */
    private Duration hstsMaxAge = Duration.ofDays(365);
    /** Whether HSTS covers subdomains. */
    private boolean hstsIncludeSubdomains = true;

    /**
     * The proxies whose forwarding headers decide the scheme and client address.
     *
     * @return the proxies' CIDR ranges; none unless set, so that forwarding headers are ignored
     */
    public List<String> getTrustedProxies() {
      return trustedProxies;
    }

    /**
     * Sets the proxies whose forwarding headers decide the scheme and client address.
     *
     * @param trustedProxies the proxies' CIDR ranges
     */
    public void setTrustedProxies(List<String> trustedProxies) {
      this.trustedProxies = trustedProxies;
    }

    /**
     * The HSTS max-age sent on every HTTPS answer.
     *
     * @return one year unless set
     */
    public Duration getHstsMaxAge() {
      return hstsMaxAge;
    }

    /**
     * Sets the HSTS max-age sent on every HTTPS answer.
     *
     * @param hstsMaxAge at least one year, else the start-up fails (a {@code TransportPolicy} bean can insist on less)
     */
    public void setHstsMaxAge(Duration hstsMaxAge) {
      this.hstsMaxAge = hstsMaxAge;
    }

    /**
     * Whether HSTS covers subdomains.
     *
     * @return true unless set
     */
    public boolean isHstsIncludeSubdomains() {
      return hstsIncludeSubdomains;
    }

    /**
     * Sets whether HSTS covers subdomains.
     *
     * @param hstsIncludeSubdomains false to leave subdomains out
     */
    public void setHstsIncludeSubdomains(boolean hstsIncludeSubdomains) {
      this.hstsIncludeSubdomains = hstsIncludeSubdomains;
    }
  }

  /** Redis state. */
  public static class Redis {

    /** The defaults, which Spring Boot then binds. */
    public Redis() {}
    /**
     * The Redis server: redis://[:password@]host:port, rediss:// for TLS, redis-sentinel://...#primary; sessions and
     * revocations are then shared by every replica.
     */
    private String uri;
    /** The prefix of every key, so that applications can share a server. */
    private String keyPrefix = "safeguards";

    /**
     * The Redis server that shares sessions and revocations among replicas.
     *
     * @return the server's URI, or null if unset (sessions and revocations then stay in memory)
     */
    public String getUri() {
      return uri;
    }

    /**
     * Sets the Redis server that shares sessions and revocations among replicas.
     *
     * @param uri {@code redis://[:password@]host:port}, {@code rediss://} for TLS, or {@code
     *     redis-sentinel://...#primary}
     */
    public void setUri(String uri) {
      this.uri = uri;
    }

    /**
     * The prefix of every key the library writes, so that applications can share a server.
     *
     * @return {@code safeguards} unless set
     */
    public String getKeyPrefix() {
      return keyPrefix;
    }

    /**
     * Sets the prefix of every key the library writes.
     *
     * @param keyPrefix a prefix no other application on the server uses
     */
    public void setKeyPrefix(String keyPrefix) {
      this.keyPrefix = keyPrefix;
    }
  }

  /** The PostgreSQL audit log. */
  public static class Postgresql {

    /** The defaults, which Spring Boot then binds. */
    public Postgresql() {}
    /**
     * The database of the audit log (jdbc:postgresql://host:5432/db); every replica appends to one log there. Set it,
     * or set use-data-source to use the application's DataSource bean.
     */
    private String url;
    /** The user the audit log connects as (with url). */
    private String username;
    /** That user's password (with url); better from the environment: SAFEGUARDS_POSTGRESQL_PASSWORD. */
    private String password;
    /** Whether the audit log uses the application's DataSource bean instead of a pool of its own. */
    private boolean useDataSource;
    /** The schema of the library's tables. */
    private String schema = "safeguards";
    /** Whether the library creates and migrates its schema at start-up (needs a role that may). */
    private boolean migrate = true;
    /** This replica's name, kept beside each record it writes; default the process id and host name. */
    private String replica;

    /**
     * The database of the audit log, which every replica appends to.
     *
     * @return the JDBC URL, or null if unset
     */
    public String getUrl() {
      return url;
    }

    /**
     * Sets the database of the audit log, which every replica appends to.
     *
     * @param url a JDBC URL such as {@code jdbc:postgresql://host:5432/db}
     */
    public void setUrl(String url) {
      this.url = url;
    }

    /**
     * The user the audit log connects as, with the URL.
     *
     * @return the user name, or null if unset
     */
    public String getUsername() {
      return username;
    }

    /**
     * Sets the user the audit log connects as, with the URL.
     *
     * @param username the database user
     */
    public void setUsername(String username) {
      this.username = username;
    }

    /**
     * The password of the user the audit log connects as.
     *
     * @return the password, or null if unset
     */
    public String getPassword() {
      return password;
    }

    /**
     * Sets the password of the user the audit log connects as; better given by the environment ({@code
     * SAFEGUARDS_POSTGRESQL_PASSWORD}) than in a file.
     *
     * @param password the database user's password
     */
    public void setPassword(String password) {
      this.password = password;
    }

    /**
     * Whether the audit log uses the application's {@code DataSource} bean instead of connections of its own from the
     * URL.
     *
     * @return false unless set
     */
    public boolean isUseDataSource() {
      return useDataSource;
    }

    /**
     * Sets whether the audit log uses the application's {@code DataSource} bean instead of connections of its own from
     * the URL.
     *
     * @param useDataSource true to use the {@code DataSource} bean; the start-up fails if there is none
     */
    public void setUseDataSource(boolean useDataSource) {
      this.useDataSource = useDataSource;
    }

    /**
     * The schema of the library's tables.
     *
     * @return {@code safeguards} unless set
     */
    public String getSchema() {
      return schema;
    }

    /**
     * Sets the schema of the library's tables.
     *
     * @param schema the schema's name
     */
    public void setSchema(String schema) {
      this.schema = schema;
    }

    /**
     * Whether the library creates and migrates its schema at start-up.
     *
     * @return true unless set
     */
    public boolean isMigrate() {
      return migrate;
    }

    /**
     * Sets whether the library creates and migrates its schema at start-up.
     *
     * @param migrate false when the schema is migrated otherwise, or the application's role may not
     */
    public void setMigrate(boolean migrate) {
      this.migrate = migrate;
    }

    /**
     * This replica's name, kept beside each record it writes.
     *
     * @return the name, or null if unset (the process id and host name are then used)
     */
    public String getReplica() {
      return replica;
    }

    /**
     * Sets this replica's name, kept beside each record it writes.
     *
     * @param replica a name that tells this replica from the others
     */
    public void setReplica(String replica) {
      this.replica = replica;
    }
  }

  /** Actuator endpoints on the application's port (a management port of their own is not behind the gate). */
  public static class Actuator {

    /** The defaults, which Spring Boot then binds. */
    public Actuator() {}
    /**
     * The endpoints anyone may read over HTTPS, audited, such as health for load balancers; every other endpoint
     * needs the permission actuator:read (actuator:write to write), granted to a role in safeguards.roles.
     */
    private List<String> publicEndpoints = new ArrayList<>(List.of("health"));

    /**
     * The actuator endpoints anyone may read, still over HTTPS and audited; every other endpoint needs the permission
     * {@code actuator:read} ({@code actuator:write} to write).
     *
     * @return the endpoints' ids; {@code health} unless set
     */
    public List<String> getPublicEndpoints() {
      return publicEndpoints;
    }

    /**
     * Sets the actuator endpoints anyone may read, still over HTTPS and audited.
     *
     * @param publicEndpoints the endpoints' ids, such as {@code health} for load balancers' probes
     */
    public void setPublicEndpoints(List<String> publicEndpoints) {
      this.publicEndpoints = publicEndpoints;
    }
  }
}
