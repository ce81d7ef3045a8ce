package dev.safeguards.compliance;

/**
 * A configuration the startup self-check refuses unless the application accepts it explicitly, with a rationale that
 * the compliance report then shows beside the specification it weakens.
 */
public enum Weakness {
  /** An HSTS max-age under one year: browsers forget HTTPS-only sooner. */
  SHORT_HSTS_MAX_AGE("transport.hstsMaxAge", Specification.TRANSMISSION_ENCRYPTION),
  /** Access tokens may live over one hour: a stolen token stays useful longer. */
  LONG_TOKEN_LIFETIME("tokens.maxLifetime", Specification.PERSON_OR_ENTITY_AUTHENTICATION),
  /** Tokens are accepted without a second factor (the 2025 proposed rule makes MFA mandatory). */
  NO_MFA("tokens.requireMfa", Specification.PERSON_OR_ENTITY_AUTHENTICATION),
  /** Sessions stay open over 30 minutes without activity. */
  LONG_IDLE_TIMEOUT("sessions.idleTimeout", Specification.AUTOMATIC_LOGOFF),
  /** Audit events are acknowledged before they are on disk: a crash can lose the last ones. */
  AUDIT_NOT_DURABLE("audit.durable", Specification.AUDIT_CONTROLS),
  /** Plain HTTP is served to loopback clients (local development only). */
  PLAIN_HTTP_ON_LOOPBACK("transport.plainHttpOnLoopback", Specification.TRANSMISSION_ENCRYPTION),
  /** The negotiated TLS cipher suite is not checked against the TLS policy. */
  TLS_CHECK_SKIPPED("gate.checkNegotiatedTls", Specification.TRANSMISSION_ENCRYPTION);

  private final String setting;
  private final Specification specification;

  Weakness(String setting, Specification specification) {
    this.setting = setting;
    this.specification = specification;
  }

  /**
   * The setting at fault, as the self-check's message and the report name it.
   *
   * @return the setting's dotted name, e.g. {@code tokens.maxLifetime}
   */
  public String setting() {
    return setting;
  }

  /**
   * The specification it weakens.
   *
   * @return the 164.312 specification whose row shows the weakness, and its rationale once accepted
   */
  public Specification specification() {
    return specification;
  }
}
