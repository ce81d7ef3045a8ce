package dev.safeguards.jaxrs;

import dev.safeguards.http.Gate;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import java.io.ByteArrayInputStream;

/**
 * Writes the one audit event of every request with its final status, before the entity is sent, and sets the
 * transport headers. A request no resource method matched (a 404 or 405 from JAX-RS) runs through the gate here, so
 * that it is refused and audited like any other.
 */
final class GateResponseFilter implements ContainerResponseFilter {

  private final Gate gate;
  private final ResourceRoutes routes;

  GateResponseFilter(Gate gate, ResourceRoutes routes) {
    this.gate = gate;
    this.routes = routes;
  }

  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    Object state = request.getProperty(GateRequests.ENTRY);
    if (state == Boolean.FALSE) {
      return; // refused by the gate, already audited
    }
    Gate.Entry entry;
    if (state instanceof Gate.Entry e) {
      entry = e;
    } else {
      entry = gate.enter(GateRequests.of(request), new ByteArrayInputStream(new byte[0]), routes.routes());
      if (entry.refusal().isPresent()) {
        replace(response, GateRequestFilter.refusal(entry.refusal().get(), entry.responseHeaders()));
        return;
      }
    }
    boolean failed = response.getStatus() >= 500;
    Gate.Exit exit = gate.exit(entry, response.getStatus(), failed, null);
    if (!exit.audited()) {
      replace(response, GateRequestFilter.refusal(exit.failure(), entry.responseHeaders()));
      return;
    }
    entry.responseHeaders().forEach((k, v) -> response.getHeaders().putSingle(k, v));
    request.setProperty(GateWriterInterceptor.WANT_DIGEST, entry.wantContentDigest().orElse(null));
    request.setProperty(GateWriterInterceptor.ROLES, entry.principal().map(p -> p.roles()).orElse(null));
  }

  private static void replace(ContainerResponseContext response, jakarta.ws.rs.core.Response with) {
    response.setStatus(with.getStatus());
    response.getHeaders().clear();
    with.getHeaders().forEach((k, v) -> response.getHeaders().put(k, v));
    response.setEntity(with.getEntity(), new java.lang.annotation.Annotation[0], with.getMediaType());
  }
}
