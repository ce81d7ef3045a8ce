package dev.safeguards.examples.clinic;

import dev.safeguards.access.AccessPolicy;
import dev.safeguards.access.EmergencyAccess;
import java.util.List;

/** The clinic's roles and what each may do (least privilege: a permission not listed here is denied). */
final class Roles {

  static final String CLINICIAN = "clinician";
  static final String BILLING = "billing";
  static final String NURSE = "nurse";
  static final String ADMIN = "admin";
  static final List<String> ALL = List.of(CLINICIAN, BILLING, NURSE, ADMIN);

  private Roles() {}

  static AccessPolicy policy(EmergencyAccess emergency) {
    return AccessPolicy.builder()
        .role(CLINICIAN, "patient:create", "patient:read", "patient:update", "patient:search", "patient:history",
            "emergency:open")
        .role(BILLING, "patient:read")
        .role(NURSE, "emergency:open")
        .role(ADMIN, "patient:delete", "audit:read", "compliance:read")
        .emergencyAccess(emergency)
        .build();
  }
}
