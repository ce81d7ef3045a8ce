package dev.safeguards.servlet;

import dev.safeguards.Safeguards;
import dev.safeguards.access.AccessDecision;
import dev.safeguards.gate.Exchange;
import dev.safeguards.gate.Gate;
import dev.safeguards.gate.GateRequest;
import dev.safeguards.gate.Outcome;
import dev.safeguards.gate.RequestAudit;
import dev.safeguards.gate.Routes;
import dev.safeguards.http.HttpFields;
import dev.safeguards.identity.Principal;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Enumeration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
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
 * While the audit sink reports that it cannot record, every request is refused with 503 before the application runs.
 * Anything the application throws, an {@code Error} such as a {@code StackOverflowError} included, becomes a 500 with
 * a generic problem body, and is audited. Every answer the gate makes (refusals, 500, 503, logout's 204) is written
 * as {@link Outcome.Respond} says, nothing added but {@code Connection: close} on a refusal of an HTTP/1.x request
 * whose announced body the application never read.
 */
public final class SafeguardsFilter implements Filter {

  /** The servlet context attribute holding the {@link Safeguards} for {@code web.xml} registration. */
  public static final String CONTEXT_ATTRIBUTE = "dev.safeguards.Safeguards";

  private static final Logger LOG = LoggerFactory.getLogger(SafeguardsFilter.class);

  private Gate gate;
  private final Supplier<Routes> routes;

  /** For {@code web.xml}: the gate comes from the servlet context in {@link #init}. */
  public SafeguardsFilter() {
    this.routes = null;
  }

  private SafeguardsFilter(Gate gate, Supplier<Routes> routes) {
    this.gate = gate;
    this.routes = routes;
  }

  /**
   * A filter running {@code safeguards}' gate with its configured routes, for programmatic registration.
   *
   * @param safeguards whose gate every request runs through
   * @return a filter ready to use; its {@link #init} does not consult the servlet context
   * @throws NullPointerException if {@code safeguards} is null
   */
  public static SafeguardsFilter create(Safeguards safeguards) {
    return new SafeguardsFilter(Objects.requireNonNull(safeguards, "safeguards").gate(), null);
  }

  /**
   * A filter running {@code safeguards}' gate against the routes {@code routes} supplies instead of the configured
   * ones: for a framework whose handler mappings are known only once it started (the Spring Boot starter derives them
   * from the Spring MVC handler methods). The supplier is asked on every request and must answer at once.
   *
   * @param safeguards whose gate every request runs through
   * @param routes asked for the current routes on every request
   * @return a filter ready to use; its {@link #init} does not consult the servlet context
   * @throws NullPointerException if either argument is null
   */
  public static SafeguardsFilter create(Safeguards safeguards, Supplier<Routes> routes) {
    return new SafeguardsFilter(Objects.requireNonNull(safeguards, "safeguards").gate(),
        Objects.requireNonNull(routes, "routes"));
  }

  /**
   * Where the application names the audit action and the records this request touched (164.312(b)): e.g. {@code
   * SafeguardsFilter.audit(request).action(AuditAction.SEARCH).entity("Patient", id)} for every patient a search
   * returned, or the id a create made. They join the request's one audit event.
   *
   * @param request a request this filter let through (or a wrapper of it)
   * @return the audit details of the request's exchange
   * @throws IllegalStateException if the request did not pass through this filter
   */
  public static RequestAudit audit(ServletRequest request) {
    return exchange(request).audit();
  }

  /**
   * The caller the gate authenticated for this request, if any (none on a public route): the same as the request's
   * {@code getUserPrincipal()} inside this filter, and still there when a later filter (such as Spring Security's)
   * wraps the request with a principal of its own.
   *
   * @param request a request this filter let through (or a wrapper of it)
   * @return the authenticated caller, or empty on a public route
   * @throws IllegalStateException if the request did not pass through this filter
   */
  public static Optional<Principal> principal(ServletRequest request) {
    return exchange(request).principal();
  }

  /**
   * What authorised this request (164.312(a)(1)): the roles that granted its permission, or the emergency grant it
   * runs under. A response filter shares the minimum necessary from it ({@code MinimumNecessary.filterValue(body,
   * decision)}), never from every role the caller happens to hold.
   *
   * @param request a request this filter let through (or a wrapper of it)
   * @return the access decision, or empty on a public route
   * @throws IllegalStateException if the request did not pass through this filter
   */
  public static Optional<AccessDecision> decision(ServletRequest request) {
    return exchange(request).decision();
  }

  private static Exchange exchange(ServletRequest request) {
    if (request.getAttribute(GatedRequest.ENTRY_ATTRIBUTE) instanceof Exchange exchange) {
      return exchange;
    }
    throw new IllegalStateException("this request did not pass through the SafeguardsFilter");
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

  /** Writes the summaries of anonymous refusals still being counted ({@link Gate#flush()}). */
  @Override
  public void destroy() {
    if (gate != null) {
      gate.flush();
    }
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest request = (HttpServletRequest) req;
    HttpServletResponse response = (HttpServletResponse) res;
    Exchange exchange = routes == null ? gate.enter(gateRequest(request), body(request))
        : gate.enter(gateRequest(request), body(request), routes.get());
    if (exchange.outcome() instanceof Outcome.Respond respond) {
      if (leavesBodyUnread(request)) {
        response.setHeader("Connection", "close");
      }
      write(response, respond);
      return;
    }
    exchange.outcome().headers().forEach(response::setHeader);
    BufferedResponse buffered = new BufferedResponse(response);
    boolean failed = false;
    try {
      chain.doFilter(new GatedRequest(request, exchange), buffered);
    } catch (Throwable e) { // an Error too (StackOverflowError, AssertionError): else the container's page shows it
      failed = true;
      LOG.error("the application failed on request {}: {}", exchange.requestId(), e.getClass().getName());
    }
    Outcome exit = gate.exit(exchange, failed ? 500 : buffered.getStatus(), failed, buffered.body());
    if (exit instanceof Outcome.Respond respond) {
      response.reset();
      write(response, respond);
      return;
    }
    exit.headers().forEach(response::setHeader);
    buffered.commit();
  }

  /**
   * Whether a refused request on HTTP/1.x announced a body the application will never read: the container is told to
   * close the connection after the answer, so that a client does not send its next request into a connection the
   * container drops (or behind the rest of an unread body).
   */
  private static boolean leavesBodyUnread(HttpServletRequest request) {
    String protocol = request.getProtocol();
    return protocol != null && protocol.startsWith("HTTP/1.")
        && (request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null);
  }

  /** The body stream; one that cannot be opened reads as failing, which the gate refuses (400) and audits. */
  private static InputStream body(HttpServletRequest request) {
    try {
      return request.getInputStream();
    } catch (IOException | RuntimeException e) {
      return new InputStream() {
        @Override
        public int read() throws IOException {
          throw new IOException("the request body could not be opened");
        }
      };
    }
  }

  private static GateRequest gateRequest(HttpServletRequest r) {
    HttpFields.Builder headers = HttpFields.builder();
    for (Enumeration<String> names = r.getHeaderNames(); names.hasMoreElements(); ) {
      String name = names.nextElement();
      for (Enumeration<String> values = r.getHeaders(name); values.hasMoreElements(); ) {
        headers.received(name, values.nextElement());
      }
    }
    String uri = r.getRequestURI() == null ? "/" : r.getRequestURI();
    String context = r.getContextPath() == null ? "" : r.getContextPath();
    String path = uri.startsWith(context) ? uri.substring(context.length()) : uri;
    String target = uri + (r.getQueryString() == null ? "" : "?" + r.getQueryString());
    String host = r.getHeader("Host");
    Object suite = r.getAttribute("jakarta.servlet.request.cipher_suite");
    return new GateRequest(r.getMethod() == null ? "" : r.getMethod(), path.isEmpty() ? "/" : path, r.isSecure(),
        r.getRemoteAddr() == null ? "unknown" : r.getRemoteAddr(), host == null ? null : host + target,
        headers.build(), Optional.ofNullable(suite instanceof String s ? s : null));
  }

  /** Writes the gate's answer: its status, its headers, its body; the same in every adapter. */
  private static void write(HttpServletResponse response, Outcome.Respond respond) throws IOException {
    respond.headers().forEach(response::setHeader);
    response.setStatus(respond.status());
    byte[] body = respond.body();
    if (body.length > 0) {
      response.setContentLength(body.length);
      response.getOutputStream().write(body);
    }
  }
}
