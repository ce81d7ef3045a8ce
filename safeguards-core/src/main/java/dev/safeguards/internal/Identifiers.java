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
   * @param field what the value is, for the exception's message (e.g. {@code "entity id"})
   * @param value the value to check
   * @param max the most characters allowed, at least 1
   * @return {@code value}, unchanged
   * @throws NullPointerException if it is null
   * @throws IllegalArgumentException otherwise; the message names the field, never the value
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

  /** The most names in one set (roles of one principal). */
  public static final int MAX_NAMES = 256;

  /**
   * Returns {@code value} if it is a name of at most {@code max} characters: printable text in any script, spaces
   * allowed, as identity providers send group and role names ("Clínica Norte – Nurses"), but no control or format
   * character (no line break, no zero-width or bidirectional control), no unpaired surrogate, no private-use or
   * unassigned character, and not blank. Lengths count UTF-16 code units.
   *
   * @param field what the value is, for the exception's message (e.g. {@code "role"})
   * @param value the value to check
   * @param max the most characters allowed, at least 1
   * @return {@code value}, unchanged
   * @throws NullPointerException if it is null
   * @throws IllegalArgumentException otherwise; the message names the field, never the value
   */
  public static String name(String field, String value, int max) {
    if (value == null) {
      throw new NullPointerException(field);
    }
    if (value.isEmpty() || value.length() > max || value.isBlank()) {
      throw new IllegalArgumentException(field + " must be 1 to " + max + " characters, not blank");
    }
    for (int i = 0; i < value.length(); ) {
      int c = value.codePointAt(i);
      switch (Character.getType(c)) {
        case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE, Character.UNASSIGNED,
            Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR ->
            throw new IllegalArgumentException(field + " must be printable text");
        default -> { }
      }
      i += Character.charCount(c);
    }
    return value;
  }
}
