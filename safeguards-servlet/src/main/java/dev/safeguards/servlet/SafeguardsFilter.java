package dev.safeguards.servlet;

import dev.safeguards.Safeguards;
import dev.safeguards.http.Gate;
import dev.safeguards.http.GateRequest;
import dev.safeguards.http.HttpFields;
import dev.safeguards.http.Problem;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Enumeration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Jakarta Servlet adapter: every request runs through the {@link Gate} of one {@link Safeguards} (45 CFR 164.312).
 *
 * <p>Register it programmatically with {@link #create}, or in {@code web.xml}: the filter then takes the {@code
 * Safeguards} the application stored in the servlet context attribute {@value #CONTEXT_ATTRIBUTE} (from a {@code
 * ServletContextListener}); without one it refuses to start. The application sees the authenticated principal through
 * {@code getUserPrincipal()} and {@code isUserInRole()}, and the request body only after its size, content type,
 * {@code Content-Digest} and JSON shape were checked. The response is buffered so that its {@code Content-Digest} can
 * be computed and its audit event written before it is sent: if the event cannot be written, the client gets a 503.
 * An exception from the application becomes a 500 with a generic problem body, and is audited.
 */
public final class SafeguardsFilter implements Filter {

  /** The servlet context attribute holding the {@link Safeguards} for {@code web.xml} registration. */
  public static final String CONTEXT_ATTRIBUTE = "dev.safeguards.Safeguards";

  private static final Logger LOG = LoggerFactory.getLogger(SafeguardsFilter.class);

  private Gate gate;

  /** For {@code web.xml}: the gate comes from the servlet context in {@link #init}. */
  public SafeguardsFilter() {}

  private SafeguardsFilter(Gate gate) {
    this.gate = gate;
  }

  /** A filter running {@code safeguards}' gate, for programmatic registration. */
  public static SafeguardsFilter create(Safeguards safeguards) {
    return new SafeguardsFilter(Objects.requireNonNull(safeguards, "safeguards").gate());
  }

  @Override
  public void init(FilterConfig config) throws ServletException {
    if (gate != null) {
      return;
    }
    Object s = config.getServletContext().getAttribute(CONTEXT_ATTRIBUTE);
    if (!(s instanceof Safeguards safeguards)) {
      throw new ServletException("no Safeguards in servlet context attribute " + CONTEXT_ATTRIBUTE);
    }
    gate = safeguards.gate();
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest request = (HttpServletRequest) req;
    HttpServletResponse response = (HttpServletResponse) res;
    Gate.Entry entry = gate.enter(gateRequest(request), request.getInputStream());
    if (entry.refusal().isPresent()) {
      write(response, entry.refusal().get(), entry.responseHeaders());
      return;
    }
    entry.responseHeaders().forEach(response::setHeader);
    GatedRequest gated = new GatedRequest(request, entry);
    BufferedResponse buffered = new BufferedResponse(response);
    boolean failed = false;
    try {
      chain.doFilter(gated, buffered);
    } catch (IOException | ServletException | RuntimeException e) {
      failed = true;
      LOG.error("the application failed on request {}: {}", entry.requestId(), e.getClass().getName());
    }
    int status = failed ? 500 : buffered.getStatus();
    Gate.Exit exit = gate.exit(entry, status, failed, buffered.body());
    if (!exit.audited()) {
      response.reset();
      write(response, exit.failure(), entry.responseHeaders());
      return;
    }
    if (failed) {
      response.reset();
      write(response, new Gate.Refusal(500, Map.of(), new Problem(500, "Internal Server Error",
          "The request could not be completed.")), entry.responseHeaders());
      return;
    }
    exit.headers().forEach(response::setHeader);
    buffered.commit();
  }

  private static GateRequest gateRequest(HttpServletRequest r) {
    HttpFields.Builder headers = HttpFields.builder();
    for (Enumeration<String> names = r.getHeaderNames(); names.hasMoreElements(); ) {
      String name = names.nextElement();
      for (Enumeration<String> values = r.getHeaders(name); values.hasMoreElements(); ) {
        headers.add(name, values.nextElement());
      }
    }
    String path = r.getRequestURI().substring(r.getContextPath().length());
    String target = r.getRequestURI() + (r.getQueryString() == null ? "" : "?" + r.getQueryString());
    String host = r.getHeader("Host");
    Object suite = r.getAttribute("jakarta.servlet.request.cipher_suite");
    return new GateRequest(r.getMethod(), path.isEmpty() ? "/" : path, r.isSecure(), r.getRemoteAddr(),
        host == null ? null : host + target, headers.build(),
        Optional.ofNullable(suite instanceof String s ? s : null));
  }

  private static void write(HttpServletResponse response, Gate.Refusal refusal, Map<String, String> transport)
      throws IOException {
    transport.forEach(response::setHeader);
    refusal.headers().forEach(response::setHeader);
    response.setStatus(refusal.status());
    if (refusal.status() == 204) {
      return;
    }
    byte[] body = refusal.problem().body();
    response.setHeader("Cache-Control", "no-store");
    response.setContentType(Problem.MEDIA_TYPE);
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }
}
