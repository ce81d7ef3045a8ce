package dev.safeguards.audit;

/**
 * The audit log is not as it was written: a record was changed, removed, moved or added, the log was cut short, or a
 * checkpoint does not verify (164.312(b), (c)(1)).
 *
 * <p>{@link #sequence()} is the first sequence number at which the log stops verifying; for {@link
 * Tampering#REWRITTEN} the change lies somewhere after the previous valid checkpoint, and {@link #sequence()} is the
 * first record that checkpoint does not cover. The message names the segment file and line, never a record's content.
 */
public final class AuditLogTamperedException extends AuditException {

  private static final long serialVersionUID = 1L;

  /** What was found. */
  public enum Tampering {
    /** A record's bytes, or its stored chain hash, differ from what was written; or a line is not in the format. */
    MODIFIED,
    /** Records or whole segments are missing. */
    DELETED,
    /** Records appear out of order. */
    REORDERED,
    /** A record that was never written appears among the others. */
    INSERTED,
    /** The log ends before a record it must hold: a segment ends inside a line, or a known checkpoint is beyond it. */
    TRUNCATED,
    /**
     * The chain was recomputed after a change: every chain hash matches, but a signed checkpoint's head does not. Only
     * someone without the checkpoint key can leave this trace.
     */
    REWRITTEN,
    /** A checkpoint's signature does not verify, or its key is unknown. */
    BAD_CHECKPOINT_SIGNATURE,
    /**
     * The log holds another history than a checkpoint kept elsewhere (an anchor, a witness, a verifier's trusted
     * checkpoint): its tree of that size has another root.
     */
    FORKED
  }

  /** What was found. */
  private final Tampering tampering;
  /** The first sequence number at which the log stops verifying. */
  private final long sequence;
  /** The segment file, or what else was read, in which it was found. */
  private final String segment;
  /** The line number from 1, or 0 for the whole. */
  private final long line;

  /**
   * A finding at {@code sequence}, in {@code segment} (a segment file's name, or what else was read: {@code anchor},
   * a database table) at {@code line} (from 1; 0 for the whole), with a {@code detail} that names no secret or PHI.
   * Public for other readers of the format, such as a log kept in a database.
   *
   * @param tampering what was found
   * @param sequence the first sequence number at which the log stops verifying
   * @param segment the segment file's name, or what else was read
   * @param line the line within {@code segment}, from 1; 0 for the whole
   * @param detail what exactly does not verify, in words; no secret, no PHI, no record's content
   */
  public AuditLogTamperedException(Tampering tampering, long sequence, String segment, long line, String detail) {
    super("audit log tampered: " + tampering + " at sequence " + sequence + " (" + segment
        + (line > 0 ? " line " + line : "") + "): " + detail);
    this.tampering = tampering;
    this.sequence = sequence;
    this.segment = segment;
    this.line = line;
  }

  /**
   * What was found.
   *
   * @return the kind of tampering
   */
  public Tampering tampering() {
    return tampering;
  }

  /**
   * The first sequence number at which the log stops verifying.
   *
   * @return the sequence number, from 1
   */
  public long sequence() {
    return sequence;
  }

  /**
   * The segment file in which it was found.
   *
   * @return the segment file's name, or what else was read (e.g. {@code anchor})
   */
  public String segment() {
    return segment;
  }

  /**
   * The line number (from 1) within that segment, or 0 when the finding is about the file as a whole.
   *
   * @return the line number, or 0
   */
  public long line() {
    return line;
  }
}
