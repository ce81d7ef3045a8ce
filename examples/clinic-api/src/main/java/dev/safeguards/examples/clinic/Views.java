package dev.safeguards.examples.clinic;

import dev.safeguards.access.FieldClassification;
import dev.safeguards.access.MinimumNecessary;
import dev.safeguards.access.PhiCategory;
import java.util.List;

/**
 * What the API returns, and which of it is PHI. Every JSON document the clinic sends goes through the minimum-necessary
 * filter, so every field of every response is classified here: a field added later without a classification is
 * dropped, not leaked.
 */
final class Views {

  private Views() {}

  /** A patient's latest version. */
  record Patient(String id, long version, String author, String signedAt, String name, String dateOfBirth,
      String ssn, String diagnosis) {}

  /** One version in a patient's history. */
  record Version(long version, String author, String signedAt, boolean verified, String name, String dateOfBirth,
      String ssn, String diagnosis) {}

  /** A patient's history. */
  record History(String id, boolean chainVerified, List<Version> versions) {}

  /** The id of what was created. */
  record Created(String id) {}

  /** An open emergency grant. */
  record Grant(String grantId, String patientId, String expiresAt) {}

  /** One audit event, flattened for review (audit events hold identifiers only, never PHI). */
  record AuditEntry(String eventId, String recorded, String action, String subtype, String outcome, int httpStatus,
      String user, List<String> roles, String session, String address, List<String> entities, String rule,
      String emergencyGrant, List<String> purposeOfUse, String justification) {}

  /** The service's state. */
  record Health(String status) {}

  /** The classification of every response field. */
  static final FieldClassification FIELDS = patientFields(patientFields(FieldClassification.builder(), ""), "versions.")
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
  static final MinimumNecessary MINIMUM_NECESSARY = MinimumNecessary.builder(FIELDS)
      .role(Roles.CLINICIAN, PhiCategory.values())
      .role(Roles.NURSE, PhiCategory.values())
      .role(Roles.BILLING, PhiCategory.DEMOGRAPHIC)
      .build();
}
