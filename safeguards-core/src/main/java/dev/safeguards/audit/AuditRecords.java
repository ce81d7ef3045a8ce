package dev.safeguards.audit;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * The records of the audit log format, version 2 (docs/audit-log-format.md section 3), byte for byte as {@link
 * TamperEvidentAuditLog} writes them: for other writers of the same format, such as a log kept in a database, whose
 * records must verify as the file log's do (a leaf of the tree is a record's bytes). Each method returns the record
 * without its line feed; every byte is printable ASCII.
 */
public final class AuditRecords {

  /**
   * The longest event object a writer may put in an {@code event} record: the record, and its line, then stay within
   * the 1 MiB a line may take (section 2). A writer refuses a longer one ({@link AuditEventTooLargeException}).
   */
  public static final int MAX_EVENT_OBJECT = AuditLogFormat.MAX_EVENT;

  private AuditRecords() {}

  /**
   * The {@code segment} record that begins segment {@code segment} (section 3.1).
   *
   * @param seq the record's sequence number, from 1
   * @param origin the log's origin, as {@link #origin} checks it
   * @param logId the log's id; not null
   * @param segment the segment's number, from 1
   * @param time when the segment began; not null
   * @return the record's bytes, a new array
   * @throws IllegalArgumentException if {@code seq} or {@code segment} is not positive, or {@code origin} is not one
   */
  public static byte[] segment(long seq, String origin, UUID logId, long segment, Instant time) {
    positive(seq, "seq");
    positive(segment, "segment");
    return AuditLogFormat.segmentRecordV2(seq, origin(origin),
        Objects.requireNonNull(logId, "logId"), segment, Objects.requireNonNull(time, "time"));
  }

  /**
   * The audit event object of {@code event} (section 7), its identifying members sealed by {@code sealing} for the log
   * {@code origin} (section 7.1), or in the clear if {@code sealing} is null. It does not depend on the sequence
   * number, so producers may encode (and seal) events in parallel before a writer orders them.
   *
   * @param event the event; not null
   * @param sealing the log's sealing keys; null to write identities in the clear
   * @param origin the log's origin, which sealed members are bound to; not null
   * @return the event object's bytes (canonical JSON, printable ASCII), a new array
   */
  public static byte[] eventObject(AuditEvent event, AuditSealing sealing, String origin) {
    return AuditJson.encode(Objects.requireNonNull(event, "event"), sealing, Objects.requireNonNull(origin, "origin"));
  }

  /**
   * The {@code event} record of sequence number {@code seq} holding {@code eventObject} (section 3.2), as {@link
   * #eventObject} encodes it.
   *
   * @param seq the record's sequence number, from 1
   * @param eventObject the event object, exactly as {@link #eventObject} returned it; not null; not kept
   * @return the record's bytes, a new array
   * @throws IllegalArgumentException if {@code seq} is not positive
   */
  public static byte[] event(long seq, byte[] eventObject) {
    positive(seq, "seq");
    return AuditLogFormat.eventRecord(seq, Objects.requireNonNull(eventObject, "eventObject"));
  }

  /**
   * The {@code checkpoint} record of sequence number {@code seq}: {@code note}, the signed checkpoint over the tree of
   * the {@code seq - 1} records before it (section 3.3).
   *
   * @param seq the record's sequence number, from 2
   * @param note the signed checkpoint note over the tree of the {@code seq - 1} records before it; not null
   * @return the record's bytes, a new array
   * @throws IllegalArgumentException if {@code seq} is less than 2
   */
  public static byte[] checkpoint(long seq, String note) {
    if (seq < 2) {
      throw new IllegalArgumentException("a checkpoint record follows at least one record");
    }
    return AuditLogFormat.checkpointRecordV2(seq, Objects.requireNonNull(note, "note"));
  }

  /**
   * The {@code recovery} record of a writer that recovered from a failure to write (section 3.4): it failed at {@code
   * failedAt}, refused {@code refused} requests until {@code time}, for a {@code cause} (an error's simple class name,
   * never its message), and cut nothing ({@code truncatedBytes} 0: a database keeps only what committed).
   *
   * @param seq the record's sequence number, from 1
   * @param time when the writer recovered; not null
   * @param failedAt when the failure began; not null
   * @param refused how many appends were refused meanwhile, at least 0
   * @param cause the failure's simple class name, e.g. {@code SQLException}; not null
   * @return the record's bytes, a new array
   * @throws IllegalArgumentException if {@code seq} is not positive or {@code refused} is negative
   */
  public static byte[] recovery(long seq, Instant time, Instant failedAt, long refused, String cause) {
    positive(seq, "seq");
    if (refused < 0) {
      throw new IllegalArgumentException("refused is not negative");
    }
    return AuditLogFormat.outageRecord(seq, Objects.requireNonNull(time, "time"),
        0, Objects.requireNonNull(failedAt, "failedAt"), refused, Objects.requireNonNull(cause, "cause"));
  }

  /**
   * {@code origin}, if it can be a log's origin (section 3.1), the first line of its checkpoints and their key name: 1
   * to 255 printable ASCII characters without spaces or {@code +}.
   *
   * @param origin the origin to check
   * @return {@code origin}, unchanged
   * @throws IllegalArgumentException otherwise
   */
  public static String origin(String origin) {
    return NoteCheckpoints.checkOrigin(origin);
  }

  /**
   * The name of segment {@code number}'s file: {@code audit-NNNNNNNNNNNN.jsonl} (section 1).
   *
   * @param number the segment's number, from 1
   * @return the file name, the number in 12 decimal digits (more if it needs them)
   * @throws IllegalArgumentException if {@code number} is not positive
   */
  public static String segmentFileName(long number) {
    positive(number, "number");
    return AuditLogFormat.segmentName(number);
  }

  private static void positive(long value, String name) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " is positive");
    }
  }
}
