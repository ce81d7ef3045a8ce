package dev.safeguards.examples.clinic;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.safeguards.Safeguards;
import dev.safeguards.access.EmergencyAccess;
import dev.safeguards.alert.AlertSink;
import dev.safeguards.alert.AlertSinks;
import dev.safeguards.audit.AuditReview;
import dev.safeguards.audit.AuditSealing;
import dev.safeguards.audit.AuditSink;
import dev.safeguards.audit.CheckpointAnchor;
import dev.safeguards.audit.TamperEvidentAuditLog;
import dev.safeguards.authn.RevocationList;
import dev.safeguards.crypto.SigningKeyset;
import dev.safeguards.examples.clinic.domain.Alerts;
import dev.safeguards.examples.clinic.domain.ClinicEvidence;
import dev.safeguards.examples.clinic.domain.ClinicService;
import dev.safeguards.examples.clinic.domain.DataDirectory;
import dev.safeguards.examples.clinic.domain.DemoIdentityProvider;
import dev.safeguards.examples.clinic.domain.PatientStore;
import dev.safeguards.examples.clinic.domain.Roles;
import dev.safeguards.examples.clinic.domain.SealedTls;
import dev.safeguards.examples.clinic.domain.Users;
import dev.safeguards.examples.clinic.domain.Views;
import dev.safeguards.gate.Routes;
import dev.safeguards.jaxrs.SafeguardsFeature;
import dev.safeguards.postgresql.PostgresAuditLog;
import dev.safeguards.postgresql.PostgresAuditLogs;
import dev.safeguards.postgresql.PostgresSchema;
import dev.safeguards.postgresql.PostgresState;
import dev.safeguards.redis.RedisState;
import dev.safeguards.session.SessionPolicy;
import dev.safeguards.session.SessionStore;
import dev.safeguards.session.SessionTracker;
import dev.safeguards.transport.TlsPolicy;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.glassfish.jersey.internal.inject.AbstractBinder;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;
import org.glassfish.jersey.servlet.ServletContainer;

/**
 * The clinic API, assembled: one {@link Safeguards} with every safeguard on, registered as one JAX-RS feature, served
 * by Jetty over HTTPS (and over plain HTTP only to show that plain HTTP is refused).
 */
final class ClinicApp {

  /** The audit log's origin: its name in its checkpoints, and to anchors and witnesses. */
  static final String AUDIT_ORIGIN = "clinic.example/audit";

  /**
   * How the app is started.
   *
   * @param anchorDirectory where to keep every audit checkpoint off the host (a directory on another mount), if
   *     anywhere
   * @param witness a witness's submission URL and verifier key ({@code safeguards witness serve}), if any
   */
  record Settings(String host, int httpsPort, int httpPort, Duration idleTimeout, List<AlertSink> alerts,
      java.util.Optional<java.nio.file.Path> anchorDirectory, java.util.Optional<Witness> witness,
      java.util.Optional<Cluster> cluster) {

    /** One node: its state in memory, its patients and audit log in the data directory. */
    Settings(String host, int httpsPort, int httpPort, Duration idleTimeout, List<AlertSink> alerts,
        java.util.Optional<java.nio.file.Path> anchorDirectory, java.util.Optional<Witness> witness) {
      this(host, httpsPort, httpPort, idleTimeout, alerts, anchorDirectory, witness, java.util.Optional.empty());
    }
  }

  /**
   * One replica of a cluster: sessions, revocations and emergency grants on Redis at {@code redisUri}; patients and
   * the one audit log of every replica in the PostgreSQL database at {@code jdbcUrl}, as {@code dbUser} (who owns the
   * schema there: the demo migrates it at start); {@code replica} names this one in the audit rows.
   */
  record Cluster(String jdbcUrl, String dbUser, String dbPassword, String redisUri, String replica) {
    @Override
    public String toString() {
      return "Cluster[" + jdbcUrl + ", " + dbUser + ", " + redisUri + ", " + replica + "]"; // never the password
    }
  }

