package dev.safeguards.audit;

import java.util.Optional;
import java.util.UUID;

/**
 * What {@link AuditLogVerifier} found in an intact audit log (164.312(b)). Its numbers are counts: {@code events()}
 * is how many events the log holds, {@code checkpoints()} how many checkpoints verified, and so on; the events
 * themselves are read with {@link AuditReview}, which needs the audit keys when identities are sealed.
 *
 * @param logId the log's id
 * @param segments how many segment files were read
 * @param firstSequence the first record's sequence number: 1, unless earlier segments were archived away
 * @param lastSequence the last record's sequence number
 * @param events how many audit events the log holds
 * @param checkpoints how many signed checkpoints verified
 * @param recoveries how many recoveries the log records: from crashes and I/O failures, and openings on an operator's
 *     override of its anchors
 * @param unsignedTail how many records follow the last checkpoint: they verify against the chain, but nothing signed
 *     vouches that the log was not cut short after them
 * @param tornTailBytes bytes after the last complete line, left by a crash; opening the log for writing removes them
 * @param lastCheckpoint a format-1 log's last checkpoint, to keep elsewhere for later verifications
 * @param origin a format-2 log's origin, the name its checkpoints give it; empty for format 1
 * @param lastTreeCheckpoint a format-2 log's last checkpoint, to keep elsewhere for later verifications
 * @param head a format-1 log's end (its last record's chain hash), which a format-2 log may continue
 * @param continues the format-1 log a format-2 log continues, as its first record names it
 */
public record VerifiedAuditLog(
    UUID logId,
    int segments,
    long firstSequence,
    long lastSequence,
    long events,
    long checkpoints,
    long recoveries,
    long unsignedTail,
    long tornTailBytes,
    Optional<SignedCheckpoint> lastCheckpoint,
    String origin,
    Optional<AuditCheckpoint> lastTreeCheckpoint,
    Optional<Format1Head> head,
    Optional<Format1Head> continues) {

  /**
   * How many records, of every kind, were verified.
   *
   * @return {@code lastSequence - firstSequence + 1}, at least 1
   */
  public long records() {
    return lastSequence - firstSequence + 1;
  }
}
