package dev.safeguards.identity;

import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/**
 * The unique identifier of one person (or one service client) using the system, backed by a UUID
 * (164.312(a)(2)(i) unique user identification).
 *
 * <p>The nil UUID ({@code 00000000-0000-0000-0000-000000000000}) and the max UUID (all {@code f}) are refused: they are
 * the usual markers of "nobody" and "everybody", never a person. Parsing is strict: exactly the 36-character
 * hyphenated form, hex digits in either case; the canonical form is lower case.
 *
 * @param value the UUID
 */
public record UserId(UUID value) {

  private static final UUID NIL = new UUID(0L, 0L);
  private static final UUID MAX = new UUID(-1L, -1L);

  /**
   * Checks the value.
   *
   * @param value the UUID; not null, neither the nil nor the max UUID
   * @throws IllegalArgumentException for the nil or max UUID
   * @throws NullPointerException if {@code value} is null
   */
  public UserId {
    Objects.requireNonNull(value, "value");
    if (value.equals(NIL) || value.equals(MAX)) {
      throw new IllegalArgumentException("the nil and max UUIDs identify nobody");
    }
  }

  /**
   * Parses the 36-character hyphenated form.
   *
   * @param text the UUID as {@code 8-4-4-4-12} hex digits, in either case; null is refused like any other malformed
   *     text
   * @return the user id
   * @throws IllegalArgumentException if {@code text} is not exactly that form, or is the nil or max UUID; the message
   *     does not echo the input
   */
  public static UserId parse(String text) {
    if (text == null || text.length() != 36) {
      throw new IllegalArgumentException("a user id is a 36-character UUID");
    }
    for (int i = 0; i < 36; i++) {
      char c = text.charAt(i);
      boolean hyphen = i == 8 || i == 13 || i == 18 || i == 23;
      if (hyphen ? c != '-' : Character.digit(c, 16) < 0 || c > 'f') {
        throw new IllegalArgumentException("a user id is a 36-character UUID");
      }
    }
    return new UserId(UUID.fromString(text.toLowerCase(Locale.ROOT)));
  }

  /** The canonical lower-case hyphenated form. */
  @Override
  public String toString() {
    return value.toString();
  }
}
