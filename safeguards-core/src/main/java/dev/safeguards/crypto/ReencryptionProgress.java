package dev.safeguards.crypto;

import java.util.Objects;
import java.util.Optional;

/**
 * How far a re-encryption pass has come. Counts cover the whole pass, across stops and resumes.
 *
 * @param recordsScanned records fetched and processed
 * @param valuesReencrypted values moved to the target key and written
 * @param valuesAlreadyCurrent values found under the target key already
 * @param valuesChangedConcurrently values not written because the application changed their record meanwhile
 * @param valuesFailed values that could not be decrypted (left untouched)
 * @param lastPosition the position of the last record processed; empty before the first
 */
public record ReencryptionProgress(
    long recordsScanned,
    long valuesReencrypted,
    long valuesAlreadyCurrent,
    long valuesChangedConcurrently,
    long valuesFailed,
    Optional<String> lastPosition) {

  /** Nothing done yet. */
  public static final ReencryptionProgress START = new ReencryptionProgress(0, 0, 0, 0, 0, Optional.empty());

  /**
   * Checks every component.
   *
   * @param recordsScanned records fetched and processed; not negative
   * @param valuesReencrypted values moved to the target key and written; not negative
   * @param valuesAlreadyCurrent values found under the target key already; not negative
   * @param valuesChangedConcurrently values not written because their record changed meanwhile; not negative
   * @param valuesFailed values that could not be decrypted; not negative
   * @param lastPosition the position of the last record processed; empty before the first, not null
   * @throws NullPointerException if {@code lastPosition} is null
   * @throws IllegalArgumentException if a count is negative
   */
  public ReencryptionProgress {
    Objects.requireNonNull(lastPosition, "lastPosition");
    if (recordsScanned < 0 || valuesReencrypted < 0 || valuesAlreadyCurrent < 0 || valuesChangedConcurrently < 0
        || valuesFailed < 0) {
      throw new IllegalArgumentException("counts must not be negative");
    }
  }
}
