package dev.safeguards.audit;

import dev.safeguards.internal.Identifiers;
import java.util.Optional;

/** The rules every audit value follows, so that no value can carry free text or break a record or a line. */
final class AuditValues {

  /** The longest identifier: a resource id, a rule name, a request id. */
  static final int MAX_IDENTIFIER = 256;
  /** The longest user agent kept. */
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

  /** The most product tokens kept from a user agent. */
  static final int MAX_PRODUCTS = 8;

  private static final java.util.regex.Pattern PRODUCT = java.util.regex.Pattern.compile(
      "[A-Za-z][A-Za-z0-9._-]{0,31}/[0-9]{1,9}(?:\\.[0-9A-Za-z]{1,16}){0,5}(?:-[A-Za-z][A-Za-z0-9.]{0,15})?");

  /**
   * A user agent as the log keeps it: only its RFC 9110 product tokens of the form {@code name/version}, where the
   * name starts with a letter and the version with digits ({@code Mozilla/5.0}, {@code curl/8.5.0}, {@code
   * okhttp/4.12.0-alpha}), at most {@value #MAX_PRODUCTS}, separated by one space. Comments in parentheses, bare words
   * and anything else are dropped: clients choose this string freely, and a misconfigured one may put a person's name
   * or number in it, which the audit log must not keep. Empty if nothing is left.
   */
  static String userAgent(String value) {
    StringBuilder out = new StringBuilder();
    int depth = 0;
    int kept = 0;
    for (String word : value.split("[\\s]+")) {
      if (kept == MAX_PRODUCTS) {
        break;
      }
      boolean product = depth == 0 && PRODUCT.matcher(word).matches();
      for (int i = 0; i < word.length(); i++) {
        char c = word.charAt(i);
        if (c == '(') {
          depth++;
        } else if (c == ')' && depth > 0) {
          depth--;
        }
      }
      if (product && out.length() + word.length() + 1 <= MAX_USER_AGENT) {
        if (out.length() > 0) {
          out.append(' ');
        }
        out.append(word);
        kept++;
      }
    }
    return out.toString();
  }
}
