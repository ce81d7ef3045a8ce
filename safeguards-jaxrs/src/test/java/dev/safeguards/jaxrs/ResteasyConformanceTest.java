package dev.safeguards.jaxrs;

import dev.safeguards.Safeguards;
import dev.safeguards.conformance.ConformanceSuite;
import dev.safeguards.conformance.TestTls;
import org.jboss.resteasy.core.ResteasyDeploymentImpl;
import org.jboss.resteasy.plugins.server.servlet.HttpServlet30Dispatcher;
import org.jboss.resteasy.spi.ResteasyDeployment;

/** The conformance suite against the JAX-RS adapter on RESTEasy 6.2, in embedded Jetty 12. */
class ResteasyConformanceTest extends ConformanceSuite {

  @Override
  protected Server start(Safeguards safeguards, TestTls tls) throws Exception {
    ResteasyDeployment deployment = new ResteasyDeploymentImpl();
    deployment.getResources().add(new ConformanceResource());
    deployment.getProviders().add(SafeguardsFeature.builder(safeguards).servletConnections().build());
    return JettyServer.start(new HttpServlet30Dispatcher(), tls, ResteasyDeployment.class.getName(), deployment);
  }
}
