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
