package dev.safeguards.examples.clinic;

import dev.safeguards.annotation.AuditedResource;
import dev.safeguards.annotation.BreakGlassAllowed;
import dev.safeguards.annotation.RequiresPermission;
import dev.safeguards.audit.AuditAction;
import dev.safeguards.gate.RequestAudit;
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
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The patient endpoints. The gate has already authenticated the caller, checked the session, decided the permission
 * on this very patient (or an open emergency grant, where {@code @BreakGlassAllowed}) and checked the JSON body
 * before a method runs; it audits every call with its final status, and the minimum-necessary filter trims every
 * response to the caller's roles.
 */
@Path("/patients")
@Produces(MediaType.APPLICATION_JSON)
public class PatientResource {

  /** A patient as a client sends it; all four fields are required. */
  public record PatientInput(String name, String dateOfBirth, String ssn, String diagnosis) {}

  /** A search by SSN, in the body so that no PHI appears in a URL or an access log. */
  public record SsnQuery(String ssn) {}

  private static final Pattern SSN = Pattern.compile("\\d{3}-?\\d{2}-?\\d{4}");

  private final PatientStore store;

  @Inject
  PatientResource(PatientStore store) {
    this.store = store;
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @RequiresPermission("patient:create")
  public Response create(PatientInput input, @Context SecurityContext caller, @Context UriInfo uri)
      throws SQLException {
    List<String> problems = check(input);
    if (!problems.isEmpty()) {
      return badRequest(problems);
    }
    UUID id = store.create(fields(input), principal(caller).userId());
    SafeguardsFeature.audit().entity(PatientStore.TYPE, id.toString()); // the audit event names the new patient
    return Response.created(uri.getAbsolutePathBuilder().path(id.toString()).build())
        .entity(new Views.Created(id.toString())).build();
  }

  @GET
  @Path("{id}")
  @RequiresPermission("patient:read")
  @AuditedResource(type = PatientStore.TYPE, idParam = "id", uuid = true)
  @BreakGlassAllowed
  public Views.Patient read(@PathParam("id") String id) throws SQLException, PatientStore.TamperedException {
    return view(store.read(UUID.fromString(id)).orElseThrow(NotFoundException::new));
  }

  @PUT
  @Path("{id}")
  @Consumes(MediaType.APPLICATION_JSON)
  @RequiresPermission("patient:update")
  @AuditedResource(type = PatientStore.TYPE, idParam = "id", uuid = true)
  public Response update(@PathParam("id") String id, PatientInput input, @Context SecurityContext caller)
      throws SQLException, PatientStore.TamperedException {
    List<String> problems = check(input);
    if (!problems.isEmpty()) {
      return badRequest(problems);
    }
    UUID patient = UUID.fromString(id);
    if (!store.update(patient, fields(input), principal(caller).userId())) {
      throw new NotFoundException();
    }
    return Response.ok(view(store.read(patient).orElseThrow(NotFoundException::new))).build();
  }

  @DELETE
  @Path("{id}")
  @RequiresPermission("patient:delete")
  @AuditedResource(type = PatientStore.TYPE, idParam = "id", uuid = true)
  public Response delete(@PathParam("id") String id) throws SQLException {
    if (!store.delete(UUID.fromString(id))) {
      throw new NotFoundException();
    }
    return Response.noContent().build();
  }

  @GET
  @Path("{id}/history")
  @RequiresPermission("patient:history")
  @AuditedResource(type = PatientStore.TYPE, idParam = "id", uuid = true)
  public Views.History history(@PathParam("id") String id) throws SQLException, PatientStore.TamperedException {
    PatientStore.History h = store.history(UUID.fromString(id)).orElseThrow(NotFoundException::new);
    List<Views.Version> versions = new ArrayList<>();
    for (PatientStore.Version v : h.versions()) {
      PatientStore.Fields f = v.fields();
      versions.add(new Views.Version(v.signature().version(), v.signature().author().toString(),
          v.signature().signedAt().toString(), v.verified(), f.name(), f.dateOfBirth(), f.ssn(), f.diagnosis()));
    }
    return new Views.History(id, h.chainVerified(), versions);
  }

  @POST
  @Path("search")
  @Consumes(MediaType.APPLICATION_JSON)
  @RequiresPermission("patient:search")
  public Response search(SsnQuery query) throws SQLException, PatientStore.TamperedException {
    if (query == null || query.ssn() == null || !SSN.matcher(query.ssn()).matches()) {
      return badRequest(List.of("ssn: nine digits, as 123-45-6789 or 123456789"));
    }
    RequestAudit audit = SafeguardsFeature.audit().action(AuditAction.SEARCH);
    List<Views.Patient> found = new ArrayList<>();
    for (UUID id : store.findBySsn(query.ssn())) {
      store.read(id).ifPresent(v -> {
        found.add(view(v));
        audit.entity(PatientStore.TYPE, id.toString()); // every patient the search returned is in its audit event
      });
    }
    return Response.ok(found).build();
  }

  static Principal principal(SecurityContext caller) {
    return (Principal) caller.getUserPrincipal();
  }

  private static Views.Patient view(PatientStore.Version v) {
    PatientStore.Fields f = v.fields();
    return new Views.Patient(v.id().toString(), v.signature().version(), v.signature().author().toString(),
        v.signature().signedAt().toString(), f.name(), f.dateOfBirth(), f.ssn(), f.diagnosis());
  }

  private static PatientStore.Fields fields(PatientInput in) {
    return new PatientStore.Fields(in.name().strip(), in.dateOfBirth(), in.ssn(), in.diagnosis().strip());
  }

  /** What is wrong with a patient, naming the fields and never echoing their values. */
  private static List<String> check(PatientInput in) {
    if (in == null) {
      return List.of("the body is a JSON object with name, dateOfBirth, ssn and diagnosis");
    }
    List<String> problems = new ArrayList<>();
    if (in.name() == null || in.name().isBlank() || in.name().length() > 200) {
      problems.add("name: 1 to 200 characters");
    }
    if (in.dateOfBirth() == null || !validDate(in.dateOfBirth())) {
      problems.add("dateOfBirth: a past date as YYYY-MM-DD");
    }
    if (in.ssn() == null || !SSN.matcher(in.ssn()).matches()) {
      problems.add("ssn: nine digits, as 123-45-6789 or 123456789");
    }
    if (in.diagnosis() == null || in.diagnosis().isBlank() || in.diagnosis().length() > 2000) {
      problems.add("diagnosis: 1 to 2000 characters");
    }
    return problems;
  }

  private static boolean validDate(String text) {
    try {
      LocalDate d = LocalDate.parse(text);
      return text.length() == 10 && d.isBefore(LocalDate.now().plusDays(1)) && d.getYear() >= 1850;
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  static Response badRequest(List<String> problems) {
    return Response.status(400).type(Problem.MEDIA_TYPE)
        .entity(new Problem(400, "Bad Request", String.join("; ", problems)).body()).build();
  }
}
