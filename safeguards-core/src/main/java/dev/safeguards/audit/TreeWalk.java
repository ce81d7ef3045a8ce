package dev.safeguards.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.safeguards.audit.AuditLogFormat.Segment;
import dev.safeguards.audit.AuditLogFormat.Version;
import dev.safeguards.audit.AuditLogTamperedException.Tampering;
import dev.safeguards.integrity.internal.JsonCanonicalizer;
import dev.safeguards.tlog.GrowingTree;
import dev.safeguards.tlog.HashReader;
import dev.safeguards.tlog.Merkle;
import java.io.IOException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One pass over the segments of a format-2 log in order, shared by {@link AuditLogVerifier} and by {@link
 * TamperEvidentAuditLog} when it reopens a log: every line in the layout, sequence numbers without gaps, each
 * segment's first record naming it, every record a leaf of the tree, and every checkpoint record a note signed by a
 * trusted key over the tree of the records before it.
 *
 * <p>Where the log's stored leaf hashes (its tiles) are given, each record is compared with its stored hash, which
 * tells exactly which record was changed; a change made to both is found at the next checkpoint, whose signed root no
 * longer matches ({@link Tampering#REWRITTEN}).
 */
final class TreeWalk extends SegmentWalk {

  /** Opens a checkpoint note: checks its signature with the trusted keys and says what it states. */
  interface Notes {
    /**
     * What {@code note} states, its signature verified.
     *
     * @throws NoteRejected if it is malformed ({@link Tampering#MODIFIED}) or no trusted key signed it ({@link
     *     Tampering#BAD_CHECKPOINT_SIGNATURE})
     */
    Stated open(String note) throws NoteRejected;

    /**
     * What {@code note} states, its signature not checked ({@link #open} checks it).
     *
     * @throws NoteRejected if it is malformed ({@link Tampering#MODIFIED})
     */
    Stated statement(String note) throws NoteRejected;
  }

  /** What a checkpoint states: the log, the tree size, its root. */
  record Stated(String origin, long size, byte[] root) {}

  /** A checkpoint note that does not verify, and what that means. */
  static final class NoteRejected extends Exception {
    private static final long serialVersionUID = 1L;
    final transient Tampering tampering;

    NoteRejected(Tampering tampering, String why) {
      super(why);
      this.tampering = tampering;
    }
  }

  /** A checkpoint the log must extend, and what it means if it does not. */
  private record Expected(Stated checkpoint, Tampering ifDifferent, String source) {}

  private final Notes notes;
  /** Checks the checkpoints' signatures beside the walk, during {@link #segments}. */
  private NoteSignatureChecks signatures;
  private final GrowingTree leaves;
  private HashReader stored;
  private long storedSize;
  private final Map<Long, Expected> expected = new HashMap<>();
  /** The smallest size in {@link #expected}: below it, no record needs a lookup. */
  private long smallestExpected = Long.MAX_VALUE;

  String origin;
  java.util.UUID logId;
  /** The format-1 log this one continues, from segment 1's record, if it says so. */
  Format1Head continues;
  long lastSegment;
  long segmentFirstSeq;
  Instant segmentOpened;
  long checkpoints;
  long events;
  long recoveries;
  String lastNote;
  private long lastCheckpointSize;
  /** Whether the stored hashes could not be read part way. */
  boolean storedLost;

  /**
   * A walk that checks notes with {@code notes} and adds the leaves to {@code leaves} (a frontier to verify, the log's
   * tile writer to continue writing) from the first record beyond
   * its size, comparing each with {@code stored} (the log's tiles, which hold {@code storedSize} leaves; null for
   * none).
   */
  TreeWalk(Notes notes, GrowingTree leaves, HashReader stored, long storedSize) {
    this.notes = notes;
    this.leaves = leaves;
    this.stored = stored;
    this.storedSize = stored == null ? 0 : storedSize;
  }

  /**
   * Requires the log to extend {@code checkpoint}: its tree at that size must have that root. {@code ifDifferent} is
   * what it means when not ({@link Tampering#FORKED} for a checkpoint anchored elsewhere); a log that ends before it is
   * {@link Tampering#TRUNCATED}.
   */
  void expect(Stated checkpoint, Tampering ifDifferent, String source) {
    if (checkpoint.size() > 0) {
      smallestExpected = Math.min(smallestExpected, checkpoint.size());
      expected.merge(checkpoint.size(), new Expected(checkpoint, ifDifferent, source),
          (a, b) -> a.ifDifferent() == Tampering.FORKED ? a : b);
    }
  }

  /**
   * Fails if the log ends before a checkpoint it must extend. Call after the last segment; {@code lastName} names it.
   */
  void reachedExpected(String lastName) throws AuditLogTamperedException {
    for (Expected e : expected.values()) {
      long size = e.checkpoint().size();
      if (size > lastSeq) {
        throw tampered(Tampering.TRUNCATED, lastSeq + 1, lastName, 0, "the log ends after " + lastSeq
            + " records, but " + e.source() + " covers " + size);
      }
      if (size == leaves.size() && !MessageDigest.isEqual(leaves.root(), e.checkpoint().root())) {
        throw tampered(e.ifDifferent(), size, lastName, 0, "the tree of the first " + size + " records differs from "
            + e.source());
      }
    }
  }

  @Override
  Version version() {
    return Version.V2;
  }

  /**
   * Walks the segments; the checkpoints' signatures are checked on a thread beside it, and a bad one is reported before
   * anything the walk found after it.
   */
  @Override
  void segments(List<Segment> segments) throws AuditException {
    try (NoteSignatureChecks checks = new NoteSignatureChecks(notes)) {
      signatures = checks;
      try {
        super.segments(segments);
      } catch (AuditException | RuntimeException e) {
        checks.awaitAll(); // a note before what went wrong that does not verify went wrong first
        throw e;
      }
      checks.awaitAll();
    } finally {
      signatures = null;
    }
  }

  @Override
  void line(SegmentReader reader, long segment, String name, long lineNo) throws AuditException, IOException {
    // The line is read where the reader holds it: only a record that is not an event is copied, to be parsed whole.
    byte[] bytes = reader.array();
    int offset = reader.offset();
    int length = reader.length();
    long expectedSeq = firstSeq < 0 ? -1 : lastSeq + 1;
    AuditLogFormat.Start line;
    try {
      if (Version.of(bytes, offset, length) != Version.V2) {
        throw new IllegalArgumentException("a format-1 line in a format-2 log");
      }
      if (!reader.printable()) {
        throw new IllegalArgumentException("the line holds a byte that is not printable ASCII");
      }
      line = AuditLogFormat.startV2(bytes, offset, length);
    } catch (IllegalArgumentException e) {
      throw tampered(Tampering.MODIFIED, Math.max(expectedSeq, 1), name, lineNo, e.getMessage());
    }
    long seq = line.seq();
    if (expectedSeq >= 0 && seq != expectedSeq) {
      throw outOfOrder(seq, nextSeq(reader.peek()), expectedSeq, name, lineNo); // the next line only tells what broke
    }
    byte[] leaf = Merkle.leafHash(bytes, offset, length);
    byte[] kept = seq <= storedSize ? storedLeaf(seq) : null;
    if (kept != null) {
      if (!Arrays.equals(leaf, kept)) { // hashes of the log: public, so no constant-time comparison is needed
        throw nextSeq(reader.peek()) == seq
            ? tampered(Tampering.INSERTED, seq, name, lineNo, "this line was not written by the log")
            : tampered(Tampering.MODIFIED, seq, name, lineNo, "the record differs from the leaf hash stored for it");
      }
    }
    boolean firstInSegment = lineNo == 1;
    byte[] record = null;
    JsonNode json = null;
    if (firstInSegment || !line.kind().equals(AuditLogFormat.KIND_EVENT)) {
      record = Arrays.copyOfRange(bytes, offset, offset + length);
      json = parseRecord(record, seq, name, lineNo);
    }
    if (firstInSegment) {
      segmentStart(json, record, segment, seq, name, lineNo);
    } else if (line.kind().equals(AuditLogFormat.KIND_SEGMENT)) {
      throw tampered(Tampering.MODIFIED, seq, name, lineNo, "a segment record inside a segment");
    }
    if (leaves.size() == seq - 1 && !expected.isEmpty() && seq - 1 >= smallestExpected) {
      Expected e = expected.get(seq - 1);
      if (e != null && !MessageDigest.isEqual(leaves.root(), e.checkpoint().root())) {
        throw tampered(e.ifDifferent(), seq - 1, name, lineNo, "the tree of the first " + (seq - 1)
            + " records differs from " + e.source());
      }
    }
    switch (line.kind()) {
      case AuditLogFormat.KIND_EVENT -> events++;
      case AuditLogFormat.KIND_RECOVERY, AuditLogFormat.KIND_OVERRIDE -> recoveries++;
      case AuditLogFormat.KIND_CHECKPOINT -> checkpoint(json, record, seq, name, lineNo);
      case AuditLogFormat.KIND_SEGMENT -> { }
      default -> throw tampered(Tampering.MODIFIED, seq, name, lineNo, "unknown record kind");
    }
    if (leaves.size() == seq - 1) {
      leaves.append(leaf);
    } else if (leaves.size() < seq - 1) {
      throw tampered(Tampering.DELETED, leaves.size() + 1, name, lineNo,
          "the records before this one are neither in the log nor in its stored hashes");
    }
    unsignedTail = line.kind().equals(AuditLogFormat.KIND_CHECKPOINT) ? 0 : unsignedTail + 1;
    if (firstSeq < 0) {
      firstSeq = seq;
    }
    lastSeq = seq;
  }

  /**
   * The stored hash of record {@code seq}, or null once the stored hashes cannot be read (removed or damaged): they
   * only say where a change is, and without them the checkpoints still find it.
   */
  private byte[] storedLeaf(long seq) {
    try {
      return stored.node(0, seq - 1);
    } catch (IOException e) {
      storedSize = 0;
      storedLost = true;
      return null;
    }
  }

  /**
   * Names what a sequence number out of place means, from the numbers around it: a line followed by the record its
   * position expects was slipped in (or moved forward), a number seen before appears again, or records are missing.
   */
  private AuditLogTamperedException outOfOrder(long seq, long nextSeq, long expectedSeq, String name, long lineNo) {
    if (seq > expectedSeq) {
      return nextSeq == expectedSeq
          ? tampered(Tampering.REORDERED, expectedSeq, name, lineNo, "a later record comes before it")
          : tampered(Tampering.DELETED, expectedSeq, name, lineNo,
              "records " + expectedSeq + " to " + (seq - 1) + " are missing");
    }
    if (seq == lastSeq) {
      return tampered(Tampering.INSERTED, expectedSeq, name, lineNo, "a second record with sequence " + seq);
    }
    return tampered(Tampering.REORDERED, expectedSeq, name, lineNo, "an earlier sequence number appears again");
  }

  private static long nextSeq(byte[] next) {
    if (next == null) {
      return -1;
    }
    try {
      return AuditLogFormat.parse(next).seq();
    } catch (IllegalArgumentException e) {
      return -1;
    }
  }

  private static JsonNode parseRecord(byte[] record, long seq, String name, long lineNo)
      throws AuditLogTamperedException {
    try {
      return JsonCanonicalizer.parseStrict(record);
    } catch (IllegalArgumentException e) {
      throw tampered(Tampering.MODIFIED, seq, name, lineNo, "the record is not valid JSON");
    }
  }

  /** Checks a segment's first record. */
  private void segmentStart(JsonNode record, byte[] bytes, long segment, long seq, String name, long lineNo)
      throws AuditLogTamperedException {
    try {
      if (!AuditLogFormat.KIND_SEGMENT.equals(AuditJson.required(record, "kind"))) {
        throw new IllegalArgumentException("a segment does not begin with a segment record");
      }
      JsonNode format = record.get("format");
      if (format == null || !format.isIntegralNumber() || format.longValue() != 2) {
        throw new IllegalArgumentException("the segment record does not name format 2");
      }
      JsonNode number = record.get("segment");
      if (number == null || !number.canConvertToLong() || number.longValue() != segment) {
        throw new IllegalArgumentException("the segment record names another segment");
      }
      String o = NoteCheckpoints.checkOrigin(AuditJson.required(record, "origin"));
      if (origin != null && !origin.equals(o)) {
        throw new IllegalArgumentException("the segment belongs to another log");
      }
      if (segment == 1 && seq != 1) {
        throw new IllegalArgumentException("the first segment does not start with record 1");
      }
      java.util.UUID log;
      try {
        log = java.util.UUID.fromString(AuditJson.required(record, "log"));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("the segment record's log id is missing or malformed");
      }
      if (logId != null && !logId.equals(log)) {
        throw new IllegalArgumentException("the segment belongs to another log");
      }
      origin = o;
      logId = log;
      lastSegment = segment;
      segmentFirstSeq = seq;
      try {
        segmentOpened = Instant.parse(AuditJson.required(record, "time"));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("the segment record's time is missing or malformed");
      }
      Format1Head c = null;
      JsonNode cont = record.get("continues");
      if (cont != null) {
        if (segment != 1) {
          throw new IllegalArgumentException("only the first segment may continue a format-1 log");
        }
        try {
          JsonNode seq1 = cont.get("seq");
          if (seq1 == null || !seq1.isIntegralNumber()) {
            throw new IllegalArgumentException("no sequence number");
          }
          c = new Format1Head(java.util.UUID.fromString(AuditJson.required(cont, "log")), seq1.longValue(),
              AuditJson.required(cont, "head"));
        } catch (RuntimeException e) {
          throw new IllegalArgumentException("the segment record's continuation is malformed");
        }
        continues = c;
      }
      if (!Arrays.equals(bytes, AuditLogFormat.segmentRecordV2(seq, origin, logId, segment, segmentOpened, c))) {
        throw new IllegalArgumentException("the segment record is not in the form the writer writes");
      }
    } catch (IllegalArgumentException e) {
      throw tampered(Tampering.MODIFIED, seq, name, lineNo, e.getMessage());
    }
  }

  private void checkpoint(JsonNode record, byte[] bytes, long seq, String name, long lineNo)
      throws AuditException {
    String note;
    try {
      note = AuditJson.required(record, "note");
    } catch (RuntimeException e) {
      throw tampered(Tampering.MODIFIED, seq, name, lineNo, "the checkpoint record is malformed");
    }
    if (!Arrays.equals(bytes, AuditLogFormat.checkpointRecordV2(seq, note))) {
      throw tampered(Tampering.MODIFIED, seq, name, lineNo,
          "the checkpoint record is not exactly its sequence number, size and note");
    }
    Stated stated;
    try {
      stated = notes.statement(note);
    } catch (NoteRejected e) {
      throw tampered(e.tampering, seq, name, lineNo, e.getMessage());
    }
    signatures.submit(note, seq, name, lineNo);
    if (!stated.origin().equals(origin) || stated.size() != seq - 1) {
      throw tampered(Tampering.MODIFIED, seq, name, lineNo, "the checkpoint note is about another log or size");
    }
    if (leaves.size() == seq - 1 && !MessageDigest.isEqual(stated.root(), leaves.root())) {
      long from = Math.max(lastCheckpointSize + 1, firstSeq);
      throw tampered(Tampering.REWRITTEN, from, name, lineNo, "records " + from + " to " + (seq - 1)
          + " were changed after checkpoint " + seq + " was signed");
    }
    lastCheckpointSize = seq - 1;
    lastNote = note;
    checkpoints++;
  }
}
