package dev.safeguards.examples.clinic.spring;

import dev.safeguards.Safeguards;
import dev.safeguards.access.AccessPolicy;
import dev.safeguards.access.EmergencyAccess;
import dev.safeguards.alert.AlertSink;
import dev.safeguards.alert.AlertSinks;
import dev.safeguards.audit.AuditReview;
import dev.safeguards.audit.AuditSink;
import dev.safeguards.authn.RevocationList;
import dev.safeguards.authn.TokenVerifier;
import dev.safeguards.crypto.KeyManagementException;
import dev.safeguards.examples.clinic.domain.Alerts;
import dev.safeguards.examples.clinic.domain.ClinicEvidence;
import dev.safeguards.examples.clinic.domain.ClinicService;
import dev.safeguards.examples.clinic.domain.DataDirectory;
import dev.safeguards.examples.clinic.domain.DemoIdentityProvider;
import dev.safeguards.examples.clinic.domain.PatientStore;
import dev.safeguards.examples.clinic.domain.Roles;
import dev.safeguards.examples.clinic.domain.SealedTls;
import dev.safeguards.examples.clinic.domain.Users;
import dev.safeguards.spring.boot.AuditLogKeys;
import dev.safeguards.spring.boot.SafeguardsBuilderCustomizer;
import dev.safeguards.spring.boot.SafeguardsProperties;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What the clinic adds to the starter: the beans its {@code safeguards.*} properties cannot describe. The starter
 * still makes the rest (sessions and revocations, the tamper-evident audit log, transport, the gate, its filter and the
 * routes from the controllers' annotations); each bean here replaces or completes one of its parts:
 *
 * <ul>
 *   <li>the data directory, shared with clinic-api: its master key, keys, database, TLS key store and users;
 *   <li>{@link AuditLogKeys} from it, so that the starter's audit log signs and seals with the data directory's keys;
 *   <li>a {@link TokenVerifier} for the demo identity provider's local keys (a deployment sets {@code
 *       safeguards.token.issuer}, {@code audience} and {@code jwks-uri} instead and drops this bean);
 *   <li>an {@link AccessPolicy} with break-glass ({@link EmergencyAccess}), which role properties cannot express;
 *   <li>the {@link AlertSink}: the log, {@code clinic.alert-webhook} and every {@link AlertDestination} bean;
 *   <li>a {@link SafeguardsBuilderCustomizer} declaring encryption at rest, signed records and every key's age to the
 *       compliance report;
 *   <li>the patient store, users, audit review and the {@link ClinicService} the controllers call.
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ClinicProperties.class)
public class ClinicBeans {

  private static final Logger LOG = LoggerFactory.getLogger(ClinicBeans.class);

  /** The data directory, created on first start, with a {@code Clock} bean's time if there is one. */
  @Bean
  public DataDirectory clinicData(ClinicProperties clinic, ObjectProvider<Clock> clock)
      throws IOException, KeyManagementException {
    return DataDirectory.open(clinic.dataDir(), Optional.ofNullable(clinic.masterKeyFile()),
        clock.getIfAvailable(Clock::systemUTC));
  }

  /** The TLS key store, generated on first start and kept sealed in the data directory. */
  @Bean
  public SealedTls.Loaded clinicTls(DataDirectory data) throws IOException, GeneralSecurityException {
    return SealedTls.openOrCreate(data.tlsDirectory(), data.keyring().fieldCipher());
  }

  /** The audit log's checkpoint and sealing keys: the data directory's, as clinic-api's. */
  @Bean
  public AuditLogKeys clinicAuditLogKeys(DataDirectory data) throws KeyManagementException {
    return new AuditLogKeys(data.auditCheckpointKeyset(), Optional.of(data.auditSealing()));
  }

  /** The demo identity provider's tokens, with a second factor, not revoked. */
  @Bean
  public TokenVerifier clinicTokens(DataDirectory data, RevocationList revocations) throws KeyManagementException {
    return DemoIdentityProvider.verifier(data, revocations, data.clock());
  }

  /** Every alert: to the log, to {@code clinic.alert-webhook}, to each {@link AlertDestination}, from one queue. */
  @Bean
  public AlertSink clinicAlerts(ClinicProperties clinic, ObjectProvider<AlertDestination> destinations) {
    List<AlertSink> more = new ArrayList<>();
    if (clinic.alertWebhook() != null) {
      more.add(AlertSinks.webhook(clinic.alertWebhook(), Duration.ofSeconds(5), 3, Duration.ofSeconds(1)));
    }
    destinations.orderedStream().map(AlertDestination::sink).forEach(more::add);
    // one bounded queue for every alert: a slow webhook never holds up a request (break-glass included)
    return AlertSinks.async(Alerts.of(more), 1024);
  }

  /** Break-glass: nurses and clinicians, one patient, one hour, audited with the reason, alerted at once. */
  @Bean
  public EmergencyAccess clinicEmergencyAccess(DataDirectory data, AuditSink audit, AlertSink alerts) {
    return Roles.emergencyAccess(data.clock(), audit, alerts).build();
  }

  /** The clinic's roles (deny by default), with its emergency grants. */
  @Bean
  public AccessPolicy clinicAccessPolicy(EmergencyAccess emergency) {
    return Roles.policy(emergency);
  }

  /** What the compliance report shows beside the gate: encryption at rest, signed records, every key's age. */
  @Bean
  public SafeguardsBuilderCustomizer clinicEvidence(DataDirectory data) throws KeyManagementException {
    return ClinicEvidence.of(data)::declareTo;
  }

  /** The patients, in SQLite in the data directory; closed with the application. */
  @Bean
  public PatientStore clinicPatients(DataDirectory data) throws SQLException, KeyManagementException {
    return PatientStore.open(data);
  }

  /** The demo's user names and their user ids. */
  @Bean
  public Users clinicUsers(DataDirectory data) {
    return new Users(data.usersFile(), data.clock());
  }

  /** The audit review reads the log the starter writes, in {@code safeguards.audit.directory}. */
  @Bean
  public AuditReview clinicAuditReview(SafeguardsProperties safeguards, AuditLogKeys keys) {
    return AuditReview.of(safeguards.getAudit().getDirectory(), keys.sealing().orElseThrow());
  }

  /** What every endpoint does. */
  @Bean
  public ClinicService clinicService(PatientStore patients, EmergencyAccess emergency, AuditReview review,
      Users users, Safeguards safeguards) {
    return new ClinicService(patients, emergency, review, users, safeguards);
  }

  /** Says where the clinic listens and where its data is, once it does. */
  @Bean
  public ApplicationListener<ApplicationReadyEvent> clinicStarted(DataDirectory data, ClinicWeb.PlainHttp plain) {
    return ready -> {
      int https = ((WebServerApplicationContext) ready.getApplicationContext()).getWebServer().getPort();
      String host = ready.getApplicationContext().getEnvironment().getProperty("server.address", "127.0.0.1");
      LOG.info("listening on https://{}:{} (and refusing plain http://{}:{}); data in {}; TLS certificate {}; "
          + "audit checkpoint key {}", host, https, host, plain.port(), data.root(),
          data.tlsDirectory().resolve("server.crt"), data.auditCheckpointPublicKey());
    };
  }
}
