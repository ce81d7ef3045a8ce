package dev.safeguards.jaxrs;

import dev.safeguards.gate.Exchange;
import dev.safeguards.gate.GateRequest;
import dev.safeguards.http.HttpFields;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Translates a JAX-RS request for the gate. */
final class GateRequests {

  /** The request property holding the gate's entry for the request. */
  static final String ENTRY = "dev.safeguards.jaxrs.entry";

  /**
   * The exchange of the request whose resource method runs on this thread, for {@link SafeguardsFeature#audit()}:
   * set by the request filter (cleared when it refuses), cleared by the response filter. A stale one (an asynchronous
   * response resumed on another thread) is overwritten by the next request that passes the gate on this thread, and
   * refuses new names once its event is written.
   */
  static final ThreadLocal<Exchange> CURRENT = new ThreadLocal<>();

  private GateRequests() {}

  static GateRequest of(ContainerRequestContext r) {
    HttpFields.Builder headers = HttpFields.builder();
    for (Map.Entry<String, List<String>> h : r.getHeaders().entrySet()) {
      for (String v : h.getValue()) {
        headers.received(h.getKey(), v);
      }
    }
    URI uri = r.getUriInfo().getRequestUri();
    String path = "/" + r.getUriInfo().getPath(false);
    String host = r.getHeaderString("Host");
    String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    Object peer = r.getProperty(SafeguardsFeature.PEER_ADDRESS);
    Object suite = r.getProperty(SafeguardsFeature.CIPHER_SUITE);
    boolean secure = r.getSecurityContext() != null ? r.getSecurityContext().isSecure() : "https".equals(uri.getScheme());
    return new GateRequest(r.getMethod(), path.replaceAll("/+", "/"), secure,
        peer instanceof String p ? p : "unknown", host == null ? null : host + target, headers.build(),
        Optional.ofNullable(suite instanceof String s ? s : null));
  }
}
