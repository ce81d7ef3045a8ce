package dev.safeguards.spring.boot;

import dev.safeguards.Safeguards;
import dev.safeguards.access.AccessPolicy;
import dev.safeguards.alert.AlertSink;
import dev.safeguards.audit.AuditException;
import dev.safeguards.audit.AuditSink;
import dev.safeguards.audit.DirectoryAnchor;
import dev.safeguards.audit.TamperEvidentAuditLog;
import dev.safeguards.authn.JwkSource;
import dev.safeguards.authn.RemoteJwkSource;
import dev.safeguards.authn.RevocationList;
import dev.safeguards.authn.TokenPolicy;
import dev.safeguards.authn.TokenVerifier;
import dev.safeguards.crypto.KeyManagementException;
import dev.safeguards.crypto.ManagedKeyset;
import dev.safeguards.crypto.SigningKeyset;
import dev.safeguards.gate.Routes;
import dev.safeguards.session.SessionPolicy;
import dev.safeguards.session.SessionStore;
import dev.safeguards.session.SessionTracker;
import dev.safeguards.transport.TransportPolicy;
import dev.safeguards.transport.TrustedProxies;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Assembles {@link Safeguards} from {@link SafeguardsProperties} (45 CFR 164.312). Every part is a bean of its own type
 * created only when the application declares none ({@code @ConditionalOnMissingBean}): a {@code TokenVerifier}, {@code
 * SessionStore}, {@code RevocationList}, {@code SessionTracker}, {@code AccessPolicy}, {@code AuditSink}, {@code
 * TransportPolicy}, or the whole {@code Safeguards}. A {@link Clock} bean, if there is one, is the time they all use;
 * {@link SafeguardsBuilderCustomizer} beans add what the properties do not say (such as compliance evidence).
 *
 * <p>What the properties cannot say is refused at start-up with a message naming the property: no issuer, audience or
 * JWKS URI without a {@code TokenVerifier} bean; no audit directory without an {@code AuditSink} bean; an audit log
 * without a key directory and master key. Nothing falls back to an open or unaudited default.
 */
@AutoConfiguration
@EnableConfigurationProperties(SafeguardsProperties.class)
public class SafeguardsAutoConfiguration {

  /** Created by Spring Boot; applications configure it through {@code safeguards.*} properties and beans. */
  public SafeguardsAutoConfiguration() {}

  /**
   * The gate filter's default order: right after Boot's character-encoding and observation filters, before its form
   * content filter (which would read a PUT's body first) and Spring Security's filter chain ({@code -100}).
   */
  public static final int FILTER_ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

  /**
   * The parts, each unless the application declares its own; none of them when it declares a whole {@code Safeguards}
   * (whose parts it then chose itself).
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnMissingBean(Safeguards.class)
  static class Assembly {

    /** The revocation list: in memory unless the application declares a shared one (Redis, PostgreSQL). */
    @Bean
    @ConditionalOnMissingBean
    public RevocationList safeguardsRevocations(SafeguardsProperties properties, ObjectProvider<Clock> clock) {
      return RevocationList.inMemory(properties.getSession().getMaxSessions(), clock(clock));
    }

    /** The session store: in memory unless the application declares a shared one. */
    @Bean
    @ConditionalOnMissingBean
    public SessionStore safeguardsSessionStore(SafeguardsProperties properties, ObjectProvider<Clock> clock) {
      return SessionStore.inMemory(properties.getSession().getMaxSessions(), clock(clock));
    }

    /** Verifies access tokens against the identity provider's published keys ({@code safeguards.token.*}). */
    @Bean
    @ConditionalOnMissingBean
    public TokenVerifier safeguardsTokenVerifier(SafeguardsProperties properties, RevocationList revocations,
        ObjectProvider<Clock> clock) {
      SafeguardsProperties.Token t = properties.getToken();
      String issuer = required(t.getIssuer(), "safeguards.token.issuer", "TokenVerifier");
      String audience = required(t.getAudience(), "safeguards.token.audience", "TokenVerifier");
      required(t.getJwksUri(), "safeguards.token.jwks-uri", "TokenVerifier");
      RemoteJwkSource.Builder keys = JwkSource.remote(t.getJwksUri()).clock(clock(clock));
      if (t.isJwksPlainHttpOnLoopback()) {
        keys.allowPlainHttpForLoopback();
      }
      TokenPolicy.Builder policy = TokenPolicy.builder(issuer, audience, keys.build()).maxLifetime(t.getMaxLifetime())
          .revocations(revocations).clock(clock(clock));
      if (t.isRequireMfa()) {
        policy.requireMfa();
      }
      return TokenVerifier.create(policy.build());
    }

    /** Automatic logoff ({@code safeguards.session.*}). */
    @Bean
    @ConditionalOnMissingBean
    public SessionTracker safeguardsSessionTracker(SafeguardsProperties properties, SessionStore store,
        RevocationList revocations, ObjectProvider<Clock> clock) {
      SafeguardsProperties.Session s = properties.getSession();
      return SessionTracker.create(new SessionPolicy(s.getIdleTimeout(), s.getAbsoluteTimeout()), store, revocations,
          clock(clock));
    }

