package dev.safeguards.audit;

import java.util.Locale;

/**
 * What was done, in the vocabulary of FHIR AuditEvent and IHE BALP (164.312(b)).
 *
 * <p>Each action has a lower-case {@link #code()} as it appears in the audit log, and the FHIR {@code
 * AuditEvent.action} code ({@code C}, {@code R}, {@code U}, {@code D} or {@code E}) it maps to.
 */
public enum AuditAction {
  /** A resource was created. */
  CREATE("C"),
  /** A resource was read. */
  READ("R"),
  /** A resource was changed. */
  UPDATE("U"),
  /** A resource was deleted. */
  DELETE("D"),
  /** An operation that is none of the others was run. */
  EXECUTE("E"),
  /** Resources were searched for. */
  SEARCH("E"),
  /** A user authenticated. */
  LOGIN("E"),
  /** A session ended. */
  LOGOUT("E"),
  /** Data left the system in bulk (an export, a report, an archive). */
  EXPORT("R"),
  /** Data came into the system in bulk. */
  IMPORT("C"),
  /** An emergency access grant was opened, used or closed. */
  EMERGENCY_ACCESS("E"),
  /** A key was generated, rotated, disabled or destroyed. */
  KEY_MANAGEMENT("E"),
  /** The audit log itself did something: opened a segment, recovered from a crash. */
  AUDIT_LOG("E");

  private final String fhirCode;

  AuditAction(String fhirCode) {
    this.fhirCode = fhirCode;
  }

  /**
   * The code in the audit log: the name in lower case with hyphens, e.g. {@code emergency-access}.
   *
   * @return the lower-case code, never null
   */
  public String code() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * The FHIR {@code AuditEvent.action} code.
   *
   * @return {@code C}, {@code R}, {@code U}, {@code D} or {@code E}
   */
  public String fhirCode() {
    return fhirCode;
  }

  /**
   * The action whose {@link #code()} is {@code code}.
   *
   * @param code a code as {@link #code()} gives it, e.g. {@code read}; case-sensitive
   * @return the action
   * @throws IllegalArgumentException if no action has that code
   */
  public static AuditAction fromCode(String code) {
    for (AuditAction a : values()) {
      if (a.code().equals(code)) {
        return a;
      }
    }
    throw new IllegalArgumentException("unknown audit action code");
  }
}
