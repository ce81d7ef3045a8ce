package dev.safeguards.crypto;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one {@link ReencryptionJob#run()}.
 *
 * @param progress the pass's counts (across resumes) and its last position
 * @param complete whether the pass reached the end of the source
 * @param stopped whether the run ended early on {@link ReencryptionJob#requestStop()}
 * @param failures the values this run could not decrypt (at most {@value ReencryptionJob#MAX_REPORTED_FAILURES} are
 *     listed; {@code progress.valuesFailed()} counts them all)
 * @param confirmation present only when the pass completed with no failure and no concurrent change: the evidence
 *     {@link ManagedKeyset#disable} and {@link ManagedKeyset#destroy} need for the keys that were retired
 */
public record ReencryptionResult(
    ReencryptionProgress progress,
    boolean complete,
    boolean stopped,
    List<ReencryptionFailure> failures,
    Optional<ReencryptionConfirmation> confirmation) {

  /**
   * Checks every component.
   *
   * @param progress the pass's counts and last position; not null
   * @param complete whether the pass reached the end of the source
   * @param stopped whether the run ended early on a stop request
   * @param failures the values this run could not decrypt; copied, not null
   * @param confirmation the evidence for retiring keys; present only for a complete pass without failures or
   *     concurrent changes, not null
   * @throws NullPointerException if {@code progress}, {@code failures}, a failure or {@code confirmation} is null
   * @throws IllegalArgumentException if a confirmation is present for a pass that is incomplete, or counts failed or
   *     concurrently changed values
   */
  public ReencryptionResult {
    Objects.requireNonNull(progress, "progress");
    failures = List.copyOf(failures);
    Objects.requireNonNull(confirmation, "confirmation");
    if (confirmation.isPresent() && (!complete || progress.valuesFailed() > 0
        || progress.valuesChangedConcurrently() > 0)) {
      throw new IllegalArgumentException("only a clean, complete pass confirms re-encryption");
    }
  }
}
