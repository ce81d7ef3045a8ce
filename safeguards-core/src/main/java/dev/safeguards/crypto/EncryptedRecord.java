package dev.safeguards.crypto;

import java.util.Map;
import java.util.Objects;

/**
 * One record as a {@link ReencryptionSource} hands it to the {@link ReencryptionJob}: where it is in the source, what
 * it is, and its encrypted fields.
 *
 * @param position the record's place in the source's stable order (typically its primary key); opaque to the job
 * @param entityType the entity type its fields were encrypted with (see {@link FieldContext})
 * @param recordId the record id its fields were encrypted with
 * @param fields field name to field ciphertext; fields holding no value are simply absent
 */
public record EncryptedRecord(String position, String entityType, String recordId, Map<String, String> fields) {

  /**
   * Checks every component; each field name must make a valid {@link FieldContext}.
   *
   * @param position the record's place in the source's order; not null
   * @param entityType the entity type its fields were encrypted with: a valid {@link FieldContext} part
   * @param recordId the record id its fields were encrypted with: a valid {@link FieldContext} part
   * @param fields field name to field ciphertext, copied; may be empty, no null name or value
   * @throws NullPointerException if a component, a field name or a ciphertext is null
   * @throws IllegalArgumentException if the entity type, the record id or a field name is empty, longer than
   *     {@value FieldContext#MAX_LENGTH} characters, or holds a control character
   */
  public EncryptedRecord {
    Objects.requireNonNull(position, "position");
    fields = Map.copyOf(fields);
    for (String field : fields.keySet()) {
      FieldContext.of(entityType, recordId, field);
    }
    FieldContext.of(entityType, recordId, "-");
  }

  /**
   * The context the value of {@code field} was encrypted with.
   *
   * @param field a field name; need not be one of {@link #fields()}
   * @return the context of this record's entity type, record id and {@code field}
   * @throws IllegalArgumentException if {@code field} is not a valid {@link FieldContext} part
   */
  public FieldContext context(String field) {
    return FieldContext.of(entityType, recordId, field);
  }
}
