package dev.safeguards.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safeguards.Safeguards;
import dev.safeguards.access.AccessPolicy;
import dev.safeguards.authn.AuthenticationException;
import dev.safeguards.authn.RevocationList;
import dev.safeguards.conformance.CapturingAuditSink;
import dev.safeguards.gate.Route;
import dev.safeguards.gate.Routes;
import dev.safeguards.session.SessionPolicy;
import dev.safeguards.session.SessionStore;
import dev.safeguards.session.SessionTracker;
import jakarta.servlet.DispatcherType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

/** The filter registered by class name, as web.xml does, finding Safeguards in the servlet context (Jetty 12). */
class SafeguardsFilterWebXmlTest {

  private static Safeguards safeguards() {
    Clock clock = Clock.systemUTC();
    return Safeguards.builder()
        .tokens(token -> {
          throw new AuthenticationException(AuthenticationException.Reason.MALFORMED, "no tokens in this test");
        })
        .sessions(SessionTracker.create(SessionPolicy.DEFAULT, SessionStore.inMemory(10, clock),
            RevocationList.inMemory(10, clock), clock))
        .access(AccessPolicy.builder().role("r", "x:y").build())
        .routes(Routes.of(Route.publicRoute("GET", "/health")))
        .audit(new CapturingAuditSink())
        .build();
  }

  private static int statusOfHealth(Object contextAttribute) throws Exception {
    Server jetty = new Server();
    ServerConnector plain = new ServerConnector(jetty);
    plain.setHost("127.0.0.1");
    jetty.addConnector(plain);
    ServletContextHandler context = new ServletContextHandler();
    if (contextAttribute != null) {
      context.setAttribute(SafeguardsFilter.CONTEXT_ATTRIBUTE, contextAttribute);
    }
    context.addFilter(new FilterHolder(SafeguardsFilter.class), "/*", EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(new ServletHolder(new ConformanceServlet()), "/*");
    jetty.setHandler(context);
    try {
      jetty.start();
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + plain.getLocalPort() + "/health")).build(),
          HttpResponse.BodyHandlers.ofString());
      return r.statusCode();
    } catch (Exception e) {
      return -1;
    } finally {
      jetty.stop();
    }
  }

  @Test
  void filterByClassName_usesTheSafeguardsInTheContext() throws Exception {
    // Plain HTTP: the gate answers 403, which shows the filter is in place.
    assertThat(statusOfHealth(safeguards())).isEqualTo(403);
  }

  @Test
  void filterByClassName_withoutSafeguards_neverServes() throws Exception {
    assertThat(statusOfHealth(null)).isNotEqualTo(200);
    assertThat(statusOfHealth("not safeguards")).isNotEqualTo(200);
  }
}
