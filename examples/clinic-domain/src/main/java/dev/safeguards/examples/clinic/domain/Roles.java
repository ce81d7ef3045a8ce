package dev.safeguards.examples.clinic.domain;

import dev.safeguards.access.AccessPolicy;
import dev.safeguards.access.EmergencyAccess;
import dev.safeguards.alert.AlertSink;
import dev.safeguards.audit.AuditSink;
import java.time.Clock;
import java.util.List;

/** The clinic's roles and what each may do (least privilege: a permission not listed here is denied). */
public final class Roles {

  public static final String CLINICIAN = "clinician";
  public static final String BILLING = "billing";
  public static final String NURSE = "nurse";
  public static final String ADMIN = "admin";
  public static final List<String> ALL = List.of(CLINICIAN, BILLING, NURSE, ADMIN);

  private Roles() {}

  /** Who may do what, with {@code emergency}'s grants for reading one patient in an emergency. */
  public static AccessPolicy policy(EmergencyAccess emergency) {
    return AccessPolicy.builder()
        .role(CLINICIAN, "patient:create", "patient:read", "patient:update", "patient:search", "patient:history",
            "emergency:open")
        .role(BILLING, "patient:read")
        .role(NURSE, "emergency:open")
        .role(ADMIN, "patient:delete", "audit:read", "compliance:read")
        .emergencyAccess(emergency)
        .build();
  }

  /**
   * Break-glass (164.312(a)(2)(ii)): nurses and clinicians may open a grant to read one patient, audited to {@code
   * audit} with its reason and alerted to {@code alerts} at once; admins review. A cluster adds its shared grant store
   * before building.
   */
  public static EmergencyAccess.Builder emergencyAccess(Clock clock, AuditSink audit, AlertSink alerts) {
    return EmergencyAccess.builder(clock, audit, alerts)
        .eligibleRoles(NURSE, CLINICIAN).reviewerRoles(ADMIN)
        .permissions("patient:read").resourceType(PatientStore.TYPE);
  }
}
