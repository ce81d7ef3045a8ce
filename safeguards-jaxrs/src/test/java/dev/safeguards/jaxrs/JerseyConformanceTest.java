package dev.safeguards.jaxrs;

import dev.safeguards.Safeguards;
import dev.safeguards.conformance.ConformanceSuite;
import dev.safeguards.conformance.TestTls;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;

/** The conformance suite against the JAX-RS adapter on Jersey 3.1, in embedded Jetty 12. */
class JerseyConformanceTest extends ConformanceSuite {

  @Override
  protected Server start(Safeguards safeguards, TestTls tls) throws Exception {
    ResourceConfig app = new ResourceConfig()
        .register(ConformanceResource.class)
        .register(SafeguardsFeature.builder(safeguards).servletConnections().build());
    return JettyServer.start(new ServletContainer(app), tls);
  }
}
