package dev.safeguards.jaxrs;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Context;

/**
 * Copies the peer address, TLS suite and protocol of a servlet-hosted request into the properties the gate filter
 * reads.
 */
@PreMatching
final class ServletConnections implements ContainerRequestFilter {

  @Context private HttpServletRequest servletRequest;

  @Override
  public void filter(ContainerRequestContext request) {
    if (servletRequest != null) {
      request.setProperty(SafeguardsFeature.PEER_ADDRESS, servletRequest.getRemoteAddr());
      request.setProperty(SafeguardsFeature.PROTOCOL, servletRequest.getProtocol());
      Object suite = servletRequest.getAttribute("jakarta.servlet.request.cipher_suite");
      if (suite instanceof String s) {
        request.setProperty(SafeguardsFeature.CIPHER_SUITE, s);
      }
    }
  }
}
