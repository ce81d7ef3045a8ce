package dev.safeguards.audit;

import java.io.IOException;
import java.util.List;

/**
 * Somewhere the audit log's checkpoints are kept that the log's own host cannot rewrite: another mount, a witness,
 * a database (164.312(b), (c)(1)). A log that publishes every checkpoint to an anchor, and checks on opening that it
 * still extends the anchor's latest, cannot be cut short or rewritten without that being found: the anchor accepts
 * only consistent growth, and a verifier given the anchored checkpoint finds any other history ({@link
 * AuditLogTamperedException.Tampering#TRUNCATED}, {@link AuditLogTamperedException.Tampering#FORKED}).
 *
 * <p>Implementations must be thread-safe; the log calls {@link #publish} from one thread, in checkpoint order.
 */
public interface CheckpointAnchor {

  /**
   * What and where the anchor is, for logs and the compliance report (no secrets).
   *
   * @return one line, e.g. {@code directory /mnt/anchor}; never a credential
   */
  String describe();

  /**
   * Checks that the log, whose current tree {@code current} is a checkpoint of, extends the checkpoint the anchor
   * holds for its origin (if any), with consistency proofs from {@code proofs}. An anchor that cosigns (a witness) may
   * keep {@code current} as its latest on the way.
   *
   * @param current a checkpoint of the log's current tree, signed by its key; not null
   * @param proofs gives the consistency proof from any older size to {@code current}'s; not null
   * @throws AnchorRefusedException if it does not: {@link AnchorRefusedException#finding()} says how
   * @throws IOException if the anchor cannot be asked
   */
  void verifyExtends(AuditCheckpoint current, ConsistencyProofs proofs) throws IOException;

  /**
   * Keeps {@code checkpoint} as the latest for its origin. An anchor that holds an older one checks that the new one
   * extends it, with the consistency proof {@code proofs} gives from the older size.
   *
   * @param checkpoint the checkpoint just published by the log; not null
   * @param proofs gives the consistency proof from any older size to {@code checkpoint}'s; not null
   * @throws AnchorRefusedException if the checkpoint does not extend the one the anchor holds (a rollback or a fork)
   * @throws IOException if the anchor cannot be reached or written
   */
  void publish(AuditCheckpoint checkpoint, ConsistencyProofs proofs) throws IOException;

  /** Consistency proofs from older tree sizes to the checkpoint being published. */
  @FunctionalInterface
  interface ConsistencyProofs {
    /**
     * The proof that the tree of {@code oldSize} records is a prefix of the checkpoint's tree.
     *
     * @param oldSize the older tree's size, from 1 to the checkpoint's size
     * @return the proof's 32-byte hashes, in RFC 9162 order
     * @throws IOException if the log's hashes cannot be read
     */
    List<byte[]> from(long oldSize) throws IOException;
  }

  /** The anchor refused a checkpoint: it does not extend what the anchor holds. */
  final class AnchorRefusedException extends IOException {
    private static final long serialVersionUID = 1L;
    /** What the refusal means for the log. */
    private final AuditLogTamperedException.Tampering finding;

    /**
     * A refusal, what it means for the log ({@link AuditLogTamperedException.Tampering#TRUNCATED}: the anchor holds a
     * larger tree; {@link AuditLogTamperedException.Tampering#FORKED}: another history; {@link
     * AuditLogTamperedException.Tampering#BAD_CHECKPOINT_SIGNATURE}: not signed by the log's key), and why.
     *
     * @param finding what the refusal means for the log; not null
     * @param message why, in words; no secret, no record's content
     */
    public AnchorRefusedException(AuditLogTamperedException.Tampering finding, String message) {
      super(message);
      this.finding = java.util.Objects.requireNonNull(finding, "finding");
    }

    /**
     * What the refusal means for the log.
     *
     * @return {@code TRUNCATED}, {@code FORKED} or {@code BAD_CHECKPOINT_SIGNATURE}, as the anchor found
     */
    public AuditLogTamperedException.Tampering finding() {
      return finding;
    }
  }
}
