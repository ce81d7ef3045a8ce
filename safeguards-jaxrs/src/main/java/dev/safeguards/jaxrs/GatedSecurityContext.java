package dev.safeguards.jaxrs;

import dev.safeguards.gate.Exchange;
import dev.safeguards.gate.Gate;
import jakarta.ws.rs.core.SecurityContext;

/** The security context of a request the gate let through: the gate's principal (none on a public route), the effective scheme. */
final class GatedSecurityContext implements SecurityContext {

  private final Exchange exchange;

  GatedSecurityContext(Exchange exchange) {
    this.exchange = exchange;
  }

  @Override
  public java.security.Principal getUserPrincipal() {
    return exchange.principal().orElse(null);
  }

  @Override
  public boolean isUserInRole(String role) {
    return exchange.principal().map(p -> p.hasRole(role)).orElse(false);
  }

  @Override
  public boolean isSecure() {
    return exchange.https();
  }

  @Override
  public String getAuthenticationScheme() {
    return exchange.principal().isPresent() ? Gate.AUTHENTICATION_SCHEME : null;
  }
}
