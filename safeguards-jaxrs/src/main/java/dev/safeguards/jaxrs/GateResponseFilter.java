package dev.safeguards.jaxrs;

import dev.safeguards.gate.Exchange;
import dev.safeguards.gate.Gate;
import dev.safeguards.gate.Outcome;
import dev.safeguards.http.Problem;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.MediaType;
import java.io.ByteArrayInputStream;
import java.lang.annotation.Annotation;

/**
 * Writes the one audit event of every request with its final status, before the entity is sent, and sets the
 * transport headers. A request no resource method matched (a 404 or 405 from JAX-RS) runs through the gate here, so
 * that it is refused and audited like any other.
 */
final class GateResponseFilter implements ContainerResponseFilter {

  private static final String EXITED = "dev.safeguards.jaxrs.exited";

  private final Gate gate;
  private final ResourceRoutes routes;

  GateResponseFilter(Gate gate, ResourceRoutes routes) {
    this.gate = gate;
    this.routes = routes;
  }

  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    GateRequests.CURRENT.remove();
    Object state = request.getProperty(GateRequests.ENTRY);
    if (state == Boolean.FALSE) {
      return; // answered by the gate, already audited
    }
    Exchange exchange;
    if (state instanceof Exchange known) {
      exchange = known;
    } else {
      exchange = gate.enter(GateRequests.of(request), new ByteArrayInputStream(new byte[0]), routes.routes());
      if (exchange.outcome() instanceof Outcome.Respond respond) {
        replace(response, respond);
        return;
      }
    }
    if (request.getProperty(EXITED) != null) {
      // Jersey runs the response filters again when writing the entity failed: the event is already written.
      exchange.outcome().headers().forEach((k, v) -> response.getHeaders().putSingle(k, v));
      return;
    }
    request.setProperty(EXITED, Boolean.TRUE);
    int status = response.getStatus();
    Outcome exit = gate.exit(exchange, status, status >= 500, null);
    if (exit instanceof Outcome.Respond respond) {
      replace(response, respond);
      return;
    }
    exchange.outcome().headers().forEach((k, v) -> response.getHeaders().putSingle(k, v));
    if (status >= 400 && !response.hasEntity()) {
      // An error the application answered without a body: the container would otherwise make its own (an HTML page).
      Problem problem = new Problem(status, reason(status), "The request could not be completed.");
      response.getHeaders().putSingle("Cache-Control", "no-store");
      response.setEntity(problem.body(), new Annotation[0], MediaType.valueOf(Problem.MEDIA_TYPE));
    }
    request.setProperty(GateWriterInterceptor.EXCHANGE, exchange);
  }

  private static String reason(int status) {
    jakarta.ws.rs.core.Response.Status known = jakarta.ws.rs.core.Response.Status.fromStatusCode(status);
    return known == null ? "Error" : known.getReasonPhrase();
  }

  private static void replace(ContainerResponseContext response, Outcome.Respond respond) {
    response.setStatus(respond.status());
    response.getHeaders().clear();
    respond.headers().forEach((k, v) -> response.getHeaders().putSingle(k, v));
    byte[] body = respond.body();
    response.setEntity(body.length == 0 ? null : body, new Annotation[0],
        body.length == 0 ? null : MediaType.valueOf(Problem.MEDIA_TYPE));
  }
}
