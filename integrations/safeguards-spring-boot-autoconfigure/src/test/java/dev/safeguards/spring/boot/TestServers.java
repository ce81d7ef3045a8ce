package dev.safeguards.spring.boot;

import dev.safeguards.conformance.ConformanceSuite;
import dev.safeguards.conformance.TestTls;
import dev.safeguards.transport.TlsPolicy;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.catalina.connector.Connector;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Starts a Spring Boot application in embedded Tomcat with HTTPS on one port and plain HTTP on another. */
final class TestServers {

  private TestServers() {}

  /** The plain HTTP connector beside Boot's HTTPS one. */
  @Configuration(proxyBeanMethods = false)
  static class PlainConnector {
    final Connector connector = new Connector();

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> plainHttpConnector() {
      connector.setPort(0);
      connector.setProperty("address", "127.0.0.1");
      connector.setProperty("maxHttpHeaderSize", Integer.toString(128 * 1024));
      connector.setProperty("maxSwallowSize", Integer.toString(1 << 20));
      return factory -> factory.addAdditionalConnectors(connector);
    }
  }

  /**
   * Runs {@code sources} (which must import {@link PlainConnector}) with {@code properties} added to the HTTPS
   * settings; {@code setUp} may register singletons before the context refreshes.
   */
  static ConformanceSuite.Server start(TestTls tls, Map<String, Object> properties,
      Consumer<ConfigurableApplicationContext> setUp, Class<?>... sources) {
    ConfigurableApplicationContext context = application(tls, properties, setUp, sources).run();
    int https = ((WebServerApplicationContext) context).getWebServer().getPort();
    Connector plain = context.getBean(PlainConnector.class).connector;
    return ConformanceSuite.Server.of(() -> https, plain::getLocalPort, context::close);
  }

  static SpringApplication application(TestTls tls, Map<String, Object> properties,
      Consumer<ConfigurableApplicationContext> setUp, Class<?>... sources) {
    SpringApplication app = new SpringApplication(sources);
    Map<String, Object> all = new HashMap<>();
    all.put("spring.main.banner-mode", "off");
    all.put("server.port", "0");
    all.put("server.address", "127.0.0.1");
    all.put("server.max-http-request-header-size", "128KB");
    all.put("server.tomcat.max-swallow-size", "1MB");
    all.put("server.ssl.key-store", "file:" + tls.keyStoreFile());
    all.put("server.ssl.key-store-password", new String(tls.password()));
    all.put("server.ssl.key-store-type", "PKCS12");
    all.put("server.ssl.enabled-protocols", String.join(",", TlsPolicy.protocols()));
    all.put("server.ssl.ciphers", String.join(",", TlsPolicy.cipherSuites()));
    all.putAll(properties);
    app.setDefaultProperties(all);
    app.addInitializers(setUp::accept);
    return app;
  }
}
