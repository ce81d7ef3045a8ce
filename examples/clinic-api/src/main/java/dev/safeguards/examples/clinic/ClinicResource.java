package dev.safeguards.examples.clinic;

import dev.safeguards.access.AccessDeniedException;
import dev.safeguards.alert.AlertException;
import dev.safeguards.annotation.Logout;
import dev.safeguards.annotation.RequiresPermission;
import dev.safeguards.audit.AuditException;
import dev.safeguards.examples.clinic.domain.ClinicService;
import dev.safeguards.examples.clinic.domain.InvalidRequestException;
import dev.safeguards.examples.clinic.domain.PatientStore;
import dev.safeguards.examples.clinic.domain.Views;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;

/** Health, logout, break-glass, the administrator's audit review and compliance report. */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class ClinicResource {

  private final ClinicService clinic;

  @Inject
  ClinicResource(ClinicService clinic) {
    this.clinic = clinic;
  }

  /**
   * The compliance evidence report of the running configuration (docs/compliance.md): JSON, or Markdown with
   * {@code ?format=markdown}. It holds settings and identifiers only, so it is sent as it is, unfiltered.
   */
  @GET
  @Path("compliance")
  @Produces({MediaType.APPLICATION_JSON, "text/markdown"})
  @RequiresPermission("compliance:read")
  public Response compliance(@QueryParam("format") String format) {
    try {
      ClinicService.Document report = clinic.compliance(format);
      return Response.ok(report.text().getBytes(StandardCharsets.UTF_8), report.mediaType()).build();
    } catch (InvalidRequestException e) {
      return PatientResource.badRequest(e);
    }
  }

  @GET
  @Path("health")
  @PermitAll
  public Views.Health health() {
    return clinic.health();
  }

  /** The gate answers this itself: it ends the session (204) and revokes the token; this method never runs. */
  @POST
  @Path("logout")
  @Logout
  public void logout() {
    throw new IllegalStateException("the gate answers logout");
  }

  /**
   * Opens an emergency grant to one patient: audited with its reason and alerted at once; it expires on its own and
   * is reviewed afterwards (164.312(a)(2)(ii)).
   */
  @POST
  @Path("break-glass")
  @Consumes(MediaType.APPLICATION_JSON)
  @RequiresPermission("emergency:open")
  public Response breakGlass(ClinicService.BreakGlassRequest request, @Context SecurityContext caller)
      throws SQLException, PatientStore.TamperedException, AlertException, AuditException {
    try {
      Views.Grant grant = clinic.breakGlass(request, PatientResource.principal(caller))
          .orElseThrow(NotFoundException::new);
      return Response.status(201).entity(grant).build();
    } catch (InvalidRequestException e) {
      return PatientResource.badRequest(e);
    } catch (AccessDeniedException e) {
      throw new ForbiddenException();
    }
  }

  /** The audit review: who did what to which patient, when (identifiers only). */
  @GET
  @Path("audit")
  @RequiresPermission("audit:read")
  public Response audit(@QueryParam("user") String user, @QueryParam("patient") String patient,
      @QueryParam("from") String from, @QueryParam("to") String to) throws AuditException, IOException {
    try {
      return Response.ok(clinic.auditReview(user, patient, from, to)).build();
    } catch (InvalidRequestException e) {
      return PatientResource.badRequest(e);
    }
  }
}
