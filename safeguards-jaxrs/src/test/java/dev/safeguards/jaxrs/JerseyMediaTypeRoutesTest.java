package dev.safeguards.jaxrs;

import dev.safeguards.conformance.ConformanceSuite;
import dev.safeguards.conformance.TestTls;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;

class JerseyMediaTypeRoutesTest extends MediaTypeRoutesCases {

  @Override
  ConformanceSuite.Server start(SafeguardsFeature feature, TestTls tls) throws Exception {
    return JettyServer.start(new ServletContainer(new ResourceConfig().register(JsonFirst.class)
        .register(CsvFirst.class).register(feature)), tls);
  }
}
