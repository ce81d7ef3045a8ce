package dev.safeguards.audit;

import java.util.Base64;
import java.util.Objects;

/**
 * A signed checkpoint of a format-2 audit log: the C2SP tlog-checkpoint signed note over the Merkle tree of the log's
 * first {@link #size()} records (164.312(b), (c)(1)). Keep it off the host (a witness, another mount, a SIEM): a log
 * that does not extend it has been cut short or rewritten.
 *
 * @param origin the log's origin line
 * @param size how many records the tree holds
 * @param root the tree's root hash, 32 bytes
 * @param note the whole signed note, as the log wrote it
 */
public record AuditCheckpoint(String origin, long size, byte[] root, String note) {

  /** Checks the parts. */
  public AuditCheckpoint {
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(note, "note");
    if (size < 0 || root == null || root.length != 32) {
      throw new IllegalArgumentException("a checkpoint has a size and a 32-byte root");
    }
    root = root.clone();
  }

  /**
   * Reads a checkpoint from its signed note (as the log's {@code checkpoint} file, its checkpoint records, an anchor or
   * a witness keep it) and checks that a key of {@code checkpointKeys} signed it.
   *
   * @throws IllegalArgumentException if the note is malformed or no key of the set signed it
   */
  public static AuditCheckpoint parse(String note, dev.safeguards.crypto.SigningKeyset checkpointKeys) {
    try {
      TreeWalk.Stated s = NoteCheckpoints.verifying(checkpointKeys).open(note);
      return new AuditCheckpoint(s.origin(), s.size(), s.root(), note);
    } catch (TreeWalk.NoteRejected e) {
      throw new IllegalArgumentException("not a checkpoint signed by the checkpoint keys: " + e.getMessage());
    }
  }

  /**
   * Reads what a checkpoint note states without checking its signature: for a proof document, whose reader checks it
   * ({@link AuditConsistencyProof#verify}).
   *
   * @throws IllegalArgumentException if the note is not a checkpoint note
   */
  public static AuditCheckpoint read(String note) {
    try {
      TreeWalk.Stated s = NoteCheckpoints.read(note);
      return new AuditCheckpoint(s.origin(), s.size(), s.root(), note);
    } catch (TreeWalk.NoteRejected e) {
      throw new IllegalArgumentException("not a checkpoint note: " + e.getMessage());
    }
  }

  @Override
  public byte[] root() {
    return root.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AuditCheckpoint c && c.note.equals(note);
  }

  @Override
  public int hashCode() {
    return note.hashCode();
  }

  @Override
  public String toString() {
    return "AuditCheckpoint[" + origin + ", size " + size + ", root " + Base64.getEncoder().encodeToString(root) + "]";
  }
}
