package dev.safeguards.compliance;

import java.util.List;

/**
 * The nine implementation specifications and standards of the HIPAA technical safeguards (45 CFR 164.312) that a
 * REST API can meet, with what the Security Rule NPRM of 6 January 2025 (90 FR 898) proposes for each, and the OWASP
 * ASVS 5.0 requirements that cover the same ground.
 */
public enum Specification {
  /** Assign a unique name or number for identifying and tracking user identity. */
  UNIQUE_USER_IDENTIFICATION("164.312(a)(2)(i)", "Unique user identification", true,
      "Remains required; unique identification also anchors the proposed technology asset inventory.",
      List.of("6.3.2", "13.2.1", "16.2.1")),
  /** Procedures for obtaining necessary ePHI during an emergency. */
  EMERGENCY_ACCESS("164.312(a)(2)(ii)", "Emergency access procedure", true,
      "Remains required.",
      List.of("16.3.2", "16.3.3", "16.4.3", "7.4.5")),
  /** Terminate an electronic session after a predetermined time of inactivity. */
  AUTOMATIC_LOGOFF("164.312(a)(2)(iii)", "Automatic logoff", false,
      "Proposed as required: the NPRM removes the addressable category.",
      List.of("7.1.1", "7.3.1", "7.3.2", "7.4.1", "9.2.1")),
  /** Encrypt and decrypt ePHI (at rest). */
  ENCRYPTION_AT_REST("164.312(a)(2)(iv)", "Encryption and decryption", false,
      "Proposed as required: ePHI encrypted at rest, with narrow exceptions; keys in the technology asset inventory.",
      List.of("11.1.1", "11.1.2", "11.3.1", "11.3.2", "13.3.1", "14.2.4")),
  /** Record and examine activity in systems that contain or use ePHI. */
  AUDIT_CONTROLS("164.312(b)", "Audit controls", true,
      "Remains required; the NPRM adds regular review of audit records.",
      List.of("16.2.1", "16.2.5", "16.3.1", "16.3.2", "16.4.2")),
  /** Corroborate that ePHI has not been altered or destroyed in an unauthorized manner. */
  INTEGRITY_AUTHENTICATION("164.312(c)(2)", "Mechanism to authenticate electronic protected health information",
      false,
      "Proposed as required.",
      List.of("11.6.1", "14.2.4", "16.4.2")),
  /** Verify that a person or entity seeking access to ePHI is the one claimed. */
  PERSON_OR_ENTITY_AUTHENTICATION("164.312(d)", "Person or entity authentication", true,
      "Proposed: multi-factor authentication required for access to ePHI, with narrow exceptions.",
      List.of("6.3.1", "6.3.3", "9.1.1", "9.1.2", "9.1.3", "9.2.1", "9.2.3")),
  /** Ensure that transmitted ePHI is not improperly modified without detection. */
  TRANSMISSION_INTEGRITY("164.312(e)(2)(i)", "Integrity controls", false,
      "Proposed as required.",
      List.of("4.1.5", "12.2.1", "11.3.3")),
  /** Encrypt ePHI in transit. */
  TRANSMISSION_ENCRYPTION("164.312(e)(2)(ii)", "Encryption", false,
      "Proposed as required: ePHI encrypted in transit, with narrow exceptions.",
      List.of("12.1.1", "12.1.2", "12.2.1", "3.4.1"));

  private final String id;
  private final String title;
  private final boolean required;
  private final String proposedRule;
  private final List<String> asvs;

  Specification(String id, String title, boolean required, String proposedRule, List<String> asvs) {
    this.id = id;
    this.title = title;
    this.required = required;
    this.proposedRule = proposedRule;
    this.asvs = asvs;
  }

  /**
   * The citation, e.g. {@code 164.312(a)(2)(i)}.
   *
   * @return the citation in 45 CFR, as the JSON report's {@code id}; never null
   */
  public String id() {
    return id;
  }

  /**
   * The specification's name in the rule.
   *
   * @return the title as the rule words it, e.g. {@code Automatic logoff}
   */
  public String title() {
    return title;
  }

  /**
   * Whether the current rule marks it required (true) or addressable (false); this library treats both as required.
   *
   * @return true for a required specification, false for an addressable one
   */
  public boolean required() {
    return required;
  }

  /**
   * What the 2025 proposed rule changes for it.
   *
   * @return one or two sentences in plain words; never null
   */
  public String proposedRule() {
    return proposedRule;
  }

  /**
   * The OWASP ASVS 5.0 requirement ids that cover the same ground, e.g. {@code 7.3.1}.
   *
   * @return the requirement ids, never empty; unmodifiable
   */
  public List<String> asvs() {
    return asvs;
  }

  /**
   * The specification with citation {@code id}.
   *
   * @param id a citation as {@link #id()} gives it, e.g. {@code 164.312(b)}
   * @return the specification with that citation
   * @throws IllegalArgumentException for an unknown citation, or null
   */
  public static Specification ofId(String id) {
    for (Specification s : values()) {
      if (s.id.equals(id)) {
        return s;
      }
    }
    throw new IllegalArgumentException("not one of the nine 164.312 specifications");
  }
}
