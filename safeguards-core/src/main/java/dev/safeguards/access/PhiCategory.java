package dev.safeguards.access;

import java.util.Locale;

/** What kind of PHI a field holds, for minimum-necessary filtering and log redaction (164.502(b), 164.514). */
public enum PhiCategory {
  /** Direct identifiers: name, SSN, medical record number, photograph. */
  IDENTIFIER,
  /** Demographics: date of birth, sex, address, language. */
  DEMOGRAPHIC,
  /** Contact details: phone, email. */
  CONTACT,
  /** Clinical data: diagnoses, medications, notes, results. */
  CLINICAL,
  /** Payment and insurance: account, plan and claim data. */
  FINANCIAL;

  /**
   * The lower-case name, as redaction markers show it.
   *
   * @return e.g. {@code clinical}
   */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }
}
