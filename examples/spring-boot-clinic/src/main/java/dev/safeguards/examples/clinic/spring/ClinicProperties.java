package dev.safeguards.examples.clinic.spring;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The clinic's own settings ({@code clinic.*}); the safeguards' are {@code safeguards.*}, the server's {@code
 * server.*} (application.properties has them all).
 *
 * @param dataDir the data directory, created on first start: keys, database, audit log, TLS key store, users
 * @param masterKeyFile the master key file; none: {@code $SAFEGUARDS_MASTER_KEY} if set, else {@code
 *     DIR/master.key}, generated on first start (for the demo only: keep it apart from the data it protects)
 * @param httpPort the plain HTTP port, where every request is refused, to show it
 * @param alertWebhook where every alert is also POSTed, if anywhere
 */
@ConfigurationProperties("clinic")
public record ClinicProperties(Path dataDir, Path masterKeyFile, int httpPort, URI alertWebhook) {

  /** Checks that there is a data directory and a port from 0 to 65535. */
  public ClinicProperties {
    Objects.requireNonNull(dataDir, "clinic.data-dir is required");
    if (httpPort < 0 || httpPort > 65535) {
      throw new IllegalArgumentException("clinic.http-port: a port from 0 to 65535");
    }
  }
}
