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
   *
   * @param after the position of the last record processed; empty to start from the beginning
   * @param limit the most records to return: the job's batch size, 1 to 10,000
   * @return the records, in the source's order; never null, at most {@code limit}, and neither {@code after} nor any
   *     position twice (the job checks this and stops with a {@link ReencryptionException} otherwise)
   * @throws Exception if the source cannot be read; the job stops with a {@link ReencryptionException} caused by it
   */
  List<EncryptedRecord> fetch(Optional<String> after, int limit) throws Exception;

  /**
   * Writes new ciphertexts for some fields of {@code record}, in one transaction, only if every one of those fields
   * still holds the ciphertext {@code record} was fetched with.
   *
   * @param record the record as {@link #fetch} returned it
   * @param newCiphertexts field name to its new ciphertext under the target key; some of {@code record}'s fields,
   *     never empty
   * @return true if written; false if the record changed meanwhile (then nothing is written)
   * @throws Exception if the source cannot be written; the job stops with a {@link ReencryptionException} caused by
   *     it
   */
  boolean replace(EncryptedRecord record, Map<String, String> newCiphertexts) throws Exception;
}
