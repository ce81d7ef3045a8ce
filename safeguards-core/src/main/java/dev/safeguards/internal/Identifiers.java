package dev.safeguards.internal;

/**
 * The one rule for identifiers that may appear in audit events, alerts and access decisions: 1 to {@code max} visible
 * ASCII characters (0x21 to 0x7e), so no space, no control character, no line break and no free text. Messages name
 * the field, never the value. Not part of the public API.
 */
public final class Identifiers {

  private Identifiers() {}

  /**
   * Returns {@code value} if it is an identifier of at most {@code max} characters.
   *
   * @throws NullPointerException if it is null
   * @throws IllegalArgumentException otherwise
   */
  public static String check(String field, String value, int max) {
    if (value == null) {
      throw new NullPointerException(field);
    }
    if (value.isEmpty() || value.length() > max) {
      throw new IllegalArgumentException(field + " must be 1 to " + max + " characters");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        throw new IllegalArgumentException(field + " must be visible ASCII without spaces");
      }
    }
    return value;
  }
}
