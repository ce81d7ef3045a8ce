package dev.safeguards.spring.boot;

import dev.safeguards.audit.AuditException;
import dev.safeguards.audit.AuditSink;
import dev.safeguards.audit.DirectoryAnchor;
import dev.safeguards.crypto.KeyManagementException;
import dev.safeguards.crypto.SigningKeyset;
import dev.safeguards.postgresql.PostgresAuditLog;
import dev.safeguards.postgresql.PostgresSchema;
import dev.safeguards.postgresql.PostgresState;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * With {@code safeguards.postgresql.url} (or {@code use-data-source}) and the safeguards-postgresql module: the audit
 * log in PostgreSQL, one Merkle-tree log for every replica (docs/cluster.md), its checkpoints signed with {@link
 * AuditLogKeys}. The schema is created and migrated at start-up unless {@code safeguards.postgresql.migrate=false}.
 * Fails closed while the database is unreachable (503, audited, retried unattended).
 */
@AutoConfiguration(before = SafeguardsAutoConfiguration.class,
    afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnClass(PostgresAuditLog.class)
@Conditional(SafeguardsPostgresAutoConfiguration.Configured.class)
public class SafeguardsPostgresAutoConfiguration {

  /** Created by Spring Boot when the PostgreSQL audit log is configured. */
  public SafeguardsPostgresAutoConfiguration() {}

  /** {@code safeguards.postgresql.url} or {@code safeguards.postgresql.use-data-source=true}. */
  static final class Configured extends AnyNestedCondition {
    Configured() {
      super(ConfigurationPhase.REGISTER_BEAN);
    }

    @ConditionalOnProperty("safeguards.postgresql.url")
    static final class Url {}

    @ConditionalOnProperty(name = "safeguards.postgresql.use-data-source", havingValue = "true")
    static final class ApplicationDataSource {}
  }

  /**
   * The connection pool and schema of the audit log, closed with the context (after the log).
   *
   * @param properties the {@code safeguards.postgresql.*} settings
   * @param dataSource the application's {@code DataSource}, used with {@code safeguards.postgresql.use-data-source}
   * @param clock the application's clock, if it declares one
   * @return the connected state, its schema migrated first unless {@code safeguards.postgresql.migrate=false}
   * @throws IllegalStateException if {@code use-data-source} is set and there is no {@code DataSource} bean
   */
  @Bean
  @ConditionalOnMissingBean({PostgresState.class, AuditSink.class})
  public PostgresState safeguardsPostgresState(SafeguardsProperties properties, ObjectProvider<DataSource> dataSource,
      ObjectProvider<Clock> clock) {
    SafeguardsProperties.Postgresql p = properties.getPostgresql();
    DataSource owner;
    PostgresState.Builder state;
    if (p.isUseDataSource()) {
      owner = dataSource.getIfAvailable();
      if (owner == null) {
        throw new IllegalStateException(
            "safeguards.postgresql.use-data-source is set, but there is no DataSource bean");
      }
      state = PostgresState.builder(owner);
    } else {
      PGSimpleDataSource simple = new PGSimpleDataSource();
      simple.setUrl(p.getUrl());
      simple.setUser(p.getUsername());
      simple.setPassword(p.getPassword());
      owner = simple;
      state = PostgresState.builder(p.getUrl()).credentials(p.getUsername(), p.getPassword());
    }
    if (p.isMigrate()) {
      PostgresSchema.migrate(owner, p.getSchema());
    }
    return state.schema(p.getSchema()).clock(SafeguardsAutoConfiguration.clock(clock)).connect();
  }

  /**
   * The audit log's keys, as for the file log.
   *
   * @param properties the {@code safeguards.keys.*} settings and {@code safeguards.audit.seal-identities}
   * @param clock the application's clock, if it declares one
   * @return the keys, the missing ones created
   * @throws IOException if the key directory cannot be created
   * @throws KeyManagementException if the master key cannot be loaded, or a keyset cannot be opened or created
   * @throws IllegalStateException naming the property that is missing
   */
  @Bean
  @ConditionalOnMissingBean({AuditLogKeys.class, AuditSink.class})
  public AuditLogKeys safeguardsPostgresAuditLogKeys(SafeguardsProperties properties, ObjectProvider<Clock> clock)
      throws IOException, KeyManagementException {
    return AuditLogKeys.fromProperties(properties, SafeguardsAutoConfiguration.clock(clock));
  }

  /**
   * The cluster's audit log; the last checkpoint is signed when the context closes.
   *
   * @param properties the {@code safeguards.audit.*} settings and {@code safeguards.postgresql.replica}
   * @param state the database the log is kept in
   * @param keys the keys that sign its checkpoints and, if identities are sealed, seal them
   * @param clock the application's clock, if it declares one
   * @return the open log
   * @throws IOException if an anchor directory cannot be created
   * @throws AuditException if the log cannot be opened
   * @throws IllegalStateException if {@code safeguards.audit.origin} is not set
   */
  @Bean
  @ConditionalOnMissingBean
  public AuditSink safeguardsPostgresAuditLog(SafeguardsProperties properties, PostgresState state,
      AuditLogKeys keys, ObjectProvider<Clock> clock) throws IOException, AuditException {
    SafeguardsProperties.Audit a = properties.getAudit();
    if (a.getOrigin() == null) {
      throw new IllegalStateException("safeguards.audit.origin is required for the PostgreSQL audit log (every "
          + "replica must sign checkpoints of the same log name)");
    }
    SigningKeyset checkpointKeys = SigningKeyset.create(keys.checkpoint());
    PostgresAuditLog.Builder log = PostgresAuditLog.builder(state, a.getOrigin(), checkpointKeys)
        .clock(SafeguardsAutoConfiguration.clock(clock)).checkpointInterval(a.getCheckpointInterval());
    keys.sealing().ifPresent(log::sealIdentities);
    if (properties.getPostgresql().getReplica() != null) {
      log.replica(properties.getPostgresql().getReplica());
    }
    for (Path anchor : a.getAnchorDirectories()) {
      log.anchor(DirectoryAnchor.create(anchor, checkpointKeys));
    }
    return log.open();
  }
}
