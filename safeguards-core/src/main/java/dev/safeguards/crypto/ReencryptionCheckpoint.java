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

  /** Checks every component. */
  public ReencryptionCheckpoint {
    Objects.requireNonNull(targetKeyId, "targetKeyId");
    retiringKeyIds = Set.copyOf(retiringKeyIds);
    Objects.requireNonNull(progress, "progress");
    if (retiringKeyIds.contains(targetKeyId)) {
      throw new IllegalArgumentException("the target key cannot be retiring");
    }
  }
}
