package dev.safeguards.examples.clinic;

import dev.safeguards.annotation.AuditedResource;
import dev.safeguards.annotation.BreakGlassAllowed;
import dev.safeguards.annotation.RequiresPermission;
import dev.safeguards.examples.clinic.domain.ClinicService;
import dev.safeguards.examples.clinic.domain.InvalidRequestException;
import dev.safeguards.examples.clinic.domain.PatientStore;
import dev.safeguards.examples.clinic.domain.Views;
import dev.safeguards.http.Problem;
import dev.safeguards.identity.Principal;
import dev.safeguards.jaxrs.SafeguardsFeature;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.sql.SQLException;
import java.util.UUID;

/**
 * The patient endpoints, translated to the {@link ClinicService}. The gate has already authenticated the caller,
 * checked the session, decided the permission on this very patient (or an open emergency grant, where {@code
 * @BreakGlassAllowed}) and checked the JSON body before a method runs; it audits every call with its final status,
 * and the minimum-necessary filter trims every response to the caller's roles.
 */
@Path("/patients")
@Produces(MediaType.APPLICATION_JSON)
public class PatientResource {

  private final ClinicService clinic;

  @Inject
  PatientResource(ClinicService clinic) {
    this.clinic = clinic;
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @RequiresPermission("patient:create")
  public Response create(ClinicService.PatientInput input, @Context SecurityContext caller, @Context UriInfo uri)
      throws SQLException {
    try {
      UUID id = clinic.create(input, principal(caller).userId(), SafeguardsFeature.audit());
      return Response.created(uri.getAbsolutePathBuilder().path(id.toString()).build())
          .entity(new Views.Created(id.toString())).build();
    } catch (InvalidRequestException e) {
      return badRequest(e);
    }
  }

  @GET
  @Path("{id}")
  @RequiresPermission("patient:read")
  @AuditedResource(type = PatientStore.TYPE, idParam = "id", uuid = true)
  @BreakGlassAllowed
  public Views.Patient read(@PathParam("id") String id) throws SQLException, PatientStore.TamperedException {
    return clinic.read(id).orElseThrow(NotFoundException::new);
  }

  @PUT
  @Path("{id}")
  @Consumes(MediaType.APPLICATION_JSON)
  @RequiresPermission("patient:update")
  @AuditedResource(type = PatientStore.TYPE, idParam = "id", uuid = true)
  public Response update(@PathParam("id") String id, ClinicService.PatientInput input,
      @Context SecurityContext caller) throws SQLException, PatientStore.TamperedException {
    try {
      return Response.ok(clinic.update(id, input, principal(caller).userId()).orElseThrow(NotFoundException::new))
          .build();
    } catch (InvalidRequestException e) {
      return badRequest(e);
    }
  }

  @DELETE
  @Path("{id}")
  @RequiresPermission("patient:delete")
  @AuditedResource(type = PatientStore.TYPE, idParam = "id", uuid = true)
  public Response delete(@PathParam("id") String id) throws SQLException {
    if (!clinic.delete(id)) {
      throw new NotFoundException();
    }
    return Response.noContent().build();
  }

  @GET
  @Path("{id}/history")
  @RequiresPermission("patient:history")
  @AuditedResource(type = PatientStore.TYPE, idParam = "id", uuid = true)
  public Views.History history(@PathParam("id") String id) throws SQLException, PatientStore.TamperedException {
    return clinic.history(id).orElseThrow(NotFoundException::new);
  }

  @POST
  @Path("search")
  @Consumes(MediaType.APPLICATION_JSON)
  @RequiresPermission("patient:search")
  public Response search(ClinicService.SsnQuery query) throws SQLException, PatientStore.TamperedException {
    try {
      return Response.ok(clinic.search(query, SafeguardsFeature.audit())).build();
    } catch (InvalidRequestException e) {
      return badRequest(e);
    }
  }

  static Principal principal(SecurityContext caller) {
    return (Principal) caller.getUserPrincipal();
  }

  /** A 400 problem naming what is wrong with the request, never echoing its values. */
  static Response badRequest(InvalidRequestException e) {
    return Response.status(400).type(Problem.MEDIA_TYPE).entity(e.problem().body()).build();
  }
}
