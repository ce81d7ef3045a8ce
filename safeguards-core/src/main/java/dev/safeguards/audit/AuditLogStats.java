package dev.safeguards.audit;

/**
 * Counters of a {@link TamperEvidentAuditLog} since it was opened, for monitoring and for measuring group commit.
 *
 * @param records records appended (events, checkpoints, segment and recovery records)
 * @param events audit events appended
 * @param syncs times the log forced its file to the storage device
 * @param checkpoints checkpoints signed
 * @param rotations segments closed and new ones started
 */
public record AuditLogStats(long records, long events, long syncs, long checkpoints, long rotations) {

  /**
   * Events per sync: how well group commit shares one fsync between concurrent appends.
   *
   * @return {@code events / syncs}; 0 before the first sync
   */
  public double eventsPerSync() {
    return syncs == 0 ? 0 : (double) events / syncs;
  }
}
