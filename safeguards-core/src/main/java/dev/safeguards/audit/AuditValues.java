package dev.safeguards.audit;

import dev.safeguards.internal.Identifiers;
import java.util.Optional;

/** The rules every audit value follows, so that no value can carry free text or break a record or a line. */
final class AuditValues {

  /** The longest identifier: a resource id, a rule name, a request id. */
  static final int MAX_IDENTIFIER = 256;
  /** The longest user agent kept; longer ones are cut. */
  static final int MAX_USER_AGENT = 256;

  private AuditValues() {}

  /** Checks an identifier ({@link Identifiers#check}). */
  static String identifier(String field, String value, int max) {
    return Identifiers.check(field, value, max);
  }

  static Optional<String> identifier(String field, Optional<String> value, int max) {
    if (value == null) {
      throw new NullPointerException(field);
    }
    value.ifPresent(v -> identifier(field, v, max));
    return value;
  }

  /** The longest justification kept; longer ones are cut. */
  static final int MAX_JUSTIFICATION = 1000;

  /**
   * A justification as the log keeps it: control characters (line breaks included) become spaces, surrounding space
   * is trimmed, and it is cut to {@link #MAX_JUSTIFICATION} characters.
   */
  static String justification(String value) {
    StringBuilder out = new StringBuilder(Math.min(value.length(), MAX_JUSTIFICATION));
    for (int i = 0; i < value.length() && out.length() < MAX_JUSTIFICATION; i++) {
      char c = value.charAt(i);
      out.append(Character.isISOControl(c) || c == '\u2028' || c == '\u2029' ? ' ' : c);
    }
    String trimmed = out.toString().strip();
    if (trimmed.isEmpty()) {
      throw new IllegalArgumentException("a justification must not be blank");
    }
    return trimmed;
  }

  /**
   * A user agent as the log keeps it: printable ASCII and spaces, anything else replaced by {@code ?}, cut to
   * {@link #MAX_USER_AGENT} characters. Clients choose this string, so it is cleaned rather than refused.
   */
  static String userAgent(String value) {
    int n = Math.min(value.length(), MAX_USER_AGENT);
    StringBuilder out = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      out.append(c >= 0x20 && c <= 0x7e ? c : '?');
    }
    return out.toString();
  }
}
