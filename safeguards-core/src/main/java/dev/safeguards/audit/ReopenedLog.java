package dev.safeguards.audit;

import dev.safeguards.audit.AuditLogFormat.Segment;
import dev.safeguards.audit.AuditLogTamperedException.Tampering;
import dev.safeguards.tlog.TileWriter;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A format-2 log as it is on disk, read back so that a writer can continue it: the published checkpoint, the tree
 * rebuilt from its tiles (or from the records, when the tiles do not give the published root), and a walk over the
 * records after it that checks each of them, and where the last complete line ends. Reads only; the writer cuts a torn
 * line and appends.
 *
 * @param tree the tree over every complete record
 * @param walk what the walk found: the log's id and origin, the last sequence number, the newest segment's state
 * @param last the newest segment
 */
record ReopenedLog(TileWriter tree, TreeWalk walk, Segment last) {

  private static final Logger LOG = LoggerFactory.getLogger(ReopenedLog.class);
  /** A checkpoint note is a few hundred bytes; a larger checkpoint file is not one. */
  private static final long MAX_CHECKPOINT_FILE = 64 * 1024;

  /**
   * Reads and walks the log of {@code segments} (format 2, at least one) in {@code directory}.
   *
   * @throws AuditLogTamperedException if a record, the published checkpoint or the tiles' agreement with it is not as
   *     written, or the log holds fewer records than its published checkpoint
   */
  static ReopenedLog read(Path directory, CheckpointNotes notes, List<Segment> segments)
      throws IOException, AuditException {
    Optional<TreeWalk.Stated> published = published(directory, notes, 0);
    TileWriter tree = openTiles(directory, published);
    long storedSize = tree.size();
    int start = segments.size() - 1;
    while (start > 0 && firstSeq(segments.get(start)) > storedSize + 1) {
      start--;
    }
    TreeWalk walk = new TreeWalk(notes, tree, storedSize > 0 ? tree : null, storedSize);
    published.ifPresent(p -> walk.expect(p, Tampering.REWRITTEN, "the log's published checkpoint"));
    walk.segments(segments.subList(start, segments.size()));
    Segment last = segments.get(segments.size() - 1);
    walk.reachedExpected(last.path().getFileName().toString());
    if (published.isPresent() && walk.origin != null && !published.get().origin().equals(walk.origin)) {
      throw new AuditLogTamperedException(Tampering.MODIFIED, 0, TamperEvidentAuditLog.CHECKPOINT_FILE, 0,
          "the published checkpoint is another log's");
    }
    return new ReopenedLog(tree, walk, last);
  }

  /**
   * The log's published checkpoint (its {@code checkpoint} file), its signature checked; empty if it has published
   * none. {@code seq} is the sequence number a damaged file is reported at.
   *
   * @throws AuditLogTamperedException if the file is not a checkpoint signed by the trusted keys
   */
  static Optional<TreeWalk.Stated> published(Path directory, CheckpointNotes notes, long seq)
      throws IOException, AuditException {
    Path file = directory.resolve(TamperEvidentAuditLog.CHECKPOINT_FILE);
    String name = TamperEvidentAuditLog.CHECKPOINT_FILE;
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    if (Files.size(file) > MAX_CHECKPOINT_FILE) {
      throw new AuditLogTamperedException(Tampering.MODIFIED, seq, name, 0,
          "the checkpoint file is too large to be a checkpoint");
    }
    try {
      return Optional.of(notes.open(Files.readString(file, StandardCharsets.UTF_8)));
    } catch (CharacterCodingException e) {
      throw new AuditLogTamperedException(Tampering.MODIFIED, seq, name, 0, "the checkpoint file is not UTF-8");
    } catch (TreeWalk.NoteRejected e) {
      throw new AuditLogTamperedException(e.tampering, seq, name, 0, e.getMessage());
    }
  }

  /**
   * The tree of the published checkpoint from its tiles; an empty tree, the tiles removed, if there is none or the
   * tiles do not give its root (a crash or damage: the records are the truth, and the walk rebuilds the tree).
   */
  private static TileWriter openTiles(Path directory, Optional<TreeWalk.Stated> published) throws IOException {
    if (published.isPresent()) {
      try {
        TileWriter t = TileWriter.open(directory, published.get().size());
        if (MessageDigest.isEqual(t.root(), published.get().root())) {
          return t;
        }
        LOG.warn("the tiles of audit log {} do not give its published root; rebuilding them from the records",
            directory);
      } catch (IOException e) {
        LOG.warn("the tiles of audit log {} cannot be read ({}); rebuilding them from the records", directory,
            e.getClass().getSimpleName());
      }
    }
    Path tiles = directory.resolve("tile");
    if (Files.exists(tiles)) {
      try (var files = Files.walk(tiles)) {
        for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
          Files.delete(p);
        }
      }
    }
    return TileWriter.open(directory, 0);
  }

  /** The sequence number a segment starts with; beyond every number if it holds no complete line. */
  private static long firstSeq(Segment segment) throws IOException {
    try (SegmentReader reader = new SegmentReader(segment.path(), AuditLogFormat.Version.V2)) {
      byte[] line = reader.next();
      return line == null ? Long.MAX_VALUE : AuditLogFormat.parse(line).seq();
    } catch (IllegalArgumentException e) {
      return 0; // damaged: the walk starts here and says how
    }
  }
}
