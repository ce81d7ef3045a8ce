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

  /**
   * The code in the JSON report: {@code met}, {@code partially-met} or {@code not-met}.
   *
   * @return {@code met}, {@code partially-met} or {@code not-met}; never null
   */
  public String code() {
    return code;
  }

  /**
   * The status of this code.
   *
   * @param code a code as {@link #code()} gives it; case-sensitive
   * @return the status whose {@link #code()} equals {@code code}
   * @throws IllegalArgumentException if {@code code} is not one of the three codes, or is null
   */
  public static Status ofCode(String code) {
    for (Status s : values()) {
      if (s.code.equals(code)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown status code");
  }

  /**
   * The weaker of two statuses.
   *
   * @param other the other status; not null
   * @return {@code NOT_MET} if either is, else {@code PARTIALLY_MET} if either is, else {@code MET}
   */
  public Status and(Status other) {
    return ordinal() >= other.ordinal() ? this : other;
  }

  /**
   * The stronger of two statuses.
   *
   * @param other the other status; not null
   * @return {@code MET} if either is, else {@code PARTIALLY_MET} if either is, else {@code NOT_MET}
   */
  public Status or(Status other) {
    return ordinal() <= other.ordinal() ? this : other;
  }
}
