package dev.safeguards.examples.clinic.domain;

import dev.safeguards.Safeguards;
import dev.safeguards.access.AccessDeniedException;
import dev.safeguards.access.EmergencyAccess;
import dev.safeguards.access.EmergencyGrant;
import dev.safeguards.access.EmergencyRequest;
import dev.safeguards.alert.AlertException;
import dev.safeguards.audit.AuditAction;
import dev.safeguards.audit.AuditEvent;
import dev.safeguards.audit.AuditException;
import dev.safeguards.audit.AuditFilter;
import dev.safeguards.audit.AuditReview;
import dev.safeguards.compliance.ComplianceReport;
import dev.safeguards.gate.RequestAudit;
import dev.safeguards.identity.Principal;
import dev.safeguards.identity.UserId;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the clinic's endpoints do, free of any web framework: the JAX-RS resources and the Spring MVC controllers only
 * translate requests into these calls and results into responses. The gate has already authenticated the caller,
 * checked the session, decided the permission on the very patient (or an open emergency grant) and checked the JSON
 * body before any of these runs; it audits every call with its final status, and the minimum-necessary filter trims
 * every view to what authorised the caller.
 *
 * <p>Inputs are checked here, field by field: an {@link InvalidRequestException} names each field and what it must be,
 * never the value sent. Patient ids reach it from paths the gate has checked to be UUIDs.
 */
public final class ClinicService {

  /** A patient as a client sends it; all four fields are required. */
  public record PatientInput(String name, String dateOfBirth, String ssn, String diagnosis) {}

  /** A search by SSN, in the body so that no PHI appears in a URL or an access log. */
  public record SsnQuery(String ssn) {}

  /** A request to break the glass for one patient. */
  public record BreakGlassRequest(String patientId, String reason) {}

  /** A document to send as it is: its text and media type. */
  public record Document(String text, String mediaType) {}

  /** The most events one review returns; narrow the filter for more. */
  public static final int MAX_REVIEW_EVENTS = 1000;

  private static final Pattern SSN = Pattern.compile("\\d{3}-?\\d{2}-?\\d{4}");
  private static final String SSN_PROBLEM = "ssn: nine digits, as 123-45-6789 or 123456789";

  private final PatientStore store;
  private final EmergencyAccess emergency;
  private final AuditReview audit;
  private final Users users;
  private final Safeguards safeguards;

  /**
   * The clinic over {@code store}, opening emergency grants with {@code emergency}, reviewing the audit log through
   * {@code audit}, naming users from {@code users}, and reporting on {@code safeguards}.
   */
  public ClinicService(PatientStore store, EmergencyAccess emergency, AuditReview audit, Users users,
      Safeguards safeguards) {
    this.store = store;
    this.emergency = emergency;
    this.audit = audit;
    this.users = users;
    this.safeguards = safeguards;
  }

  /** Stores a new patient, signed by {@code author}; the request's audit event names the new id. */
  public UUID create(PatientInput input, UserId author, RequestAudit request)
      throws InvalidRequestException, SQLException {
    UUID id = store.create(fields(input), author);
    request.entity(PatientStore.TYPE, id.toString());
    return id;
  }

  /** The latest version of patient {@code id}; empty if there is none. */
  public Optional<Views.Patient> read(String id) throws SQLException, PatientStore.TamperedException {
    return store.read(UUID.fromString(id)).map(Views.Patient::of);
  }

  /** Stores the next version of patient {@code id}, signed by {@code author}; empty if there is no such patient. */
  public Optional<Views.Patient> update(String id, PatientInput input, UserId author)
      throws InvalidRequestException, SQLException, PatientStore.TamperedException {
    PatientStore.Fields fields = fields(input);
    UUID patient = UUID.fromString(id);
    if (!store.update(patient, fields, author)) {
      return Optional.empty();
    }
    return store.read(patient).map(Views.Patient::of);
  }

  /** Deletes patient {@code id}; false if there was none. */
  public boolean delete(String id) throws SQLException {
    return store.delete(UUID.fromString(id));
  }

  /** Every version of patient {@code id}, and whether each and the chain verify; empty if there is no such patient. */
  public Optional<Views.History> history(String id) throws SQLException, PatientStore.TamperedException {
    return store.history(UUID.fromString(id)).map(h -> Views.History.of(id, h));
  }

  /**
   * The patients whose SSN is the query's, found through the blind index; the request's audit event becomes a {@code
   * SEARCH} naming every patient returned.
   */
  public List<Views.Patient> search(SsnQuery query, RequestAudit request)
      throws InvalidRequestException, SQLException, PatientStore.TamperedException {
    if (query == null || query.ssn() == null || !SSN.matcher(query.ssn()).matches()) {
      throw new InvalidRequestException(List.of(SSN_PROBLEM));
    }
    request.action(AuditAction.SEARCH);
    List<Views.Patient> found = new ArrayList<>();
    for (UUID id : store.findBySsn(query.ssn())) {
      Optional<PatientStore.Version> v = store.read(id);
      if (v.isPresent()) {
        found.add(Views.Patient.of(v.get()));
        request.entity(PatientStore.TYPE, id.toString()); // every patient the search returned is in its event
      }
    }
    return found;
  }

