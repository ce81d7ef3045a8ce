package dev.safeguards.audit;

import java.util.Objects;
import java.util.UUID;

/**
 * The end of a format-1 audit log (docs/audit-log-format-v1.md): its id, its last record's sequence number and chain
 * hash. A format-2 log that continues it names it in its first record, so that both logs verify as one history.
 *
 * @param log the format-1 log's id
 * @param seq its last record's sequence number
 * @param head that record's chain hash, 64 lower-case hex digits
 */
public record Format1Head(UUID log, long seq, String head) {

  /**
   * Checks the parts.
   *
   * @param log the format-1 log's id; not null
   * @param seq its last record's sequence number, from 1
   * @param head that record's chain hash: 64 lower-case hex digits
   * @throws IllegalArgumentException if {@code seq} is not positive or {@code head} is not 64 lower-case hex digits
   * @throws NullPointerException if {@code log} is null
   */
  public Format1Head {
    Objects.requireNonNull(log, "log");
    if (seq < 1 || head == null || !head.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("a format-1 head is a positive sequence number and a 64-hex-digit hash");
    }
  }
}
