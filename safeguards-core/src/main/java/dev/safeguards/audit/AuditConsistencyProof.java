package dev.safeguards.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.safeguards.crypto.SigningKeyset;
import dev.safeguards.tlog.ProofException;
import dev.safeguards.tlog.Proofs;
import java.security.MessageDigest;
import java.util.List;
import java.util.Objects;

/**
 * Two signed checkpoints of one format-2 audit log and the RFC 9162 consistency proof between them (164.312(b),
 * (c)(1)): that the log of the newer checkpoint holds every record of the older one, unchanged and in place. Whoever
 * kept the older checkpoint (an auditor, a witness, a patient who was shown a proof under it) checks with {@link
 * #verify}, with the checkpoint public keys alone, that the log was only appended to since.
 *
 * <p>Its JSON form ({@link #toJson}, {@link #parse}), as {@code safeguards audit prove --from-checkpoint} writes it:
 * <pre>
 * {"format":"safeguards-audit-consistency-proof/1","oldSize":9,"newSize":16,"proof":["&lt;base64 hash&gt;",...],
 *  "oldCheckpoint":"&lt;signed note&gt;","newCheckpoint":"&lt;signed note&gt;"}
 * </pre>
 *
 * @param older the older checkpoint
 * @param newer the newer checkpoint, of at least as many records
 * @param proof the consistency proof from the older tree to the newer
 */
public record AuditConsistencyProof(AuditCheckpoint older, AuditCheckpoint newer, List<byte[]> proof) {

  /** The value of {@code format} in the JSON form. */
  public static final String FORMAT = "safeguards-audit-consistency-proof/1";
  private static final int MAX_DOCUMENT = 256 * 1024;

  /**
   * Checks the parts.
   *
   * @param older the older checkpoint, of at least one record; not null
   * @param newer the newer checkpoint, of at least as many records; not null
   * @param proof the consistency proof's 32-byte hashes; not null; each copied
   * @throws IllegalArgumentException if the older checkpoint is empty or larger than the newer
   * @throws NullPointerException if a part, or a hash of the proof, is null
   */
  public AuditConsistencyProof {
    Objects.requireNonNull(older, "older");
    Objects.requireNonNull(newer, "newer");
    proof = proof.stream().map(byte[]::clone).toList();
    if (older.size() < 1 || older.size() > newer.size()) {
      throw new IllegalArgumentException("a consistency proof goes from a tree of at least one record to one at "
          + "least as large");
    }
  }

  /**
   * The consistency proof from the older tree to the newer.
   *
   * @return the proof's hashes, each a new array; unmodifiable
   */
  @Override
  public List<byte[]> proof() {
    return proof.stream().map(byte[]::clone).toList();
  }

  /**
   * Checks that a key of {@code checkpointKeys} signed both checkpoints, that they are of one log, and that the proof
   * shows the newer tree extends the older.
   *
   * @param checkpointKeys the log's checkpoint keys (an Ed25519 keyset, public keys suffice); not null
   * @throws IllegalArgumentException if the keyset is not Ed25519
   * @throws ProofException if any of it does not hold
   */
  public void verify(SigningKeyset checkpointKeys) throws ProofException {
    CheckpointNotes notes = NoteCheckpoints.verifying(checkpointKeys);
    TreeWalk.Stated old = open(notes, older, "older");
    TreeWalk.Stated now = open(notes, newer, "newer");
    if (!old.origin().equals(now.origin())) {
      throw new ProofException("the checkpoints are of two logs, " + old.origin() + " and " + now.origin());
    }
    Proofs.verifyConsistency(old.size(), now.size(), old.root(), now.root(), proof);
  }

  private static TreeWalk.Stated open(CheckpointNotes notes, AuditCheckpoint c, String which) throws ProofException {
    TreeWalk.Stated s;
    try {
      s = notes.open(c.note());
    } catch (TreeWalk.NoteRejected e) {
      throw new ProofException("the " + which + " checkpoint does not verify: " + e.getMessage());
    }
    if (s.size() != c.size() || !s.origin().equals(c.origin()) || !MessageDigest.isEqual(s.root(), c.root())) {
      throw new ProofException("the " + which + " checkpoint is not what its note says");
    }
    return s;
  }

  /**
   * The JSON form.
   *
   * @return the document, which {@link #parse} reads back
   */
  public String toJson() {
    ObjectNode doc = ProofDocuments.start(FORMAT);
    doc.put("oldSize", older.size());
    doc.put("newSize", newer.size());
    ProofDocuments.putHashes(doc, "proof", proof);
    doc.put("oldCheckpoint", older.note());
    doc.put("newCheckpoint", newer.note());
    return ProofDocuments.write(doc);
  }

  /**
   * Reads the JSON form. The checkpoints are read as their notes say, not yet verified: {@link #verify} does that.
   *
   * @param json the document, at most 262144 characters; not null
   * @return the proof as the document states it, unverified
   * @throws IllegalArgumentException if it is not a consistency proof document of this format
   */
  public static AuditConsistencyProof parse(String json) {
    JsonNode doc = ProofDocuments.read(json, FORMAT, MAX_DOCUMENT);
    List<byte[]> proof = ProofDocuments.hashes(doc, "proof", 128);
    AuditCheckpoint older = checkpoint(doc, "oldCheckpoint", "oldSize");
    AuditCheckpoint newer = checkpoint(doc, "newCheckpoint", "newSize");
    return new AuditConsistencyProof(older, newer, proof);
  }

  private static AuditCheckpoint checkpoint(JsonNode doc, String name, String sizeName) {
    String note = ProofDocuments.text(doc, name);
    TreeWalk.Stated stated;
    try {
      stated = NoteCheckpoints.read(note);
    } catch (TreeWalk.NoteRejected e) {
      throw new IllegalArgumentException("the proof document's " + name + " is not a checkpoint note: "
          + e.getMessage());
    }
    JsonNode size = doc.get(sizeName);
    if (size == null || !size.isIntegralNumber() || size.longValue() != stated.size()) {
      throw new IllegalArgumentException("the proof document's " + sizeName + " is not its " + name + "'s size");
    }
    return new AuditCheckpoint(stated.origin(), stated.size(), stated.root(), note);
  }
}
