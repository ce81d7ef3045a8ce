package dev.safeguards.audit;

import dev.safeguards.audit.AuditLogFormat.Segment;
import dev.safeguards.tlog.HashReader;
import dev.safeguards.tlog.Proofs;
import dev.safeguards.tlog.TileReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Proofs from a format-2 audit log directory, against its published checkpoint (the {@code checkpoint} file): an
 * inclusion proof for one record, a consistency proof between two tree sizes. They read the checkpoint, a few tiles
 * and (for a record) one segment, never the whole log, and may run while the log is being written. They vouch for
 * nothing themselves: whoever receives a proof checks it ({@link AuditInclusionProof#verify}, {@link
 * Proofs#verifyConsistency}).
 */
public final class AuditProofs {

  private AuditProofs() {}

  /**
   * The record with sequence number {@code seq} and its inclusion proof in the tree of the published checkpoint.
   *
   * @param directory the log's directory; read only
   * @param seq the record's sequence number, from 1 to the published checkpoint's size
   * @return the record, its proof and the published checkpoint (whose signature the receiver checks)
   * @throws AuditException if the log has no published checkpoint, it does not cover {@code seq}, the segment that
   *     held the record is gone (archived), or the files cannot be read
   */
  public static AuditInclusionProof prove(Path directory, long seq) throws AuditException {
    AuditCheckpoint checkpoint = published(directory);
    if (seq < 1 || seq > checkpoint.size()) {
      throw new AuditException("record " + seq + " is not in the published checkpoint, which covers records 1 to "
          + checkpoint.size());
    }
    String record = record(directory, seq);
    try {
      List<byte[]> proof = Proofs.inclusion(tiles(directory), seq - 1, checkpoint.size());
      return new AuditInclusionProof(seq, record, proof, checkpoint);
    } catch (IOException e) {
      throw new AuditException("cannot read the tiles of the audit log", e);
    }
  }

  /**
   * The consistency proof from the tree of {@code size1} records to that of {@code size2}, both at most the published
   * checkpoint's size.
   *
   * @param directory the log's directory; read only
   * @param size1 the older tree's size, at least 1
   * @param size2 the newer tree's size, from {@code size1} to the published checkpoint's size
   * @return the proof's 32-byte hashes, in RFC 9162 order; empty when the sizes are equal
   * @throws AuditException if a size is out of range or the tiles cannot be read
   */
  public static List<byte[]> consistency(Path directory, long size1, long size2) throws AuditException {
    AuditCheckpoint checkpoint = published(directory);
    if (size1 < 1 || size1 > size2 || size2 > checkpoint.size()) {
      throw new AuditException("no consistency proof from " + size1 + " to " + size2 + " records: the published "
          + "checkpoint covers " + checkpoint.size());
    }
    try {
      return Proofs.consistency(tiles(directory), size1, size2);
    } catch (IOException e) {
      throw new AuditException("cannot read the tiles of the audit log", e);
    }
  }

  /**
   * The consistency proof from {@code older} (a checkpoint of this log kept elsewhere) to the log's published
   * checkpoint, as a document that {@link AuditConsistencyProof#verify} checks with the public keys alone.
   *
   * @param directory the log's directory; read only
   * @param older a checkpoint of this log, of at least one record; not null
   * @return the proof from {@code older} to the published checkpoint
   * @throws AuditException if {@code older} is of another log or covers more records than the published checkpoint,
   *     or the files cannot be read
   */
  public static AuditConsistencyProof proveConsistency(Path directory, AuditCheckpoint older) throws AuditException {
    AuditCheckpoint newer = published(directory);
    if (!older.origin().equals(newer.origin())) {
      throw new AuditException("the checkpoint is of the log " + older.origin() + ", not of " + newer.origin());
    }
    if (older.size() < 1 || older.size() > newer.size()) {
      throw new AuditException("the checkpoint covers " + older.size() + " records; the published one covers "
          + newer.size() + ": no consistency proof goes from it");
    }
    return new AuditConsistencyProof(older, newer, consistency(directory, older.size(), newer.size()));
  }

  /**
   * The log's published checkpoint, as its note states it (its signature not checked here).
   *
   * @param directory the log's directory; read only
   * @return the checkpoint the {@code checkpoint} file states, unverified
   * @throws AuditException if there is none or it is not a checkpoint note
   */
  public static AuditCheckpoint published(Path directory) throws AuditException {
    Path file = directory.resolve(TamperEvidentAuditLog.CHECKPOINT_FILE);
    try {
      if (!Files.exists(file)) {
        throw new AuditException("the audit log in " + directory + " has published no checkpoint yet");
      }
      if (Files.size(file) > NoteCheckpoints.MAX_NOTE) {
        throw new AuditException("the checkpoint file is too large to be a checkpoint");
      }
      String note = Files.readString(file, StandardCharsets.UTF_8);
      TreeWalk.Stated s = NoteCheckpoints.read(note);
      return new AuditCheckpoint(s.origin(), s.size(), s.root(), note);
    } catch (TreeWalk.NoteRejected e) {
      throw new AuditException("the checkpoint file is not a checkpoint note: " + e.getMessage());
    } catch (IOException e) {
      throw new AuditException("cannot read the checkpoint file", e);
    }
  }

  private static HashReader tiles(Path directory) {
    return new TileReader(directory);
  }

  /** The bytes of record {@code seq}: from the last segment that starts at or before it. */
  private static String record(Path directory, long seq) throws AuditException {
    try {
      List<Segment> segments = AuditLogFormat.segments(directory);
      for (int i = segments.size() - 1; i >= 0; i--) {
        try (SegmentReader reader = new SegmentReader(segments.get(i).path(), AuditLogFormat.Version.V2)) {
          byte[] first = reader.next();
          if (first == null || AuditLogFormat.parse(first).seq() > seq) {
            continue;
          }
          for (byte[] line = first; line != null; line = reader.next()) {
            if (AuditLogFormat.parse(line).seq() == seq) {
              return new String(line, StandardCharsets.US_ASCII);
            }
          }
          break;
        }
      }
    } catch (IOException e) {
      throw new AuditException("cannot read the audit log's segments", e);
    } catch (IllegalArgumentException e) {
      throw new AuditException("the audit log's segments are not in the format: verify the log");
    }
    throw new AuditException("record " + seq + " is not in the audit log's segments (archived?)");
  }
}
