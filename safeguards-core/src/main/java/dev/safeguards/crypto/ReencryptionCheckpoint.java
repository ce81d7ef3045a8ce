package dev.safeguards.crypto;

import java.util.Objects;
import java.util.Set;

/**
 * Where a re-encryption pass stands, saved after every batch so that a stopped or failed run resumes there.
 *
 * @param targetKeyId the primary key the pass moves values to; a checkpoint for another key is discarded
 * @param retiringKeyIds the keys of the keyset, other than the target, when the pass started: a clean pass confirms
 *     that no value of the source remains under them
 * @param progress the pass's counts and last position
 */
public record ReencryptionCheckpoint(KeyId targetKeyId, Set<KeyId> retiringKeyIds, ReencryptionProgress progress) {

  /**
   * Checks every component.
   *
   * @param targetKeyId the primary key the pass moves values to; not null
   * @param retiringKeyIds the keys the pass retires; copied, may be empty, must not hold the target
   * @param progress the pass's counts and last position; not null
   * @throws NullPointerException if a component or a retiring key id is null
   * @throws IllegalArgumentException if the target key is among the retiring keys
   */
  public ReencryptionCheckpoint {
    Objects.requireNonNull(targetKeyId, "targetKeyId");
    retiringKeyIds = Set.copyOf(retiringKeyIds);
    Objects.requireNonNull(progress, "progress");
    if (retiringKeyIds.contains(targetKeyId)) {
      throw new IllegalArgumentException("the target key cannot be retiring");
    }
  }
}
