package dev.safeguards.servlet;

import dev.safeguards.Safeguards;
import dev.safeguards.conformance.ConformanceSuite;
import dev.safeguards.conformance.TestTls;
import dev.safeguards.transport.TlsPolicy;
import java.nio.file.Files;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;

/** The conformance suite against the servlet adapter in embedded Tomcat 10.1. */
class TomcatServletConformanceTest extends ConformanceSuite {

  @Override
  protected Server start(Safeguards safeguards, TestTls tls) throws Exception {
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(Files.createTempDirectory("tomcat").toString());
    Connector plain = connector();
    Connector secure = connector();
    secure.setSecure(true);
    secure.setScheme("https");
    secure.setProperty("SSLEnabled", "true");
    SSLHostConfig host = new SSLHostConfig();
    host.setProtocols("+" + String.join(",+", TlsPolicy.protocols()));
    host.setCiphers(String.join(",", TlsPolicy.cipherSuites()));
    SSLHostConfigCertificate certificate = new SSLHostConfigCertificate(host, SSLHostConfigCertificate.Type.EC);
    certificate.setCertificateKeystoreFile(tls.keyStoreFile().toString());
    certificate.setCertificateKeystorePassword(new String(tls.password()));
    certificate.setCertificateKeystoreType("PKCS12");
    host.addCertificate(certificate);
    secure.addSslHostConfig(host);
    tomcat.getService().addConnector(plain);
    tomcat.getService().addConnector(secure);
    tomcat.setConnector(plain);
    Context context = tomcat.addContext("", null);
    FilterDef filter = new FilterDef();
    filter.setFilterName("safeguards");
    filter.setFilter(SafeguardsFilter.create(safeguards));
    context.addFilterDef(filter);
    FilterMap map = new FilterMap();
    map.setFilterName("safeguards");
    map.addURLPattern("/*");
    context.addFilterMap(map);
    Tomcat.addServlet(context, "app", new ConformanceServlet());
    context.addServletMappingDecoded("/*", "app");
    tomcat.start();
    return Server.of(secure::getLocalPort, plain::getLocalPort, () -> {
      tomcat.stop();
      tomcat.destroy();
    });
  }

  private static Connector connector() {
    Connector c = new Connector();
    c.setPort(0);
    c.setProperty("address", "127.0.0.1");
    c.setProperty("maxHttpHeaderSize", Integer.toString(128 * 1024));
    c.setProperty("maxSwallowSize", Integer.toString(1 << 20));
    return c;
  }
}
