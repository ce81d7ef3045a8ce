package dev.safeguards.examples.clinic;

import dev.safeguards.Safeguards;
import dev.safeguards.access.AccessDeniedException;
import dev.safeguards.access.EmergencyAccess;
import dev.safeguards.access.EmergencyGrant;
import dev.safeguards.access.EmergencyRequest;
import dev.safeguards.alert.AlertException;
import dev.safeguards.annotation.Logout;
import dev.safeguards.annotation.RequiresPermission;
import dev.safeguards.audit.AuditEntity;
import dev.safeguards.audit.AuditEvent;
import dev.safeguards.audit.AuditException;
import dev.safeguards.audit.AuditFilter;
import dev.safeguards.audit.AuditReview;
import dev.safeguards.compliance.ComplianceReport;
import dev.safeguards.identity.UserId;
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
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/** Health, logout, break-glass and the administrator's audit review. */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class ClinicResource {

  /** A request to break the glass for one patient. */
  public record BreakGlassRequest(String patientId, String reason) {}

  /** The most events one review returns; narrow the filter for more. */
  static final int MAX_REVIEW_EVENTS = 1000;

  /** What this resource needs beside the patient store. */
  record Services(EmergencyAccess emergency, AuditReview audit, Users users, Safeguards safeguards) {}

  private final PatientStore store;
  private final EmergencyAccess emergency;
  private final AuditReview audit;
  private final Users users;
  private final Safeguards safeguards;

  @Inject
  ClinicResource(PatientStore store, Services services) {
    this.store = store;
    this.emergency = services.emergency();
    this.audit = services.audit();
    this.users = services.users();
    this.safeguards = services.safeguards();
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
    ComplianceReport report = safeguards.complianceReport();
    if ("markdown".equals(format)) {
      return Response.ok(report.toMarkdown().getBytes(StandardCharsets.UTF_8), "text/markdown; charset=utf-8").build();
    }
    if (format != null && !format.isEmpty() && !"json".equals(format)) {
      return PatientResource.badRequest(List.of("format: json or markdown"));
    }
    return Response.ok(report.toJson().getBytes(StandardCharsets.UTF_8), MediaType.APPLICATION_JSON).build();
  }

  @GET
  @Path("health")
  @PermitAll
  public Views.Health health() {
    return new Views.Health("ok");
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
  public Response breakGlass(BreakGlassRequest request, @Context SecurityContext caller)
      throws SQLException, PatientStore.TamperedException, AlertException, AuditException {
    List<String> problems = new ArrayList<>();
    UUID patient = null;
    if (request == null || request.patientId() == null || !isUuid(request.patientId())) {
      problems.add("patientId: a patient's id");
    } else {
      patient = UUID.fromString(request.patientId());
    }
    EmergencyRequest emergencyRequest = null;
    try {
      emergencyRequest = EmergencyRequest.forResource(patient == null ? "-" : patient.toString(),
          request == null ? null : request.reason());
    } catch (IllegalArgumentException e) {
      problems.add("reason: why, in at least " + EmergencyRequest.MIN_REASON_LETTERS + " letters, at most "
          + EmergencyRequest.MAX_REASON + " characters, no control characters (never PHI)");
    }
    if (!problems.isEmpty()) {
      return PatientResource.badRequest(problems);
    }
    if (store.read(patient).isEmpty()) {
      throw new NotFoundException();
    }
    try {
      EmergencyGrant grant = emergency.open(PatientResource.principal(caller), emergencyRequest);
      return Response.status(201).entity(new Views.Grant(grant.id(), patient.toString(),
          grant.expiresAt().toString())).build();
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
    AuditFilter.Builder filter = AuditFilter.builder();
    List<String> problems = new ArrayList<>();
    if (user != null && !user.isEmpty()) {
      Optional<UserId> id = isUuid(user) ? Optional.of(UserId.parse(user)) : knownUser(user);
      if (id.isEmpty()) {
        problems.add("user: a user name or user id this clinic knows");
      } else {
        filter.user(id.get());
      }
    }
    if (patient != null && !patient.isEmpty()) {
      if (isUuid(patient)) {
        filter.resource(PatientStore.TYPE, patient.toLowerCase(java.util.Locale.ROOT));
      } else {
        problems.add("patient: a patient's id");
      }
    }
    instant(from, "from", problems).ifPresent(filter::from);
    instant(to, "to", problems).ifPresent(filter::to);
    if (!problems.isEmpty()) {
      return PatientResource.badRequest(problems);
    }
    List<Views.AuditEntry> entries = new ArrayList<>();
    try (Stream<AuditEvent> events = audit.events(filter.build())) {
      events.limit(MAX_REVIEW_EVENTS).forEach(e -> entries.add(entry(e)));
    }
    return Response.ok(entries).build();
  }

  private Optional<UserId> knownUser(String name) throws IOException {
    try {
      return users.find(Users.checkName(name));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static Optional<Instant> instant(String text, String name, List<String> problems) {
    if (text == null || text.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(text));
    } catch (DateTimeParseException e) {
      problems.add(name + ": an instant such as 2026-11-23T10:15:30Z");
      return Optional.empty();
    }
  }

  private static Views.AuditEntry entry(AuditEvent e) {
    List<String> entities = e.entities().stream().map(ClinicResource::entity).toList();
    return new Views.AuditEntry(e.id().toString(), e.recorded().toString(), e.action().name(),
        e.subtype().orElse(null), e.outcome().name(), e.httpStatus().orElse(0),
        e.actor().user().map(UserId::toString).orElse(null), List.copyOf(e.actor().roles()),
        e.actor().sessionId().orElse(null), e.actor().sourceAddress().orElse(null), entities,
        e.rule().orElse(null), e.emergencyGrant().orElse(null), List.copyOf(e.purposeOfUse()),
        e.justification().orElse(null));
  }

  private static String entity(AuditEntity entity) {
    return entity.type() + "/" + entity.id();
  }

  private static boolean isUuid(String text) {
    try {
      return UUID.fromString(text).toString().equalsIgnoreCase(text);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
