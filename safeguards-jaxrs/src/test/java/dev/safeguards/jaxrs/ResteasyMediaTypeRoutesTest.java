package dev.safeguards.jaxrs;

import dev.safeguards.conformance.ConformanceSuite;
import dev.safeguards.conformance.TestTls;
import org.jboss.resteasy.core.ResteasyDeploymentImpl;
import org.jboss.resteasy.plugins.server.servlet.HttpServlet30Dispatcher;
import org.jboss.resteasy.spi.ResteasyDeployment;

class ResteasyMediaTypeRoutesTest extends MediaTypeRoutesCases {

  @Override
  ConformanceSuite.Server start(SafeguardsFeature feature, TestTls tls) throws Exception {
    ResteasyDeployment deployment = new ResteasyDeploymentImpl();
    deployment.getResources().add(new JsonFirst());
    deployment.getResources().add(new CsvFirst());
    deployment.getProviders().add(feature);
    return JettyServer.start(new HttpServlet30Dispatcher(), tls, ResteasyDeployment.class.getName(), deployment);
  }
}
