package dev.safeguards.jaxrs;

import dev.safeguards.http.Gate;
import dev.safeguards.http.Route;
import dev.safeguards.http.Routes;
import dev.safeguards.identity.Principal;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.io.ByteArrayInputStream;
import java.util.Map;

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
    Gate.Entry entry = gate.enter(GateRequests.of(request), request.getEntityStream(), routes);
    if (entry.refusal().isPresent()) {
      request.abortWith(refusal(entry.refusal().get(), entry.responseHeaders()));
      request.setProperty(GateRequests.ENTRY, Boolean.FALSE);
      return;
    }
    request.setProperty(GateRequests.ENTRY, entry);
    request.setEntityStream(new ByteArrayInputStream(entry.body()));
    entry.principal().ifPresent(p -> request.setSecurityContext(securityContext(p)));
  }

  static Response refusal(Gate.Refusal refusal, Map<String, String> transport) {
    Response.ResponseBuilder r = Response.status(refusal.status());
    transport.forEach(r::header);
    refusal.headers().forEach(r::header);
    if (refusal.status() == 204) {
      return r.build();
    }
    return r.header("Cache-Control", "no-store").entity(refusal.problem().body())
        .type(dev.safeguards.http.Problem.MEDIA_TYPE).build();
  }

  private static SecurityContext securityContext(Principal principal) {
    return new SecurityContext() {
      @Override
      public java.security.Principal getUserPrincipal() {
        return principal;
      }

      @Override
      public boolean isUserInRole(String role) {
        return principal.hasRole(role);
      }

      @Override
      public boolean isSecure() {
        return true;
      }

      @Override
      public String getAuthenticationScheme() {
        return "Bearer";
      }
    };
  }
}
