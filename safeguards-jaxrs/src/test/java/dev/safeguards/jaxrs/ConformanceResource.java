package dev.safeguards.jaxrs;

import dev.safeguards.annotation.AuditedResource;
import dev.safeguards.annotation.Logout;
import dev.safeguards.annotation.RequiresPermission;
import dev.safeguards.audit.AuditAction;
import dev.safeguards.conformance.ConformanceSuite;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

/** The application the conformance suite expects, as a JAX-RS resource (see ConformanceSuite). */
@Path("/")
public class ConformanceResource {

  @GET
  @Path("health")
  @PermitAll
  @Produces(MediaType.TEXT_PLAIN)
  public String health() {
    return "ok";
  }

  @GET
  @Path("patients/{id}")
  @RequiresPermission("patient:read")
  @AuditedResource(type = "Patient", idParam = "id", uuid = true)
  @Produces(MediaType.APPLICATION_JSON)
  public String patient(@PathParam("id") String id, @Context SecurityContext security) {
    return "{\"id\":\"" + id + "\",\"name\":\"Jane Roe\",\"diagnosis\":\"E11.9\",\"reader\":\""
        + (security.getUserPrincipal() instanceof dev.safeguards.identity.Principal p ? p.userId().toString() : "untyped") + "\",\"clinician\":" + security.isUserInRole("clinician") + "}";
  }

  @POST
  @Path("patients")
  @RequiresPermission("patient:create")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  public Response create(byte[] body) {
    ConformanceSuite.WRITES.incrementAndGet();
    SafeguardsFeature.audit().entity("Patient", ConformanceSuite.CREATED);
    return Response.status(201).entity("{\"received\":" + body.length + "}").build();
  }

  @POST
  @Path("patients/search")
  @RequiresPermission("patient:read")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  public String search(byte[] body) {
    SafeguardsFeature.audit().action(AuditAction.SEARCH).entity("Patient", ConformanceSuite.PATIENT)
        .entity("Patient", ConformanceSuite.OTHER_PATIENT);
    return "[]";
  }

  @GET
  @Path("boom")
  @RequiresPermission("patient:read")
  public String boom() {
    throw new IllegalStateException("Jane Roe's chart exploded");
  }

  @GET
  @Path("missing")
  @RequiresPermission("patient:read")
  public String missing() {
    throw new NotFoundException("no chart for Jane Roe");
  }

  @POST
  @Path("logout")
  @Logout
  public void logout() {
    throw new IllegalStateException("the gate answers logout itself");
  }
}
