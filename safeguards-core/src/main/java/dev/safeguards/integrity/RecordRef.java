package dev.safeguards.integrity;

import java.util.Objects;

/**
 * Which record a signature belongs to: its type and its immutable id. Both enter the signed bytes, so a signature
 * attached to another record fails. Not secret; never put PHI in either.
 *
 * @param type the record's type, e.g. {@code Patient}
 * @param id the record's immutable identifier
 */
public record RecordRef(String type, String id) {

  /**
   * Checks both parts.
   *
   * @param type the record's type; 1 to 256 characters, no control character
   * @param id the record's immutable identifier; 1 to 256 characters, no control character
   * @throws NullPointerException if a part is null
   * @throws IllegalArgumentException if a part is empty, longer than 256 characters, or holds a control character
   */
  public RecordRef {
    check(type, "type");
    check(id, "id");
  }

  /**
   * Shorthand for {@code new RecordRef(type, id)}.
   *
   * @param type the record's type, e.g. {@code Patient}
   * @param id the record's immutable identifier
   * @return the reference
   * @throws NullPointerException if a part is null
   * @throws IllegalArgumentException if a part is empty, longer than 256 characters, or holds a control character
   */
  public static RecordRef of(String type, String id) {
    return new RecordRef(type, id);
  }

  private static void check(String value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isEmpty() || value.length() > 256 || value.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException("a record " + name + " has 1 to 256 characters and no control character");
    }
  }

  @Override
  public String toString() {
    return type + "/" + id;
  }
}
