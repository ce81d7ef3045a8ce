package dev.safeguards.crypto;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The application's side of a {@link ReencryptionJob}: a small view over one table (or collection) whose fields are
 * encrypted with a {@link FieldCipher}.
 *
 * <p>Implementations decide how records are ordered and written; the job relies on two properties: {@link #fetch}
 * walks the records in one stable order of their positions, and {@link #replace} is a compare-and-set, so that a value
 * the application changed meanwhile is never overwritten with an older one.
 */
public interface ReencryptionSource {

  /**
   * Returns up to {@code limit} records that come strictly after {@code after} in the source's order (from the start
   * when empty), in that order. An empty list means the end of the source.
   */
  List<EncryptedRecord> fetch(Optional<String> after, int limit) throws Exception;

  /**
   * Writes new ciphertexts for some fields of {@code record}, in one transaction, only if every one of those fields
   * still holds the ciphertext {@code record} was fetched with.
   *
   * @return true if written; false if the record changed meanwhile (then nothing is written)
   */
  boolean replace(EncryptedRecord record, Map<String, String> newCiphertexts) throws Exception;
}
