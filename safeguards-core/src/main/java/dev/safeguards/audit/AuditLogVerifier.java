package dev.safeguards.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.safeguards.audit.AuditLogFormat.Line;
import dev.safeguards.audit.AuditLogFormat.Segment;
import dev.safeguards.audit.AuditLogTamperedException.Tampering;
import dev.safeguards.crypto.InvalidSignatureException;
import dev.safeguards.crypto.KeyId;
import dev.safeguards.crypto.SigningKeyset;
import dev.safeguards.integrity.internal.JsonCanonicalizer;
import dev.safeguards.tlog.Cosignature;
import dev.safeguards.tlog.Frontier;
import dev.safeguards.tlog.NoteVerifier;
import dev.safeguards.tlog.TileReader;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Checks a directory of audit log segments written by {@link TamperEvidentAuditLog}: every record in order and in the
 * log's Merkle tree, every checkpoint signed (164.312(b), (c)(1)). It reads format 2 (docs/audit-log-format.md) and the
 * format-1 hash chain written before it (docs/audit-log-format-v1.md), telling them apart by their first bytes.
 *
 * <p>{@link #verify} returns what it found, or throws {@link AuditLogTamperedException} naming the first sequence
 * number at which the log stops verifying and why. It needs only the checkpoint <em>public</em> keys, so it can run
 * anywhere, and the format documents specify everything it checks, so that a third party can write their own.
 *
 * <p>What it cannot see on its own: whoever can write the files can cut the log back to an earlier checkpoint, put
 * that one into the {@code checkpoint} file, and rewrite what follows ({@link VerifiedAuditLog#unsignedTail()} says how
 * many records no checkpoint vouches for). Checkpoints kept elsewhere close that gap: pass them to {@link
 * Builder#trustCheckpoint} ({@link Builder#expectCheckpoint} for format 1) and a log that is not their history fails
 * ({@code TRUNCATED}, {@code FORKED}). Instances are immutable and thread-safe.
 */
public final class AuditLogVerifier {

  /** The format-1 checkpoint keys; null when given as note verifier keys, which verify format 2 only. */
  private final SigningKeyset checkpointKeys;
  private final CheckpointNotes notes;
  private final Map<Long, SignedCheckpoint> expected;
  private final List<AuditCheckpoint> trusted;
  private final boolean allowArchivedPrefix;

  private AuditLogVerifier(Builder b) {
    this.checkpointKeys = b.checkpointKeys;
    this.notes = b.notes;
    this.expected = Map.copyOf(b.expected);
    this.trusted = List.copyOf(b.trusted);
    this.allowArchivedPrefix = b.allowArchivedPrefix;
  }

  /**
   * Starts configuring a verifier.
   *
   * @param checkpointKeys the checkpoint keys: the signing keyset, or the public keys from {@link
   *     SigningKeyset#fromPublicJwks}. Ed25519 keys verify both formats; ECDSA P-256 keys, which format 1 allowed,
   *     verify format-1 checkpoints only (a format-2 checkpoint, an Ed25519 note, then fails as {@code
   *     BAD_CHECKPOINT_SIGNATURE})
   * @return a builder that expects and trusts no checkpoint yet and requires the first segment
   * @throws IllegalArgumentException if the keyset is neither Ed25519 nor ECDSA P-256 (an HMAC keyset)
   */
  public static Builder builder(SigningKeyset checkpointKeys) {
    Objects.requireNonNull(checkpointKeys, "checkpointKeys");
    if (checkpointKeys.algorithm().equals("ES256")) { // format 1 only
      return new Builder(checkpointKeys, NoteCheckpoints.trustingNone());
    }
    return new Builder(checkpointKeys, NoteCheckpoints.verifying(checkpointKeys));
  }

  /**
   * Starts configuring a verifier of format-2 logs that trusts the checkpoint keys given as C2SP note verifier keys,
   * {@code <origin>+<key hash>+<base64(0x01 || Ed25519 key)>} (as {@code safeguards keys public --note-name} prints
   * them, and Go's {@code sumdb/note} reads them): pin them in the verifier's own configuration rather than read them
   * from the log's host. A format-1 log needs its JWK set ({@link #builder(SigningKeyset)}).
   *
   * @param noteVerifierKeys the verifier keys, each named by the origin of the log it signs for; not null, at least one
   * @return a builder that trusts no checkpoint yet and requires the first segment
   * @throws IllegalArgumentException if there is no key, or one is malformed, does not match its key hash, or is a
   *     cosigner's key
   */
  public static Builder builder(List<String> noteVerifierKeys) {
    List<NoteVerifier> keys = new java.util.ArrayList<>();
    for (String vkey : Objects.requireNonNull(noteVerifierKeys, "noteVerifierKeys")) {
      keys.add(NoteVerifier.parse(vkey));
    }
    return new Builder(null, NoteCheckpoints.verifying(keys));
  }

  /**
   * Verifies every segment in {@code directory}.
   *
   * @param directory the log's directory; read only, never written
   * @return what the log holds: its counts, first and last sequence numbers, and last checkpoint
   * @throws AuditLogTamperedException if the log is not as written, or holds no complete record
   * @throws AuditException if the directory cannot be read
   */
  public VerifiedAuditLog verify(Path directory) throws AuditException {
    List<Segment> segments;
    try {
      segments = AuditLogFormat.segments(directory);
    } catch (IOException e) {
      throw new AuditException("cannot list the audit log directory", e);
    }
    if (segments.isEmpty()) {
      throw new AuditLogTamperedException(Tampering.DELETED, 1, directory.getFileName() + "", 0,
          "the directory holds no audit log segment");
    }
    if (segments.get(0).number() != 1 && !allowArchivedPrefix) {
      throw new AuditLogTamperedException(Tampering.DELETED, 1, AuditLogFormat.segmentName(1), 0,
          "the first segment is missing (if earlier segments were archived, allow an archived prefix)");
    }
    AuditLogFormat.Version version;
    try {
      version = AuditLogFormat.version(segments.get(0).path());
    } catch (IOException e) {
      throw new AuditException("cannot read audit segment " + segments.get(0).path().getFileName(), e);
    }
    if (version == AuditLogFormat.Version.V2) {
      return verifyTree(directory, segments);
    }
    if (!trusted.isEmpty()) {
      throw new AuditException("a format-1 log has no tree checkpoints to compare with a trusted one");
    }
    if (checkpointKeys == null) {
      throw new AuditException("a format-1 log is verified with its checkpoint keys' JWK set, not note verifier keys");
    }
    Walk walk = new Walk(checkpointKeys, expected);
    walk.segments(segments);
    if (walk.firstSeq < 0) {
      throw new AuditLogTamperedException(Tampering.DELETED, 1,
          AuditLogFormat.segmentName(segments.get(0).number()), 0, "the log holds no complete record");
    }
    for (SignedCheckpoint c : expected.values()) {
      if (c.sequence() > walk.lastSeq) {
        throw new AuditLogTamperedException(Tampering.TRUNCATED, walk.lastSeq + 1,
            AuditLogFormat.segmentName(segments.get(segments.size() - 1).number()), 0,
            "the log ends before sequence " + c.sequence() + ", which a kept checkpoint covers");
      }
    }
    return walk.result(segments.size());
  }

  /** Verifies a format-2 log: the walk over every record, against its stored hashes and every checkpoint known. */
  private VerifiedAuditLog verifyTree(Path directory, List<Segment> segments) throws AuditException {
    String firstName = segments.get(0).path().getFileName().toString();
    String lastName = segments.get(segments.size() - 1).path().getFileName().toString();
    Optional<TreeWalk.Stated> published;
    AuditLogTamperedException badPublished = null;
    try {
      published = published(directory, notes);
    } catch (AuditLogTamperedException e) {
      published = Optional.empty(); // reported after the walk, which may find where the log went wrong first
      badPublished = e;
    }
    TileReader tiles = new TileReader(directory);
    long storedSize = published.map(TreeWalk.Stated::size).orElse(0L);
    Frontier frontier;
    long firstSeq = firstSeq(segments.get(0));
    try {
      frontier = segments.get(0).number() == 1 ? new Frontier() : Frontier.of(tiles, Math.max(0, firstSeq - 1));
    } catch (IOException e) {
      throw new AuditLogTamperedException(Tampering.DELETED, 1, firstName, 0,
          "the records before the first segment present are neither in the log nor in its stored hashes");
    }
    TreeWalk walk = new TreeWalk(notes, frontier, storedSize > 0 ? tiles : null, storedSize);
    published.ifPresent(p -> walk.expect(p, Tampering.REWRITTEN, "the log's published checkpoint"));
    for (AuditCheckpoint t : trusted) {
      walk.expect(new TreeWalk.Stated(t.origin(), t.size(), t.root()), Tampering.FORKED, "a trusted checkpoint");
    }
    walk.segments(segments);
    if (walk.firstSeq < 0) {
      throw new AuditLogTamperedException(Tampering.DELETED, 1, firstName, 0, "the log holds no complete record");
    }
    walk.reachedExpected(lastName);
    if (badPublished != null) {
      throw badPublished;
    }
    for (AuditCheckpoint t : trusted) {
      if (!t.origin().equals(walk.origin)) {
        throw new AuditLogTamperedException(Tampering.FORKED, 0, lastName, 0,
            "a trusted checkpoint is of another log than " + walk.origin);
      }
    }
    Optional<AuditCheckpoint> last = Optional.ofNullable(walk.lastNote).map(n -> {
      try {
        TreeWalk.Stated s = notes.open(n);
        return new AuditCheckpoint(s.origin(), s.size(), s.root(), n);
      } catch (TreeWalk.NoteRejected e) {
        throw new IllegalStateException("a note that verified no longer does", e);
      }
    });
    return new VerifiedAuditLog(walk.logId, segments.size(), walk.firstSeq, walk.lastSeq, walk.events,
        walk.checkpoints, walk.recoveries, walk.unsignedTail, walk.tornBytes, Optional.empty(), walk.origin, last,
        Optional.empty(), Optional.ofNullable(walk.continues));
  }

  private static Optional<TreeWalk.Stated> published(Path directory, CheckpointNotes notes) throws AuditException {
    try {
      return ReopenedLog.published(directory, notes, 1);
    } catch (IOException e) {
      throw new AuditException("cannot read the checkpoint file", e);
    }
  }

  private static long firstSeq(Segment segment) throws AuditException {
    try (SegmentReader reader = new SegmentReader(segment.path(), AuditLogFormat.Version.V2)) {
      byte[] line = reader.next();
      return line == null ? 1 : AuditLogFormat.parse(line).seq();
    } catch (IllegalArgumentException e) {
      return 1; // the walk says what is wrong with it
    } catch (IOException e) {
      throw new AuditException("cannot read audit segment " + segment.path().getFileName(), e);
    }
  }

  /** Configures an {@link AuditLogVerifier}. */
  public static final class Builder {
    private final SigningKeyset checkpointKeys;
    private final CheckpointNotes notes;
    private final Map<Long, SignedCheckpoint> expected = new HashMap<>();
    private final List<AuditCheckpoint> trusted = new java.util.ArrayList<>();
    private boolean allowArchivedPrefix;

    private Builder(SigningKeyset checkpointKeys, CheckpointNotes notes) {
      this.checkpointKeys = checkpointKeys;
      this.notes = notes;
    }

    /**
     * Requires the log to reach {@code checkpoint}'s sequence number with exactly its head: a checkpoint kept off the
     * host lets the verifier see a log that was cut short or rewritten up to it.
     *
     * @param checkpoint a format-1 checkpoint kept off the host; not null. Repeatable
     * @return this builder
     * @throws IllegalArgumentException if its signature does not verify with the checkpoint keys
     * @throws IllegalStateException if this verifier was given note verifier keys, which verify format 2 only
     */
    public Builder expectCheckpoint(SignedCheckpoint checkpoint) {
      if (checkpointKeys == null) {
        throw new IllegalStateException("a format-1 checkpoint is verified with the checkpoint keys' JWK set");
      }
      try {
        checkpoint.verify(checkpointKeys);
      } catch (InvalidSignatureException e) {
        throw new IllegalArgumentException("the expected checkpoint's signature does not verify", e);
      }
      expected.put(checkpoint.sequence(), checkpoint);
      return this;
    }

    /**
     * Requires a format-2 log to extend {@code checkpoint}, one kept off the host (by an anchor or a witness): a log
     * that ends before its size is {@link Tampering#TRUNCATED}, one whose tree of that size has another root is
     * {@link Tampering#FORKED}.
     *
     * @param checkpoint a checkpoint kept off the host; not null. Repeatable
     * @return this builder
     * @throws IllegalArgumentException if its signature does not verify with the checkpoint keys
     */
    public Builder trustCheckpoint(AuditCheckpoint checkpoint) {
      TreeWalk.Stated s = open(checkpoint.note());
      if (s.size() != checkpoint.size() || !s.origin().equals(checkpoint.origin())
          || !MessageDigest.isEqual(s.root(), checkpoint.root())) {
        throw new IllegalArgumentException("the trusted checkpoint is not what its note says");
      }
      trusted.add(checkpoint);
      return this;
    }

    /**
     * As {@link #trustCheckpoint(AuditCheckpoint)}, from the checkpoint's signed note.
     *
     * @param note the checkpoint's signed note, as the log wrote it; not null. Repeatable
     * @return this builder
     * @throws IllegalArgumentException if the note is malformed, or its signature does not verify with the
     *     checkpoint keys
     */
    public Builder trustCheckpoint(String note) {
      TreeWalk.Stated s = open(note);
      trusted.add(new AuditCheckpoint(s.origin(), s.size(), s.root(), note));
      return this;
    }

    /**
     * As {@link #trustCheckpoint(String)}, for a checkpoint that must also carry a valid cosignature by the witness
     * whose verifier key is {@code witnessKey} ({@code <name>+<key id>+<base64(0x04 || key)>}): the note the witness
     * keeps (a {@code safeguards witness serve} keeps the latest one per log in its state directory, cosigned), so the
     * log is held to what the witness saw, not to what its own host says it published.
     *
     * @param note the checkpoint's signed note, cosigned by the witness; not null. Repeatable
     * @param witnessKey the witness's verifier key, of type 0x04; not null
     * @return this builder
     * @throws IllegalArgumentException as {@link #trustCheckpoint(String)}, if the witness key is malformed or not a
     *     cosigner's, or if the note has no valid cosignature by it
     */
    public Builder trustCosignedCheckpoint(String note, String witnessKey) {
      NoteVerifier witness = NoteVerifier.parse(Objects.requireNonNull(witnessKey, "witnessKey"));
      if (!witness.isCosigner()) {
        throw new IllegalArgumentException("the witness key is not a cosignature key (type 0x04)");
      }
      try {
        Cosignature.verify(NoteCheckpoints.parse(note), witness);
      } catch (TreeWalk.NoteRejected | InvalidSignatureException e) {
        throw new IllegalArgumentException("the checkpoint has no valid cosignature by the witness "
            + witness.name() + ": " + e.getMessage(), e);
      }
      return trustCheckpoint(note);
    }

    private TreeWalk.Stated open(String note) {
      try {
        return notes.open(Objects.requireNonNull(note, "note"));
      } catch (TreeWalk.NoteRejected e) {
        throw new IllegalArgumentException("the trusted checkpoint does not verify with the checkpoint keys: "
            + e.getMessage(), e);
      }
    }

    /**
     * Accepts a log whose first segments are gone, as after sealing them into archives and removing them: the first
     * segment present is taken as the start. <b>Warning:</b> the verifier then cannot tell archiving from deletion;
     * check the archives' manifests for the missing segments.
     *
     * @return this builder
     */
    public Builder allowArchivedPrefix() {
      allowArchivedPrefix = true;
      return this;
    }

    /**
     * The verifier.
     *
     * @return the verifier; the builder may go on to build others
     */
    public AuditLogVerifier build() {
      return new AuditLogVerifier(this);
    }
  }

  /**
   * One pass over segments in order, shared by the verifier and by {@link TamperEvidentAuditLog} when it reopens a
   * log. It keeps the state a writer needs to continue the chain.
   */
  static final class Walk extends SegmentWalk {
    private static final HexFormat HEX = HexFormat.of();

    private final SigningKeyset keys;
    private final Map<Long, SignedCheckpoint> expected;
    private final MessageDigest sha256 = AuditLogFormat.sha256();
    UUID logId;
    byte[] lastChain = new byte[AuditLogFormat.HASH_BYTES];
    private byte[] beforeLastChain = new byte[AuditLogFormat.HASH_BYTES];
    long lastSegment;
    Instant segmentOpened;
    Instant lastCheckpointTime;
    long checkpoints;
    long events;
    long recoveries;
    SignedCheckpoint lastCheckpoint;
    private long lastCheckpointCovers;

    Walk(SigningKeyset keys, Map<Long, SignedCheckpoint> expected) {
      this.keys = keys;
      this.expected = expected;
    }

    @Override
    AuditLogFormat.Version version() {
      return AuditLogFormat.Version.V1;
    }

    @Override
    void line(SegmentReader reader, long segment, String name, long lineNo) throws AuditException, IOException {
      byte[] bytes = reader.line();
      long expectedSeq = firstSeq < 0 ? -1 : lastSeq + 1;
      Line line;
      try {
        line = AuditLogFormat.parse(bytes);
      } catch (IllegalArgumentException e) {
        throw tampered(Tampering.MODIFIED, Math.max(expectedSeq, 1), name, lineNo, e.getMessage());
      }
      long seq = line.seq();
      boolean firstInSegment = lineNo == 1;
      JsonNode record = null;
      byte[] previous = lastChain;
      if (expectedSeq < 0) {
        // The first record read anchors the chain on the hash its segment record says it continues.
        record = parseRecord(line, seq, name, lineNo);
        previous = anchor(record, seq, name, lineNo);
      }
      byte[] chain = AuditLogFormat.chain(sha256, previous, line.bytes(), line.recordOffset(), line.recordLength());
      if (!MessageDigest.isEqual(chain, line.chain())) {
        throw brokenChain(line, nextSeq(reader.peek()), Math.max(expectedSeq, 1), name, lineNo);
      }
      if (expectedSeq >= 0 && seq != expectedSeq) {
        throw tampered(Tampering.MODIFIED, expectedSeq, name, lineNo,
            "the record chains correctly but carries sequence " + seq);
      }
      if (record == null && (firstInSegment || !line.kind().equals(AuditLogFormat.KIND_EVENT))) {
        record = parseRecord(line, seq, name, lineNo);
      }
      if (firstInSegment) {
        segmentStart(record, segment, seq, name, lineNo);
      } else if (line.kind().equals(AuditLogFormat.KIND_SEGMENT)) {
        throw tampered(Tampering.MODIFIED, seq, name, lineNo, "a segment record inside a segment");
      }
      switch (line.kind()) {
        case AuditLogFormat.KIND_EVENT -> events++;
        case AuditLogFormat.KIND_RECOVERY -> recoveries++;
        case AuditLogFormat.KIND_CHECKPOINT -> checkpoint(record, seq, previous, name, lineNo);
        case AuditLogFormat.KIND_SEGMENT -> { }
        default -> throw tampered(Tampering.MODIFIED, seq, name, lineNo, "unknown record kind");
      }
      unsignedTail = line.kind().equals(AuditLogFormat.KIND_CHECKPOINT) ? 0 : unsignedTail + 1;
      SignedCheckpoint kept = expected.get(seq);
      if (kept != null && !HEX.formatHex(chain).equals(kept.head())) {
        throw tampered(Tampering.REWRITTEN, seq, name, lineNo, "the chain differs from a checkpoint kept elsewhere");
      }
      if (firstSeq < 0) {
        firstSeq = seq;
      }
      lastSeq = seq;
      beforeLastChain = lastChain;
      lastChain = chain;
    }

    /**
     * Names what broke the chain at a line, from the sequence numbers around it: a line that chains from the record
     * before the previous one (the previous line was slipped in), a line followed by the record its position expects
     * (this line was slipped in, or moved forward), a gap (records removed), or a change.
     */
    private AuditLogTamperedException brokenChain(Line line, long nextSeq, long expectedSeq, String name,
        long lineNo) {
      long seq = line.seq();
      if (firstSeq >= 0 && seq == lastSeq && MessageDigest.isEqual(line.chain(),
          AuditLogFormat.chain(sha256, beforeLastChain, line.bytes(), line.recordOffset(), line.recordLength()))) {
        return tampered(Tampering.INSERTED, lastSeq, name, lineNo - 1,
            "the line before this one was not written by the log");
      }
      if (seq == expectedSeq && nextSeq == expectedSeq) {
        return tampered(Tampering.INSERTED, expectedSeq, name, lineNo, "this line was not written by the log");
      }
      if (seq > expectedSeq) {
        return nextSeq == expectedSeq
            ? tampered(Tampering.REORDERED, expectedSeq, name, lineNo, "a later record comes before it")
            : tampered(Tampering.DELETED, expectedSeq, name, lineNo,
                "records " + expectedSeq + " to " + (seq - 1) + " are missing");
      }
      if (seq < expectedSeq) {
        return tampered(Tampering.REORDERED, expectedSeq, name, lineNo, "an earlier sequence number appears again");
      }
      return tampered(Tampering.MODIFIED, expectedSeq, name, lineNo, "the chain hash does not match the record");
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

    private JsonNode parseRecord(Line line, long seq, String name, long lineNo) throws AuditLogTamperedException {
      try {
        return JsonCanonicalizer.parseStrict(line.record());
      } catch (IllegalArgumentException e) {
        throw tampered(Tampering.MODIFIED, seq, name, lineNo, "the record is not valid JSON");
      }
    }

    /** The chain hash the first record read continues, from its segment record. */
    private byte[] anchor(JsonNode record, long seq, String name, long lineNo) throws AuditLogTamperedException {
      try {
        byte[] prev = HEX.parseHex(AuditJson.required(record, "prev"));
        if (prev.length != AuditLogFormat.HASH_BYTES) {
          throw new IllegalArgumentException("the previous chain hash is not 32 bytes");
        }
        return prev;
      } catch (IllegalArgumentException e) {
        throw tampered(Tampering.MODIFIED, seq, name, lineNo, "the first record is not a segment record");
      }
    }

    /** Checks a segment's first record. */
    private void segmentStart(JsonNode record, long segment, long seq, String name, long lineNo)
        throws AuditLogTamperedException {
      try {
        if (!AuditLogFormat.KIND_SEGMENT.equals(AuditJson.required(record, "kind"))) {
          throw new IllegalArgumentException("a segment does not begin with a segment record");
        }
        JsonNode number = record.get("segment");
        if (number == null || !number.canConvertToLong() || number.longValue() != segment) {
          throw new IllegalArgumentException("the segment record names another segment");
        }
        UUID log = parsed(() -> UUID.fromString(AuditJson.required(record, "log")), "log id");
        if (logId != null && !logId.equals(log)) {
          throw new IllegalArgumentException("the segment belongs to another log");
        }
        byte[] prev = parsed(() -> HEX.parseHex(AuditJson.required(record, "prev")), "previous chain hash");
        if (segment == 1 && (seq != 1 || !MessageDigest.isEqual(prev, new byte[AuditLogFormat.HASH_BYTES]))) {
          throw new IllegalArgumentException("the first segment does not start the chain");
        }
        if (firstSeq >= 0 && !MessageDigest.isEqual(prev, lastChain)) {
          throw new IllegalArgumentException("the segment does not continue the previous segment's chain");
        }
        logId = log;
        lastSegment = segment;
        segmentOpened = parsed(() -> Instant.parse(AuditJson.required(record, "time")), "time");
      } catch (IllegalArgumentException e) {
        throw tampered(Tampering.MODIFIED, seq, name, lineNo, e.getMessage());
      }
    }

    /**
     * A member of a segment record read by {@code parser}; its failure becomes one naming the member only, since the
     * JDK's parse messages quote the text.
     */
    private static <T> T parsed(java.util.function.Supplier<T> parser, String member) {
      try {
        return parser.get();
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("the segment record's " + member + " is missing or malformed");
      }
    }

    private void checkpoint(JsonNode record, long seq, byte[] previous, String name, long lineNo)
        throws AuditLogTamperedException {
      SignedCheckpoint c;
      try {
        JsonNode covers = record.get("covers");
        c = new SignedCheckpoint(logId, covers == null || !covers.canConvertToLong() ? 0 : covers.longValue(),
            AuditJson.required(record, "head"), Instant.parse(AuditJson.required(record, "time")),
            KeyId.parse(AuditJson.required(record, "key")), AuditJson.required(record, "sig"));
      } catch (RuntimeException e) {
        throw tampered(Tampering.MODIFIED, seq, name, lineNo, "the checkpoint record is malformed");
      }
      if (c.sequence() != seq - 1) {
        throw tampered(Tampering.MODIFIED, seq, name, lineNo, "the checkpoint does not cover the record before it");
      }
      try {
        c.verify(keys);
      } catch (InvalidSignatureException e) {
        throw tampered(Tampering.BAD_CHECKPOINT_SIGNATURE, seq, name, lineNo,
            e.keyUnknown() ? "the checkpoint key " + c.keyId() + " is unknown" : "the signature does not verify");
      }
      if (!c.head().equals(HEX.formatHex(previous))) {
        throw tampered(Tampering.REWRITTEN, Math.max(lastCheckpointCovers + 1, firstSeq), name, lineNo,
            "records " + Math.max(lastCheckpointCovers + 1, firstSeq) + " to " + c.sequence()
                + " were changed and re-chained after checkpoint " + seq + " was signed");
      }
      lastCheckpointCovers = c.sequence();
      lastCheckpoint = c;
      lastCheckpointTime = c.time();
      checkpoints++;
    }

    VerifiedAuditLog result(int segmentCount) {
      return new VerifiedAuditLog(logId, segmentCount, firstSeq, lastSeq, events, checkpoints, recoveries,
          unsignedTail, tornBytes, Optional.ofNullable(lastCheckpoint), "", Optional.empty(),
          Optional.of(new Format1Head(logId, lastSeq, HEX.formatHex(lastChain))), Optional.empty());
    }
  }
}
