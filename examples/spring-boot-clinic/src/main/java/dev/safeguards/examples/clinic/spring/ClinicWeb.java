package dev.safeguards.examples.clinic.spring;

import dev.safeguards.access.MinimumNecessary;
import dev.safeguards.examples.clinic.domain.SealedTls;
import dev.safeguards.examples.clinic.domain.Views;
import dev.safeguards.transport.TlsPolicy;
import org.apache.catalina.connector.Connector;
import org.springframework.boot.autoconfigure.ssl.SslBundleRegistrar;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundleKey;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.boot.ssl.SslStoreBundle;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * What the clinic's server is, whatever it serves: HTTPS from the sealed TLS key store with the TLS policy's protocols
 * and suites (the SSL bundle {@value #TLS_BUNDLE}, which {@code server.ssl.bundle} names), a plain HTTP port beside it
 * only to show that the gate refuses plain HTTP, and the minimum-necessary filter of every JSON response. It needs a
 * {@link SealedTls.Loaded} bean (the clinic's comes from its data directory).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ClinicProperties.class)
public class ClinicWeb {

  /** The SSL bundle HTTPS is served with. */
  public static final String TLS_BUNDLE = "clinic";

  /** The TLS key store as the SSL bundle {@value #TLS_BUNDLE}: the key (alias {@code server}) and TLS 1.2+ only. */
  @Bean
  public SslBundleRegistrar clinicTlsBundle(SealedTls.Loaded tls) {
    String password = new String(tls.password());
    return registry -> registry.registerBundle(TLS_BUNDLE, SslBundle.of(
        SslStoreBundle.of(tls.keyStore(), password, null), SslBundleKey.of(password, "server"),
        SslOptions.of(TlsPolicy.cipherSuites().toArray(String[]::new), TlsPolicy.protocols().toArray(String[]::new))));
  }

  /** Plain HTTP on {@code clinic.http-port} of {@code server.address}. */
  @Bean
  public PlainHttp clinicPlainHttp(ClinicProperties clinic, Environment environment) {
    return new PlainHttp(environment.getProperty("server.address", "127.0.0.1"), clinic.httpPort());
  }

  /**
   * Who sees which fields (the clinic's {@link Views#MINIMUM_NECESSARY}): the starter trims every JSON object a
   * controller returns to what authorised the request.
   */
  @Bean
  public MinimumNecessary clinicMinimumNecessary() {
    return Views.MINIMUM_NECESSARY;
  }

  /**
   * A plain HTTP connector beside the HTTPS one, where the gate refuses every request (403, audited) and sends no
   * HSTS: there to show it, as a port a client might try. Its header and body limits are the HTTPS port's.
   */
  public static final class PlainHttp implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {
    private final Connector connector = new Connector();

    PlainHttp(String address, int port) {
      connector.setPort(port);
      connector.setProperty("address", address);
      connector.setProperty("maxHttpHeaderSize", Integer.toString(128 * 1024));
      connector.setProperty("maxSwallowSize", Integer.toString(1 << 20));
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
      factory.addAdditionalConnectors(connector);
    }

    /** The port it listens on, once the server started. */
    public int port() {
      return connector.getLocalPort();
    }
  }
}
