package dev.safeguards.jaxrs;

import dev.safeguards.conformance.ConformanceSuite;
import dev.safeguards.conformance.TestTls;
import dev.safeguards.transport.TlsPolicy;
import jakarta.servlet.Servlet;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** Embedded Jetty 12 serving one JAX-RS servlet over HTTPS and plain HTTP on 127.0.0.1, for the JAX-RS tests. */
final class JettyServer {

  private JettyServer() {}

  static ConformanceSuite.Server start(Servlet jaxrs, TestTls tls) throws Exception {
    return start(jaxrs, tls, null, null);
  }

  /** Starts Jetty with {@code attribute} set on the servlet context (when not null), as RESTEasy wants. */
  static ConformanceSuite.Server start(Servlet jaxrs, TestTls tls, String attribute, Object value)
      throws Exception {
    Server jetty = new Server();
    HttpConfiguration config = new HttpConfiguration();
    config.setRequestHeaderSize(128 * 1024);
    config.setSendServerVersion(false);
    ServerConnector plain = new ServerConnector(jetty, new HttpConnectionFactory(config));
    plain.setHost("127.0.0.1");
    HttpConfiguration secureConfig = new HttpConfiguration(config);
    SecureRequestCustomizer customizer = new SecureRequestCustomizer();
    customizer.setSniHostCheck(false);
    secureConfig.addCustomizer(customizer);
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setKeyStorePath(tls.keyStoreFile().toString());
    ssl.setKeyStorePassword(new String(tls.password()));
    ssl.setKeyStoreType("PKCS12");
    ssl.setIncludeProtocols(TlsPolicy.protocols().toArray(String[]::new));
    ssl.setIncludeCipherSuites(TlsPolicy.cipherSuites().toArray(String[]::new));
    ServerConnector secure = new ServerConnector(jetty, new SslConnectionFactory(ssl, "http/1.1"),
        new HttpConnectionFactory(secureConfig));
    secure.setHost("127.0.0.1");
    jetty.addConnector(plain);
    jetty.addConnector(secure);
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    if (attribute != null) {
      context.setAttribute(attribute, value);
    }
    context.addServlet(new ServletHolder(jaxrs), "/*");
    jetty.setHandler(context);
    jetty.start();
    return ConformanceSuite.Server.of(secure::getLocalPort, plain::getLocalPort, jetty::stop);
  }
}
