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

  public Token getToken() {
    return token;
  }

  public Session getSession() {
    return session;
  }

  public Keys getKeys() {
    return keys;
  }

  public Audit getAudit() {
    return audit;
  }

  public Transport getTransport() {
    return transport;
  }

  public Redis getRedis() {
    return redis;
  }

  public Postgresql getPostgresql() {
    return postgresql;
  }

  public Actuator getActuator() {
    return actuator;
  }

  public Map<String, List<String>> getRoles() {
    return roles;
  }

  public void setRoles(Map<String, List<String>> roles) {
    this.roles = roles;
  }

  public Unannotated getUnannotated() {
    return unannotated;
  }

  public void setUnannotated(Unannotated unannotated) {
    this.unannotated = unannotated;
  }

  public int getFilterOrder() {
    return filterOrder;
  }

  public void setFilterOrder(int filterOrder) {
    this.filterOrder = filterOrder;
  }

  /** Access tokens (164.312(d)). */
  public static class Token {
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

    public String getIssuer() {
      return issuer;
    }

    public void setIssuer(String issuer) {
      this.issuer = issuer;
    }

    public String getAudience() {
      return audience;
    }

    public void setAudience(String audience) {
      this.audience = audience;
    }

    public URI getJwksUri() {
      return jwksUri;
    }

    public void setJwksUri(URI jwksUri) {
      this.jwksUri = jwksUri;
    }

    public boolean isJwksPlainHttpOnLoopback() {
      return jwksPlainHttpOnLoopback;
    }

    public void setJwksPlainHttpOnLoopback(boolean jwksPlainHttpOnLoopback) {
      this.jwksPlainHttpOnLoopback = jwksPlainHttpOnLoopback;
    }

    public boolean isRequireMfa() {
      return requireMfa;
    }

    public void setRequireMfa(boolean requireMfa) {
      this.requireMfa = requireMfa;
    }

    public Duration getMaxLifetime() {
      return maxLifetime;
    }

    public void setMaxLifetime(Duration maxLifetime) {
      this.maxLifetime = maxLifetime;
    }
  }

  /** Automatic logoff. */
  public static class Session {
    /** A session ends after this long without a request. */
    private Duration idleTimeout = Duration.ofMinutes(15);
    /** A session ends this long after it began, however busy. */
    private Duration absoluteTimeout = Duration.ofHours(12);
    /** The most sessions and revocations kept in memory (without a shared state store). */
    private int maxSessions = 100_000;

    public Duration getIdleTimeout() {
      return idleTimeout;
    }

    public void setIdleTimeout(Duration idleTimeout) {
      this.idleTimeout = idleTimeout;
    }

    public Duration getAbsoluteTimeout() {
      return absoluteTimeout;
    }

    public void setAbsoluteTimeout(Duration absoluteTimeout) {
      this.absoluteTimeout = absoluteTimeout;
    }

    public int getMaxSessions() {
      return maxSessions;
    }

    public void setMaxSessions(int maxSessions) {
      this.maxSessions = maxSessions;
    }
  }

  /** Where keys live. */
  public static class Keys {
    /** The directory of the keysets the library creates (audit checkpoint and sealing keys), each sealed. */
    private Path directory;
    /**
     * A file holding the master key that seals the keysets ({@code safeguards keys generate --new-master-key-file}
     * creates one).
     */
    private Path masterKeyFile;
    /** The environment variable holding the master key, instead of a file. */
    private String masterKeyEnv;

    public Path getDirectory() {
      return directory;
    }

    public void setDirectory(Path directory) {
      this.directory = directory;
    }

    public Path getMasterKeyFile() {
      return masterKeyFile;
    }

    public void setMasterKeyFile(Path masterKeyFile) {
      this.masterKeyFile = masterKeyFile;
    }

    public String getMasterKeyEnv() {
      return masterKeyEnv;
    }

    public void setMasterKeyEnv(String masterKeyEnv) {
      this.masterKeyEnv = masterKeyEnv;
    }
  }

  /** The audit log. */
  public static class Audit {
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

    public Path getDirectory() {
      return directory;
    }

    public void setDirectory(Path directory) {
      this.directory = directory;
    }

    public String getOrigin() {
      return origin;
    }

    public void setOrigin(String origin) {
      this.origin = origin;
    }

    public Duration getCheckpointInterval() {
      return checkpointInterval;
    }

    public void setCheckpointInterval(Duration checkpointInterval) {
      this.checkpointInterval = checkpointInterval;
    }

    public boolean isSealIdentities() {
      return sealIdentities;
    }

    public void setSealIdentities(boolean sealIdentities) {
      this.sealIdentities = sealIdentities;
    }

    public List<Path> getAnchorDirectories() {
      return anchorDirectories;
    }

    public void setAnchorDirectories(List<Path> anchorDirectories) {
      this.anchorDirectories = anchorDirectories;
    }
  }

  /** Transport security. */
  public static class Transport {
    /** The proxies (CIDR ranges) whose forwarding headers decide the scheme and client address; none by default. */
    private List<String> trustedProxies = new ArrayList<>();
    /** The HSTS max-age sent on every HTTPS answer; at least a year unless weakened in code. */
    private Duration hstsMaxAge = Duration.ofDays(365);
    /** Whether HSTS covers subdomains. */
    private boolean hstsIncludeSubdomains = true;

    public List<String> getTrustedProxies() {
      return trustedProxies;
    }

    public void setTrustedProxies(List<String> trustedProxies) {
      this.trustedProxies = trustedProxies;
    }

    public Duration getHstsMaxAge() {
      return hstsMaxAge;
    }

    public void setHstsMaxAge(Duration hstsMaxAge) {
      this.hstsMaxAge = hstsMaxAge;
    }

    public boolean isHstsIncludeSubdomains() {
      return hstsIncludeSubdomains;
    }

    public void setHstsIncludeSubdomains(boolean hstsIncludeSubdomains) {
      this.hstsIncludeSubdomains = hstsIncludeSubdomains;
    }
  }

  /** Redis state. */
  public static class Redis {
    /**
     * The Redis server: redis://[:password@]host:port, rediss:// for TLS, redis-sentinel://...#primary; sessions and
     * revocations are then shared by every replica.
     */
    private String uri;
    /** The prefix of every key, so that applications can share a server. */
    private String keyPrefix = "safeguards";

    public String getUri() {
      return uri;
    }

    public void setUri(String uri) {
      this.uri = uri;
    }

    public String getKeyPrefix() {
      return keyPrefix;
    }

    public void setKeyPrefix(String keyPrefix) {
      this.keyPrefix = keyPrefix;
    }
  }

  /** The PostgreSQL audit log. */
  public static class Postgresql {
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

    public String getUrl() {
      return url;
    }

    public void setUrl(String url) {
      this.url = url;
    }

    public String getUsername() {
      return username;
    }

    public void setUsername(String username) {
      this.username = username;
    }

    public String getPassword() {
      return password;
    }

    public void setPassword(String password) {
      this.password = password;
    }

    public boolean isUseDataSource() {
      return useDataSource;
    }

    public void setUseDataSource(boolean useDataSource) {
      this.useDataSource = useDataSource;
    }

    public String getSchema() {
      return schema;
    }

    public void setSchema(String schema) {
      this.schema = schema;
    }

    public boolean isMigrate() {
      return migrate;
    }

    public void setMigrate(boolean migrate) {
      this.migrate = migrate;
    }

    public String getReplica() {
      return replica;
    }

    public void setReplica(String replica) {
      this.replica = replica;
    }
  }

  /** Actuator endpoints on the application's port (a management port of their own is not behind the gate). */
  public static class Actuator {
    /**
     * The endpoints anyone may read over HTTPS, audited, such as health for load balancers; every other endpoint
     * needs the permission actuator:read (actuator:write to write), granted to a role in safeguards.roles.
     */
    private List<String> publicEndpoints = new ArrayList<>(List.of("health"));

    public List<String> getPublicEndpoints() {
      return publicEndpoints;
    }

    public void setPublicEndpoints(List<String> publicEndpoints) {
      this.publicEndpoints = publicEndpoints;
    }
  }
}
