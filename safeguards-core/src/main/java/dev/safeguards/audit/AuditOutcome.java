package dev.safeguards.audit;

import java.util.Locale;

/**
 * Whether the action worked, with the FHIR {@code AuditEvent.outcome} codes (164.312(b)).
 */
public enum AuditOutcome {
  /** The action succeeded (FHIR {@code 0}). */
  SUCCESS("0"),
  /** The action failed because of the request, e.g. denied or invalid (FHIR {@code 4}). */
  MINOR_FAILURE("4"),
  /** The action failed because of the system, e.g. an exception (FHIR {@code 8}). */
  SERIOUS_FAILURE("8"),
  /** The action failed and the system is no longer available (FHIR {@code 12}). */
  MAJOR_FAILURE("12");

  private final String fhirCode;

  AuditOutcome(String fhirCode) {
    this.fhirCode = fhirCode;
  }

  /**
   * The code in the audit log: the name in lower case with hyphens, e.g. {@code minor-failure}.
   *
   * @return the lower-case code, never null
   */
  public String code() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * The FHIR {@code AuditEvent.outcome} code.
   *
   * @return {@code 0}, {@code 4}, {@code 8} or {@code 12}
   */
  public String fhirCode() {
    return fhirCode;
  }

  /**
   * The outcome of an HTTP exchange that ended with {@code status}: success below 400, a minor failure for 4xx, a
   * serious failure for 5xx.
   *
   * @param status the final HTTP status code, 100 to 599
   * @return {@link #SUCCESS}, {@link #MINOR_FAILURE} or {@link #SERIOUS_FAILURE}; never {@link #MAJOR_FAILURE}
   * @throws IllegalArgumentException if the status is not in 100..599
   */
  public static AuditOutcome ofHttpStatus(int status) {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("an HTTP status is in 100..599");
    }
    if (status < 400) {
      return SUCCESS;
    }
    return status < 500 ? MINOR_FAILURE : SERIOUS_FAILURE;
  }

  /**
   * The outcome whose {@link #code()} is {@code code}.
   *
   * @param code a code as {@link #code()} gives it, e.g. {@code minor-failure}; case-sensitive
   * @return the outcome
   * @throws IllegalArgumentException if no outcome has that code
   */
  public static AuditOutcome fromCode(String code) {
    for (AuditOutcome o : values()) {
      if (o.code().equals(code)) {
        return o;
      }
    }
    throw new IllegalArgumentException("unknown audit outcome code");
  }
}
