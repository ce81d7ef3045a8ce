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

  /**
   * Checks the parts.
   *
   * @param origin the log's origin line; not null
   * @param size how many records the tree holds; not negative
   * @param root the tree's root hash, exactly 32 bytes; copied
   * @param note the whole signed note; not null. Not checked against the other parts: {@link #parse} and {@link #read}
   *     make them agree
   * @throws IllegalArgumentException if {@code size} is negative or {@code root} is not 32 bytes
   * @throws NullPointerException if {@code origin} or {@code note} is null
   */
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
   * @param note the signed note; not null
   * @param checkpointKeys the log's checkpoint keys (an Ed25519 keyset, public keys suffice); not null
   * @return the checkpoint the note states, its signature verified
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
   * @param note the signed note; not null
   * @return the checkpoint the note states, its signature not verified
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

  /**
   * The tree's root hash.
   *
   * @return a new 32-byte array
   */
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
