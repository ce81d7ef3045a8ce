package dev.safeguards.jaxrs;

import dev.safeguards.gate.Exchange;
import dev.safeguards.gate.Gate;
import dev.safeguards.gate.Outcome;
import dev.safeguards.gate.Route;
import dev.safeguards.gate.Routes;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayInputStream;

/** Runs the gate for one resource method, before JAX-RS reads the entity. */
final class GateRequestFilter implements ContainerRequestFilter {

  private final Gate gate;
  private final Routes routes;

  GateRequestFilter(Gate gate, Route route) {
    this.gate = gate;
    this.routes = Routes.of(route);
  }

  @Override
  public void filter(ContainerRequestContext request) {
    Exchange exchange = gate.enter(GateRequests.of(request), request.getEntityStream(), routes);
    if (exchange.outcome() instanceof Outcome.Respond respond) {
      GateRequests.CURRENT.remove();
      Response refusal = response(respond);
      if (leavesBodyUnread(request)) {
        refusal.getHeaders().putSingle("Connection", "close");
      }
      request.abortWith(refusal);
      request.setProperty(GateRequests.ENTRY, Boolean.FALSE);
      return;
    }
    GateRequests.CURRENT.set(exchange);
    request.setProperty(GateRequests.ENTRY, exchange);
    request.setEntityStream(new ByteArrayInputStream(exchange.body()));
    request.setSecurityContext(new GatedSecurityContext(exchange));
  }

  /**
   * Whether a refused request on HTTP/1.x announced a body the application will never read; the connection then
   * cannot safely carry another request. Read from the headers: asking JAX-RS whether there is an entity may block.
   */
  private static boolean leavesBodyUnread(ContainerRequestContext request) {
    if (!(request.getProperty(SafeguardsFeature.PROTOCOL) instanceof String protocol)
        || !protocol.startsWith("HTTP/1.")) {
      return false;
    }
    if (request.getHeaderString("Transfer-Encoding") != null) {
      return true;
    }
    String length = request.getHeaderString("Content-Length");
    try {
      return length != null && Long.parseLong(length.strip()) != 0;
    } catch (NumberFormatException e) {
      return true; // a length the gate could not read: nothing says where the next request would begin
    }
  }

  /** The gate's answer as a JAX-RS response: its status, its headers, its body; the same in every adapter. */
  static Response response(Outcome.Respond respond) {
    Response.ResponseBuilder r = Response.status(respond.status());
    respond.headers().forEach(r::header);
    byte[] body = respond.body();
    return body.length == 0 ? r.build() : r.entity(body).build();
  }
}
