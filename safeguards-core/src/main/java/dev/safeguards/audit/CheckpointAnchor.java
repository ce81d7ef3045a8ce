package dev.safeguards.audit;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

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

  /** What and where the anchor is, for logs and the compliance report (no secrets). */
  String describe();

  /**
   * The latest checkpoint the anchor holds for {@code origin}, as it holds it (the caller checks its signature).
   *
   * @throws IOException if the anchor cannot be asked
   */
  Optional<AuditCheckpoint> latest(String origin) throws IOException;

  /**
   * Keeps {@code checkpoint} as the latest for its origin. An anchor that holds an older one checks that the new one
   * extends it, with the consistency proof {@code proofs} gives from the older size.
   *
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
     * @throws IOException if the log's hashes cannot be read
     */
    List<byte[]> from(long oldSize) throws IOException;
  }

  /** The anchor refused a checkpoint: it does not extend what the anchor holds. */
  final class AnchorRefusedException extends IOException {
    private static final long serialVersionUID = 1L;

    /** A refusal and why. */
    public AnchorRefusedException(String message) {
      super(message);
    }
  }
}