    /** Role-based access from {@code safeguards.roles}; deny by default. */
    @Bean
    @ConditionalOnMissingBean
    public AccessPolicy safeguardsAccessPolicy(SafeguardsProperties properties) {
      AccessPolicy.Builder policy = AccessPolicy.builder();
      properties.getRoles().forEach((role, permissions) -> policy.role(role, permissions.toArray(String[]::new)));
      return policy.build();
    }

    /** HTTPS only with HSTS; forwarding headers believed only from {@code safeguards.transport.trusted-proxies}. */
    @Bean
    @ConditionalOnMissingBean
    public TransportPolicy safeguardsTransportPolicy(SafeguardsProperties properties) {
      SafeguardsProperties.Transport t = properties.getTransport();
      TransportPolicy.Builder policy = TransportPolicy.builder()
          .trustedProxies(TrustedProxies.of(t.getTrustedProxies().toArray(String[]::new)));
      if (t.getHstsMaxAge().compareTo(TransportPolicy.ONE_YEAR) < 0) {
        throw new IllegalStateException("safeguards.transport.hsts-max-age is under one year; declare a "
            + "TransportPolicy bean with weakHstsMaxAge to insist");
      }
      policy.hstsMaxAge(t.getHstsMaxAge());
      if (!t.isHstsIncludeSubdomains()) {
        policy.hstsWithoutSubdomains();
      }
      return policy.build();
    }

    /**
     * The audit log's keys in {@code safeguards.keys.directory} (sealed under the master key), created on the first
     * start; only when the application declares no {@code AuditSink} of its own.
     */
    @Bean
    @ConditionalOnMissingBean({AuditLogKeys.class, AuditSink.class})
    public AuditLogKeys safeguardsAuditLogKeys(SafeguardsProperties properties, ObjectProvider<Clock> clock)
        throws IOException, KeyManagementException {
      return AuditLogKeys.fromProperties(properties, clock(clock));
    }

    /**
     * The tamper-evident audit log in {@code safeguards.audit.directory}, its checkpoints signed with {@link
     * AuditLogKeys#checkpoint()}, closed (with a last checkpoint) with the context.
     */
    @Bean
    @ConditionalOnMissingBean
    public AuditSink safeguardsAuditLog(SafeguardsProperties properties, AuditLogKeys keys,
        ObjectProvider<Clock> clock) throws IOException, AuditException {
      SafeguardsProperties.Audit a = properties.getAudit();
      Path directory = required(a.getDirectory(), "safeguards.audit.directory", "AuditSink");
      SigningKeyset checkpointKeys = SigningKeyset.create(keys.checkpoint());
      TamperEvidentAuditLog.Builder log = TamperEvidentAuditLog.builder(directory, checkpointKeys).clock(clock(clock))
          .checkpointInterval(a.getCheckpointInterval());
      if (a.getOrigin() != null) {
        log.origin(a.getOrigin());
      }
      keys.sealing().ifPresent(log::sealIdentities);
      for (Path anchor : a.getAnchorDirectories()) {
        log.anchor(DirectoryAnchor.create(anchor, checkpointKeys));
      }
      return log.open();
    }

    /**
     * The whole of it; the servlet filter runs its gate. With a Micrometer {@code MeterRegistry} the gate's audit
     * events and alerts are counted on their way ({@link SafeguardsMetrics}); an {@code AlertSink} bean receives the
     * alerts (break-glass, integrity failures, anomalies); every {@link SafeguardsBuilderCustomizer} bean adds what
     * the properties do not say, last.
     */
    @Bean
    @ConditionalOnMissingBean
    public Safeguards safeguards(TokenVerifier tokens, SessionTracker sessions, AccessPolicy access, AuditSink audit,
        TransportPolicy transport, ObjectProvider<AuditLogKeys> keys, ObjectProvider<AlertSink> alerts,
        ObjectProvider<SafeguardsMetrics> metrics, ObjectProvider<SafeguardsBuilderCustomizer> customizers,
        ObjectProvider<Clock> clock) {
      SafeguardsMetrics meters = metrics.getIfAvailable();
      Safeguards.Builder builder = Safeguards.builder().tokens(tokens).sessions(sessions).access(access)
          .audit(meters == null ? audit : meters.countEvents(audit)).transport(transport)
          .routes(Routes.of()) // from the handler methods' annotations, by the web configuration
          .clock(clock(clock));
      alerts.ifAvailable(sink -> builder.alerts(meters == null ? sink : meters.countAlerts(sink)));
      keys.ifAvailable(k -> builder.inventoryKeys(k.all().toArray(ManagedKeyset[]::new)));
      customizers.orderedStream().forEach(c -> c.customize(builder));
      return builder.build();
    }
  }

  /** The application's {@code Clock} bean, or the system UTC clock. */
  static Clock clock(ObjectProvider<Clock> clock) {
    return clock.getIfAvailable(Clock::systemUTC);
  }

  private static <T> T required(T value, String property, String bean) {
    if (value == null || value instanceof String s && s.isBlank()) {
      throw new IllegalStateException(property + " is required (or declare a " + bean + " bean)");
    }
    return value;
  }
}
