package dev.safeguards.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.safeguards.crypto.SigningKeyset;
import dev.safeguards.tlog.Merkle;
import dev.safeguards.tlog.ProofException;
import dev.safeguards.tlog.Proofs;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * One record of a format-2 audit log with the proof that it is in the log (164.312(b)): the record's exact bytes, its
 * RFC 9162 inclusion proof, and the signed checkpoint whose tree the proof leads to. It shows one access to an auditor
 * or a patient without the rest of the log, and {@link #verify} needs nothing but the checkpoint public keys.
 *
 * <p>Its JSON form ({@link #toJson}, {@link #parse}), as {@code safeguards audit prove} writes it:
 * <pre>
 * {"format":"safeguards-audit-inclusion-proof/1","seq":7,"record":"{\"seq\":7,...}","treeSize":16,
 *  "proof":["&lt;base64 hash&gt;",...],"checkpoint":"&lt;the signed note&gt;"}
 * </pre>
 *
 * @param seq the record's sequence number (its leaf index is {@code seq - 1})
 * @param record the record's bytes as in its line, without the line feed (identifiers only, never PHI)
 * @param proof the inclusion proof, leaf to root
 * @param checkpoint the signed checkpoint of the tree the proof leads to
 */
public record AuditInclusionProof(long seq, String record, List<byte[]> proof, AuditCheckpoint checkpoint) {

  /** The value of {@code format} in the JSON form. */
  public static final String FORMAT = "safeguards-audit-inclusion-proof/1";
  private static final int MAX_DOCUMENT = 2 << 20;

  /**
   * Checks the parts.
   *
   * @param seq the record's sequence number, from 1
   * @param record the record's line without the line feed; not null. Not checked here: {@link #verify} does
   * @param proof the inclusion proof's 32-byte hashes; not null; each copied
   * @param checkpoint the signed checkpoint; not null
   * @throws IllegalArgumentException if {@code seq} is less than 1
   * @throws NullPointerException if a part, or a hash of the proof, is null
   */
  public AuditInclusionProof {
    Objects.requireNonNull(record, "record");
    Objects.requireNonNull(checkpoint, "checkpoint");
    proof = proof.stream().map(byte[]::clone).toList();
    if (seq < 1) {
      throw new IllegalArgumentException("a sequence number is positive");
    }
  }

  /**
   * The inclusion proof, leaf to root.
   *
   * @return the proof's hashes, each a new array; unmodifiable
   */
  @Override
  public List<byte[]> proof() {
    return proof.stream().map(byte[]::clone).toList();
  }

  /**
   * Checks that a key of {@code checkpointKeys} signed the checkpoint, that the record names this sequence number, and
   * that the proof leads from the record's leaf to the checkpoint's root.
   *
   * @param checkpointKeys the log's checkpoint keys (an Ed25519 keyset, public keys suffice); not null
   * @throws IllegalArgumentException if the keyset is not Ed25519
   * @throws ProofException if any of it does not hold
   */
  public void verify(SigningKeyset checkpointKeys) throws ProofException {
    TreeWalk.Stated stated;
    try {
      stated = NoteCheckpoints.verifying(checkpointKeys).open(checkpoint.note());
    } catch (TreeWalk.NoteRejected e) {
      throw new ProofException("the checkpoint does not verify: " + e.getMessage());
    }
    if (stated.size() != checkpoint.size() || !stated.origin().equals(checkpoint.origin())
        || !java.security.MessageDigest.isEqual(stated.root(), checkpoint.root())) {
      throw new ProofException("the checkpoint is not what its note says");
    }
    byte[] bytes = record.getBytes(StandardCharsets.US_ASCII);
    AuditLogFormat.Line line;
    try {
      if (!record.chars().allMatch(c -> c >= 0x20 && c <= 0x7e)) {
        throw new IllegalArgumentException("not printable ASCII");
      }
      line = AuditLogFormat.parse(bytes);
    } catch (IllegalArgumentException e) {
      throw new ProofException("the record is not an audit log record");
    }
    if (!line.v2() || line.seq() != seq) {
      throw new ProofException("the record does not carry sequence number " + seq);
    }
    Proofs.verifyInclusion(Merkle.leafHash(bytes), seq - 1, stated.size(), proof, stated.root());
  }

  /**
   * The JSON form.
   *
   * @return the document, which {@link #parse} reads back
   */
  public String toJson() {
    ObjectNode doc = ProofDocuments.start(FORMAT);
    doc.put("seq", seq);
    doc.put("record", record);
    doc.put("treeSize", checkpoint.size());
    ProofDocuments.putHashes(doc, "proof", proof);
    doc.put("checkpoint", checkpoint.note());
    return ProofDocuments.write(doc);
  }

  /**
   * Reads the JSON form. The checkpoint is read as its note says, not yet verified: {@link #verify} does that.
   *
   * @param json the document, at most 2097152 characters; not null
   * @return the proof as the document states it, unverified
   * @throws IllegalArgumentException if it is not a proof document of this format
   */
  public static AuditInclusionProof parse(String json) {
    JsonNode doc = ProofDocuments.read(json, FORMAT, MAX_DOCUMENT);
    JsonNode seq = doc.get("seq");
    JsonNode size = doc.get("treeSize");
    if (seq == null || !seq.isIntegralNumber() || size == null || !size.isIntegralNumber()) {
      throw new IllegalArgumentException("the proof document's seq or treeSize is missing or malformed");
    }
    List<byte[]> proof = ProofDocuments.hashes(doc, "proof", 64);
    String note = ProofDocuments.text(doc, "checkpoint");
    TreeWalk.Stated stated;
    try {
      stated = NoteCheckpoints.read(note);
    } catch (TreeWalk.NoteRejected e) {
      throw new IllegalArgumentException("the proof document's checkpoint is not a checkpoint note: " + e.getMessage());
    }
    if (stated.size() != size.longValue()) {
      throw new IllegalArgumentException("the proof document's treeSize is not its checkpoint's");
    }
    AuditCheckpoint checkpoint = new AuditCheckpoint(stated.origin(), stated.size(), stated.root(), note);
    if (seq.longValue() < 1) {
      throw new IllegalArgumentException("the proof document's seq is not positive");
    }
    return new AuditInclusionProof(seq.longValue(), ProofDocuments.text(doc, "record"), proof, checkpoint);
  }
}