  /** A witness to send every audit checkpoint to: where it listens, and its verifier key. */
  record Witness(java.net.URI url, String verifierKey) {}

  private final Server jetty;
  private final ServerConnector secure;
  private final ServerConnector plain;
  private final List<AutoCloseable> resources;

  private ClinicApp(Server jetty, ServerConnector secure, ServerConnector plain, List<AutoCloseable> resources) {
    this.jetty = jetty;
    this.secure = secure;
    this.plain = plain;
    this.resources = resources;
  }

  static ClinicApp start(DataDirectory data, Settings settings) throws Exception {
    Clock clock = data.clock();
    List<AutoCloseable> opened = new ArrayList<>();
    // what a cluster shares, closed last (after the audit log's last checkpoint), and on a failed start too
    List<AutoCloseable> shared = new ArrayList<>();
    try {
      SigningKeyset checkpointSigner = data.auditCheckpointKeys();
      AuditSealing sealing = data.auditSealing();
      List<CheckpointAnchor> anchors = new ArrayList<>();
      if (settings.anchorDirectory().isPresent()) {
        anchors.add(dev.safeguards.audit.DirectoryAnchor.create(settings.anchorDirectory().get(),
            checkpointSigner));
      }
      if (settings.witness().isPresent()) {
        Witness w = settings.witness().get();
        anchors.add(dev.safeguards.audit.WitnessAnchor.create(w.url(), w.verifierKey(),
            java.net.http.HttpClient.newHttpClient(), Duration.ofSeconds(5)));
      }
      RedisState redis = null;
      HikariDataSource database = null;
      AuditSink audit;
      AuditReview review;
      PatientStore store;
      if (settings.cluster().isPresent()) {
        Cluster cluster = settings.cluster().get();
        redis = RedisState.builder(cluster.redisUri()).keyPrefix("clinic-api").clock(clock).connect();
        shared.add(redis);
        HikariConfig pool = new HikariConfig();
        pool.setPoolName("clinic-api");
        pool.setJdbcUrl(cluster.jdbcUrl());
        pool.setUsername(cluster.dbUser());
        pool.setPassword(cluster.dbPassword());
        pool.setMaximumPoolSize(8);
        pool.setConnectionTimeout(2000);
        database = new HikariDataSource(pool);
        shared.add(0, database);
        PostgresSchema.migrate(database, "safeguards");
        PostgresState postgres = PostgresState.builder(database).clock(clock).connect();
        PostgresAuditLog.Builder auditLog = PostgresAuditLog.builder(postgres, AUDIT_ORIGIN, checkpointSigner)
            .clock(clock).checkpointInterval(Duration.ofSeconds(10)).sealIdentities(sealing)
            .replica(cluster.replica());
        anchors.forEach(auditLog::anchor);
        audit = auditLog.open();
        review = PostgresAuditLogs.review(database, "safeguards", sealing);
        store = PatientStore.open(database, data);
      } else {
        TamperEvidentAuditLog.Builder auditLog = TamperEvidentAuditLog.builder(data.auditDirectory(),
            checkpointSigner).clock(clock).origin(AUDIT_ORIGIN).checkpointInterval(Duration.ofSeconds(10))
            .sealIdentities(sealing);
        anchors.forEach(auditLog::anchor);
        audit = auditLog.open();
        review = AuditReview.of(data.auditDirectory(), sealing);
        store = PatientStore.open(data);
      }
      opened.add(audit::close);
      opened.add(store);

      // One bounded queue for every alert: a slow webhook never holds up a request (break-glass included).
      AlertSink alerts = AlertSinks.async(Alerts.of(settings.alerts()), 1024);
      EmergencyAccess.Builder emergencyAccess = Roles.emergencyAccess(clock, audit, alerts);
      if (redis != null) {
        emergencyAccess.store(redis.emergencyGrants());
      }
      EmergencyAccess emergency = emergencyAccess.build();
      RevocationList revocations = redis != null ? redis.revocations() : RevocationList.inMemory(100_000, clock);
      Safeguards.Builder assembly = Safeguards.builder()
          .tokens(DemoIdentityProvider.verifier(data, revocations, clock))
          .sessions(SessionTracker.create(new SessionPolicy(settings.idleTimeout(), Duration.ofHours(8)),
              redis != null ? redis.sessions() : SessionStore.inMemory(100_000, clock), revocations, clock))
          .access(Roles.policy(emergency))
          .routes(Routes.of()) // the JAX-RS feature derives the routes from the resource annotations
          .audit(audit)
          .alerts(alerts)
          .clock(clock);
      // What the compliance report shows beside the gate: encryption at rest, signed records, every key's age.
      Safeguards safeguards = ClinicEvidence.of(data).declareTo(assembly).build();

      ResourceConfig app = new ResourceConfig()
          .property(ServerProperties.WADL_FEATURE_DISABLE, true)
          .register(PatientResource.class)
          .register(ClinicResource.class)
          .register(new AbstractBinder() { // what the resources are given (registering instances makes Jersey warn)
            @Override
            protected void configure() {
              bind(new ClinicService(store, emergency, review, new Users(data.usersFile(), clock), safeguards))
                  .to(ClinicService.class);
            }
          })
          .register(SafeguardsFeature.builder(safeguards).servletConnections()
              .minimumNecessary(Views.MINIMUM_NECESSARY).build());

      SealedTls.Loaded tls = SealedTls.openOrCreate(data.tlsDirectory(), data.keyring().fieldCipher());
      Server jetty = new Server();
      HttpConfiguration http = new HttpConfiguration();
      http.setSendServerVersion(false);
      ServerConnector plain = new ServerConnector(jetty, new HttpConnectionFactory(http));
      plain.setHost(settings.host());
      plain.setPort(settings.httpPort());
      HttpConfiguration https = new HttpConfiguration(http);
      https.addCustomizer(new SecureRequestCustomizer());
      SslContextFactory.Server ssl = new SslContextFactory.Server();
      ssl.setKeyStore(tls.keyStore());
      ssl.setKeyStorePassword(new String(tls.password()));
      ssl.setIncludeProtocols(TlsPolicy.protocols().toArray(String[]::new));
      ssl.setIncludeCipherSuites(TlsPolicy.cipherSuites().toArray(String[]::new));
      ServerConnector secure = new ServerConnector(jetty, new SslConnectionFactory(ssl, "http/1.1"),
          new HttpConnectionFactory(https));
      secure.setHost(settings.host());
      secure.setPort(settings.httpsPort());
      jetty.addConnector(secure);
      jetty.addConnector(plain);
      ServletContextHandler context = new ServletContextHandler();
      context.setContextPath("/");
      context.addServlet(new ServletHolder(new ServletContainer(app)), "/*");
      jetty.setHandler(context);
      jetty.setStopAtShutdown(false);
      jetty.start();
      opened.add(0, () -> safeguards.gate().flush()); // summaries of refused floods, before the audit log closes
      opened.add(0, jetty::stop);
      opened.addAll(shared);
      shared.clear(); // closed with the rest from here on
      return new ClinicApp(jetty, secure, plain, opened);
    } catch (Exception | Error e) {
      closeAll(opened, e);
      closeAll(shared, e);
      throw e;
    }
  }

  int httpsPort() {
    return secure.getLocalPort();
  }

  int httpPort() {
    return plain.getLocalPort();
  }

  void join() throws InterruptedException {
    jetty.join();
  }

  /** Stops the server, then closes the database and the audit log (which signs a last checkpoint). */
  void stop() throws Exception {
    Exception failure = closeAll(resources, null);
    if (failure != null) {
      throw failure;
    }
  }

  private static <T extends Throwable> Exception closeAll(List<AutoCloseable> resources, T primary) {
    Exception first = null;
    for (AutoCloseable r : resources) {
      try {
        r.close();
      } catch (Exception e) {
        if (primary != null) {
          primary.addSuppressed(e);
        } else if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    return first;
  }
}
