package dev.safeguards.jaxrs;

import dev.safeguards.Safeguards;
import dev.safeguards.access.MinimumNecessary;
import dev.safeguards.annotation.AuditedResource;
import dev.safeguards.annotation.BreakGlassAllowed;
import dev.safeguards.annotation.Logout;
import dev.safeguards.annotation.RequiresPermission;
import dev.safeguards.annotation.Unannotated;
import dev.safeguards.gate.Exchange;
import dev.safeguards.gate.Gate;
import dev.safeguards.gate.RequestAudit;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Feature;
import jakarta.ws.rs.core.FeatureContext;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The JAX-RS adapter: {@code register(SafeguardsFeature.create(safeguards))} runs every request through the
 * Safeguards {@link Gate} (45 CFR 164.312).
 *
 * <p>At deployment it derives each resource method's requirements from its annotations ({@link RequiresPermission},
 * {@code @RolesAllowed}, {@code @PermitAll}, {@code @DenyAll}, {@link AuditedResource}, {@link BreakGlassAllowed},
 * {@link Logout}) and refuses to deploy a method without an access annotation unless a default was chosen ({@link
 * Builder#unannotated}). At run time a request filter at the AUTHENTICATION priority runs the gate for the matched
 * method and sets the {@code SecurityContext}; a response filter writes the one audit event with the final status
 * (and answers 503 if it cannot be written); exception mappers answer with RFC 9457 problems that carry no internals;
 * a writer interceptor adds {@code Content-Digest} when asked and, if configured, removes the fields the caller's roles
 * may not see. Requests no resource method matches are audited too.
 *
 * <p>The gate needs the direct peer's address to decide whether forwarding headers are believed; JAX-RS does not
 * expose it, so a container-specific filter must put it in the request property {@value #PEER_ADDRESS} (and the TLS
 * suite in {@value #CIPHER_SUITE}, the protocol in {@value #PROTOCOL}); {@link ServletConnections} does so in servlet
 * containers ({@link Builder#servletConnections()}). Without it, no proxy is trusted and the address is recorded as
 * {@code unknown}.
 *
 * <p>When the gate refuses an HTTP/1.x request that announced a body ({@code Content-Length} above zero or a {@code
 * Transfer-Encoding}), the application never read that body, so the refusal carries {@code Connection: close}: the
 * container then closes the connection after the answer instead of a client sending its next request into a
 * connection the container may drop (or into the rest of an unread body). This needs {@value #PROTOCOL}.
 */
public final class SafeguardsFeature implements Feature {

  /** The request property holding the direct peer's IP address. */
  public static final String PEER_ADDRESS = "dev.safeguards.jaxrs.peerAddress";
  /** The request property holding the negotiated TLS cipher suite. */
  public static final String CIPHER_SUITE = "dev.safeguards.jaxrs.cipherSuite";
  /** The request property holding the protocol of the request line, such as {@code HTTP/1.1}. */
  public static final String PROTOCOL = "dev.safeguards.jaxrs.protocol";

  private final Safeguards safeguards;
  private final Gate gate;
  private final Unannotated unannotated;
  private final Optional<MinimumNecessary> minimumNecessary;
  private final boolean servletConnections;

  private SafeguardsFeature(Builder b) {
    this.safeguards = b.safeguards;
    this.gate = b.safeguards.gate();
    this.unannotated = b.unannotated;
    this.minimumNecessary = Optional.ofNullable(b.minimumNecessary);
    this.servletConnections = b.servletConnections;
  }

  /**
   * Where a resource method names the audit action and the records its request touched (164.312(b)): e.g. {@code
   * SafeguardsFeature.audit().action(AuditAction.SEARCH).entity("Patient", id)} for every patient a search returned,
   * or the id a create made. They join the request's one audit event. Call it from the resource method, on the thread
   * that runs it (before an asynchronous response is resumed elsewhere).
   *
   * @return the audit details of the request being handled on this thread
   * @throws IllegalStateException if no request that passed the gate is being handled on this thread
   */
  public static RequestAudit audit() {
    Exchange exchange = GateRequests.CURRENT.get();
    if (exchange == null) {
      throw new IllegalStateException("no request that passed the Safeguards gate is handled on this thread");
    }
    return exchange.audit();
  }

  /**
   * The feature for {@code safeguards}, refusing unannotated resource methods.
   *
   * @param safeguards whose gate every request runs through
   * @return the feature, to register with the JAX-RS application
   * @throws NullPointerException if {@code safeguards} is null
   */
  public static SafeguardsFeature create(Safeguards safeguards) {
    return builder(safeguards).build();
  }

  /**
   * Starts configuring the feature.
   *
   * @param safeguards whose gate every request runs through
   * @return a builder with the defaults: unannotated methods refused, no field filtering, no servlet connection data
   * @throws NullPointerException if {@code safeguards} is null
   */
  public static Builder builder(Safeguards safeguards) {
    return new Builder(safeguards);
  }

  @Override
  public boolean configure(FeatureContext context) {
    ResourceRoutes routes = new ResourceRoutes(unannotated);
    if (servletConnections) {
      context.register(new ServletConnections(), Priorities.AUTHENTICATION - 100);
    }
    context.register((DynamicFeature) (ResourceInfo info, FeatureContext methodContext) ->
        routes.add(info.getResourceClass(), info.getResourceMethod()).ifPresent(route -> {
          safeguards.registerEndpoints(List.of(route)); // the endpoint inventory of the compliance report
          methodContext.register(new GateRequestFilter(gate, route), Priorities.AUTHENTICATION);
        }));
    context.register(new GateResponseFilter(gate, routes), Priorities.AUTHENTICATION);
    context.register(new ProblemExceptionMapper());
    // Before Jackson's own mappers, which would answer text/plain naming classes and properties.
    context.register(new JsonProblemMappers.Parse(), 1);
    context.register(new JsonProblemMappers.Mapping(), 1);
    context.register(new GateWriterInterceptor(minimumNecessary));
    return true;
  }

  /** Configures a {@link SafeguardsFeature}. */
  public static final class Builder {
    private final Safeguards safeguards;
    private Unannotated unannotated = Unannotated.REFUSE;
    private MinimumNecessary minimumNecessary;
    private boolean servletConnections;

    private Builder(Safeguards safeguards) {
      this.safeguards = Objects.requireNonNull(safeguards, "safeguards");
    }

    /**
     * What to do with resource methods without an access annotation; {@link Unannotated#REFUSE} unless set.
     *
     * @param value the default for unannotated resource methods
     * @return this builder
     * @throws NullPointerException if {@code value} is null
     */
    public Builder unannotated(Unannotated value) {
      unannotated = Objects.requireNonNull(value, "unannotated");
      return this;
    }

    /**
     * Filters every entity a protected resource method returns as an object to what authorised the request may see
     * (the roles that granted its permission, or the emergency grant), written as JSON ({@code application/json} or
     * any {@code +json} type, such as {@code application/fhir+json}). An object to be written as anything else is
     * refused (500) rather than sent unfiltered; text, bytes and streams the resource writes itself are sent as they
     * are, and it must keep them free of PHI the caller may not see.
     *
     * @param value which PHI categories each role may see
     * @return this builder
     * @throws NullPointerException if {@code value} is null
     */
    public Builder minimumNecessary(MinimumNecessary value) {
      minimumNecessary = Objects.requireNonNull(value, "minimumNecessary");
      return this;
    }

    /**
     * Reads the peer address and TLS suite from the servlet request (Jersey or RESTEasy in a servlet container).
     *
     * @return this builder
     */
    public Builder servletConnections() {
      servletConnections = true;
      return this;
    }

    /**
     * The feature as configured so far; the builder may go on to build others.
     *
     * @return a new feature
     */
    public SafeguardsFeature build() {
      return new SafeguardsFeature(this);
    }
  }
}
