package dev.safeguards.compliance;

/** How far a 164.312 specification is met by the running configuration. */
public enum Status {
  /** Every part of the specification is implemented, with settings at or above the library's secure defaults. */
  MET("met"),
  /** Implemented, but weakened by a setting, or only partly covered; the report says what and why. */
  PARTIALLY_MET("partially-met"),
  /** Nothing implements it; the application must document why (its rationale) or implement it. */
  NOT_MET("not-met");

  private final String code;

  Status(String code) {
    this.code = code;
  }

  /** The code in the JSON report: {@code met}, {@code partially-met} or {@code not-met}. */
  public String code() {
    return code;
  }

  /** The status of this code. @throws IllegalArgumentException for an unknown code */
  public static Status ofCode(String code) {
    for (Status s : values()) {
      if (s.code.equals(code)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown status code");
  }

  /** The weaker of two statuses. */
  public Status and(Status other) {
    return ordinal() >= other.ordinal() ? this : other;
  }

  /** The stronger of two statuses. */
  public Status or(Status other) {
    return ordinal() <= other.ordinal() ? this : other;
  }
}