  /**
   * Opens an emergency grant to one patient for {@code caller}: audited with its reason and alerted at once; it
   * expires on its own and is reviewed afterwards (164.312(a)(2)(ii)). Empty if there is no such patient.
   *
   * @throws AccessDeniedException if the caller may not break the glass
   */
  public Optional<Views.Grant> breakGlass(BreakGlassRequest request, Principal caller)
      throws InvalidRequestException, SQLException, PatientStore.TamperedException, AccessDeniedException,
      AlertException, AuditException {
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
      throw new InvalidRequestException(problems);
    }
    if (store.read(patient).isEmpty()) {
      return Optional.empty();
    }
    EmergencyGrant grant = emergency.open(caller, emergencyRequest);
    return Optional.of(new Views.Grant(grant.id(), patient.toString(), grant.expiresAt().toString()));
  }

  /**
   * The audit review: who did what to which patient, when (identifiers only), at most {@value #MAX_REVIEW_EVENTS}
   * events. Each filter is optional (null or empty): {@code user} a user name or user id, {@code patient} a patient's
   * id, {@code from} and {@code to} instants such as {@code 2026-11-23T10:15:30Z}.
   */
  public List<Views.AuditEntry> auditReview(String user, String patient, String from, String to)
      throws InvalidRequestException, AuditException, IOException {
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
        filter.resource(PatientStore.TYPE, patient.toLowerCase(Locale.ROOT));
      } else {
        problems.add("patient: a patient's id");
      }
    }
    instant(from, "from", problems).ifPresent(filter::from);
    instant(to, "to", problems).ifPresent(filter::to);
    if (!problems.isEmpty()) {
      throw new InvalidRequestException(problems);
    }
    List<Views.AuditEntry> entries = new ArrayList<>();
    try (Stream<AuditEvent> events = audit.events(filter.build())) {
      events.limit(MAX_REVIEW_EVENTS).forEach(e -> entries.add(Views.AuditEntry.of(e)));
    }
    return entries;
  }

  /**
   * The compliance evidence report of the running configuration (docs/compliance.md): JSON, or Markdown when {@code
   * format} is {@code markdown}. It holds settings and identifiers only, so it is sent as it is, unfiltered.
   */
  public Document compliance(String format) throws InvalidRequestException {
    ComplianceReport report = safeguards.complianceReport();
    if ("markdown".equals(format)) {
      return new Document(report.toMarkdown(), "text/markdown; charset=utf-8");
    }
    if (format != null && !format.isEmpty() && !"json".equals(format)) {
      throw new InvalidRequestException(List.of("format: json or markdown"));
    }
    return new Document(report.toJson(), "application/json");
  }

  /** The service's state. */
  public Views.Health health() {
    return new Views.Health("ok");
  }

  /** A patient's fields as {@code in} gives them, checked. */
  private static PatientStore.Fields fields(PatientInput in) throws InvalidRequestException {
    if (in == null) {
      throw new InvalidRequestException(
          List.of("the body is a JSON object with name, dateOfBirth, ssn and diagnosis"));
    }
    List<String> problems = new ArrayList<>();
    if (in.name() == null || in.name().isBlank() || in.name().length() > 200) {
      problems.add("name: 1 to 200 characters");
    }
    if (in.dateOfBirth() == null || !validDate(in.dateOfBirth())) {
      problems.add("dateOfBirth: a past date as YYYY-MM-DD");
    }
    if (in.ssn() == null || !SSN.matcher(in.ssn()).matches()) {
      problems.add(SSN_PROBLEM);
    }
    if (in.diagnosis() == null || in.diagnosis().isBlank() || in.diagnosis().length() > 2000) {
      problems.add("diagnosis: 1 to 2000 characters");
    }
    if (!problems.isEmpty()) {
      throw new InvalidRequestException(problems);
    }
    return new PatientStore.Fields(in.name().strip(), in.dateOfBirth(), in.ssn(), in.diagnosis().strip());
  }

  private static boolean validDate(String text) {
    try {
      LocalDate d = LocalDate.parse(text);
      return text.length() == 10 && d.isBefore(LocalDate.now().plusDays(1)) && d.getYear() >= 1850;
    } catch (DateTimeParseException e) {
      return false;
    }
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

  private static boolean isUuid(String text) {
    try {
      return UUID.fromString(text).toString().equalsIgnoreCase(text);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
