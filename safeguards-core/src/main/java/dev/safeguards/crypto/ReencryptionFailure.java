package dev.safeguards.crypto;

import java.util.Objects;
import java.util.Optional;

/**
 * A value the {@link ReencryptionJob} could not decrypt and therefore left exactly as it was. Never holds the value.
 *
 * @param position the record's position in the source
 * @param context the value's entity type, record id and field
 * @param keyId the key the value names, when it could be read
 * @param reason why: {@code malformed}, {@code unknown key} or {@code failed authentication}, with the detail of the
 *     exception message (which never holds a value)
 */
public record ReencryptionFailure(String position, FieldContext context, Optional<KeyId> keyId, String reason) {

  /**
   * Checks every component.
   *
   * @param position the record's position in the source; not null
   * @param context the value's entity type, record id and field; not null
   * @param keyId the key the value names; empty when the ciphertext is malformed, not null
   * @param reason why, without the value; not null
   * @throws NullPointerException if a component is null
   */
  public ReencryptionFailure {
    Objects.requireNonNull(position, "position");
    Objects.requireNonNull(context, "context");
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(reason, "reason");
  }
}
