package dev.safeguards.crypto;

import dev.safeguards.internal.LengthPrefixed;
import java.util.Objects;

/**
 * Where an encrypted value belongs: its entity type, the record's id and the field's name. It is bound to the
 * ciphertext as associated data, so a ciphertext copied to another record or another field fails to decrypt
 * (164.312(a)(2)(iv), (c)(1)).
 *
 * <p>Use the record's immutable id (a UUID the application generates before the insert works well): a ciphertext
 * decrypts only under the context it was written with. Each part is at most {@value #MAX_LENGTH} characters and is not
 * secret: it may appear in exception messages and logs, so never put PHI in a context.
 *
 * @param entityType the kind of record, e.g. {@code Patient}
 * @param recordId the record's immutable identifier
 * @param fieldName the field's name, e.g. {@code ssn}
 */
public record FieldContext(String entityType, String recordId, String fieldName) {

  /** The maximum length of each part. */
  public static final int MAX_LENGTH = 256;

  /**
   * Checks every part.
   *
   * @param entityType the kind of record; 1 to {@value #MAX_LENGTH} characters, no control character
   * @param recordId the record's immutable identifier; 1 to {@value #MAX_LENGTH} characters, no control character
   * @param fieldName the field's name; 1 to {@value #MAX_LENGTH} characters, no control character
   * @throws NullPointerException if a part is null
   * @throws IllegalArgumentException if a part is empty, longer than {@value #MAX_LENGTH} characters, or holds a
   *     control character
   */
  public FieldContext {
    check(entityType, "entityType");
    check(recordId, "recordId");
    check(fieldName, "fieldName");
  }

  /**
   * Shorthand for {@code new FieldContext(entityType, recordId, fieldName)}.
   *
   * @param entityType the kind of record, e.g. {@code Patient}
   * @param recordId the record's immutable identifier
   * @param fieldName the field's name, e.g. {@code ssn}
   * @return the context
   * @throws NullPointerException if a part is null
   * @throws IllegalArgumentException if a part is empty, longer than {@value #MAX_LENGTH} characters, or holds a
   *     control character
   */
  public static FieldContext of(String entityType, String recordId, String fieldName) {
    return new FieldContext(entityType, recordId, fieldName);
  }

  /** The associated data for {@code domain}: the domain label and the three parts, length-prefixed. */
  byte[] associatedData(String domain) {
    return LengthPrefixed.encode(domain, entityType, recordId, fieldName);
  }

  @Override
  public String toString() {
    return entityType + "/" + recordId + "/" + fieldName;
  }

  private static void check(String value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isEmpty() || value.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(name + " must have 1 to " + MAX_LENGTH + " characters");
    }
    for (int i = 0; i < value.length(); i++) {
      if (Character.isISOControl(value.charAt(i))) {
        throw new IllegalArgumentException(name + " must not contain control characters");
      }
    }
    if (!LengthPrefixed.wellFormed(value)) {
      throw new IllegalArgumentException(name + " must not contain an unpaired surrogate");
    }
  }
}
