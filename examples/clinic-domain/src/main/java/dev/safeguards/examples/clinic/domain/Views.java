package dev.safeguards.examples.clinic.domain;

import dev.safeguards.access.FieldClassification;
import dev.safeguards.access.MinimumNecessary;
import dev.safeguards.access.PhiCategory;
import dev.safeguards.audit.AuditEvent;
import dev.safeguards.identity.UserId;
import java.util.ArrayList;
import java.util.List;

/**
 * What the API returns, and which of it is PHI. Every JSON document the clinic sends goes through the minimum-necessary
 * filter, so every field of every response is classified here: a field added later without a classification is
 * dropped, not leaked.
 */
public final class Views {

  private Views() {}

  /** A patient's latest version. */
  public record Patient(String id, long version, String author, String signedAt, String name, String dateOfBirth,
      String ssn, String diagnosis) {

    /** The view of {@code v}, a patient's latest version as the store read it. */
    public static Patient of(PatientStore.Version v) {
      PatientStore.Fields f = v.fields();
      return new Patient(v.id().toString(), v.signature().version(), v.signature().author().toString(),
          v.signature().signedAt().toString(), f.name(), f.dateOfBirth(), f.ssn(), f.diagnosis());
    }
  }

  /** One version in a patient's history. */
  public record Version(long version, String author, String signedAt, boolean verified, String name,
      String dateOfBirth, String ssn, String diagnosis) {}

  /** A patient's history. */
  public record History(String id, boolean chainVerified, List<Version> versions) {

    /** The view of patient {@code id}'s history {@code h}: every version, and whether each and the chain verify. */
    public static History of(String id, PatientStore.History h) {
      List<Version> versions = new ArrayList<>();
      for (PatientStore.Version v : h.versions()) {
        PatientStore.Fields f = v.fields();
        versions.add(new Version(v.signature().version(), v.signature().author().toString(),
            v.signature().signedAt().toString(), v.verified(), f.name(), f.dateOfBirth(), f.ssn(), f.diagnosis()));
      }
      return new History(id, h.chainVerified(), versions);
    }
  }

  /** The id of what was created. */
  public record Created(String id) {}

  /** An open emergency grant. */
  public record Grant(String grantId, String patientId, String expiresAt) {}

  /** One audit event, flattened for review (audit events hold identifiers only, never PHI). */
  public record AuditEntry(String eventId, String recorded, String action, String subtype, String outcome,
      int httpStatus, String user, List<String> roles, String session, String address, List<String> entities,
      String rule, String emergencyGrant, List<String> purposeOfUse, String justification) {

    /** The review's view of event {@code e}. */
    public static AuditEntry of(AuditEvent e) {
      List<String> entities = e.entities().stream().map(x -> x.type() + "/" + x.id()).toList();
      return new AuditEntry(e.id().toString(), e.recorded().toString(), e.action().name(),
          e.subtype().orElse(null), e.outcome().name(), e.httpStatus().orElse(0),
          e.actor().user().map(UserId::toString).orElse(null), List.copyOf(e.actor().roles()),
          e.actor().sessionId().orElse(null), e.actor().sourceAddress().orElse(null), entities,
          e.rule().orElse(null), e.emergencyGrant().orElse(null), List.copyOf(e.purposeOfUse()),
          e.justification().orElse(null));
    }
  }

  /** The service's state. */
  public record Health(String status) {}

  /** The classification of every response field. */
  public static final FieldClassification FIELDS =
      patientFields(patientFields(FieldClassification.builder(), ""), "versions.")
      .notPhi("id").notPhi("chainVerified")
      .notPhi("grantId").notPhi("patientId").notPhi("expiresAt")
      .notPhi("eventId").notPhi("recorded").notPhi("action").notPhi("subtype").notPhi("outcome")
      .notPhi("httpStatus").notPhi("user").notPhi("roles").notPhi("session").notPhi("address").notPhi("entities")
      .notPhi("rule").notPhi("emergencyGrant").notPhi("purposeOfUse")
      // The one free-text field of an audit event: the reason an emergency grant was opened, which its reviewers
      // (admin) must read. Clinicians are told not to write PHI there.
      .notPhi("justification")
      .notPhi("status")
      .build();

  /** A patient's fields, at the top level or inside each element of {@code versions}. */
  private static FieldClassification.Builder patientFields(FieldClassification.Builder b, String prefix) {
    return b.phi(prefix + "name", PhiCategory.DEMOGRAPHIC)
        .phi(prefix + "dateOfBirth", PhiCategory.DEMOGRAPHIC)
        .phi(prefix + "ssn", PhiCategory.IDENTIFIER)
        .phi(prefix + "diagnosis", PhiCategory.CLINICAL)
        .notPhi(prefix + "version").notPhi(prefix + "author").notPhi(prefix + "signedAt")
        .notPhi(prefix + "verified");
  }

  /**
   * Who sees what: clinicians everything; billing the demographics (no SSN, no diagnosis); nurses everything, but
   * they reach a patient only through an open emergency grant; admins no PHI at all.
   */
  public static final MinimumNecessary MINIMUM_NECESSARY = MinimumNecessary.builder(FIELDS)
      .role(Roles.CLINICIAN, PhiCategory.values())
      .role(Roles.NURSE, PhiCategory.values())
      .role(Roles.BILLING, PhiCategory.DEMOGRAPHIC)
      .build();
}
