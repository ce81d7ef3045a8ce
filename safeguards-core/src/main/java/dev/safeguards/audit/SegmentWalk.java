package dev.safeguards.audit;

import dev.safeguards.audit.AuditLogFormat.Segment;
import dev.safeguards.audit.AuditLogTamperedException.Tampering;
import java.io.IOException;
import java.util.List;

/**
 * One pass over a log's segments in order, line by line, with the rules every format shares: segment numbers without
 * gaps, a closed segment neither empty, nor ending inside a line, nor without its final checkpoint, and nothing after
 * the last line feed but a torn line. Each format checks its lines in {@link #line}.
 */
abstract class SegmentWalk {

  long firstSeq = -1;
  long lastSeq;
  long unsignedTail;
  long tornBytes;
  boolean tornIsALinePrefix = true;
  long completeBytes;
  boolean lastSegmentEmpty;

  /** The layout of the lines. */
  abstract AuditLogFormat.Version version();

  /**
   * Checks one complete line, the current line of {@code reader} ({@link SegmentReader#array}, {@link
   * SegmentReader#offset}, {@link SegmentReader#length}; {@link SegmentReader#printable}: whether it holds printable
   * ASCII only), and moves the walk past it. {@link SegmentReader#peek} reads the line after it, to name what broke.
   */
  abstract void line(SegmentReader reader, long segment, String name, long lineNo)
      throws AuditException, IOException;

  void segments(List<Segment> segments) throws AuditException {
    for (int i = 0; i < segments.size(); i++) {
      Segment s = segments.get(i);
      String name = s.path().getFileName().toString();
      if (i > 0 && s.number() != segments.get(i - 1).number() + 1) {
        throw tampered(Tampering.DELETED, lastSeq + 1, name, 0,
            "segment " + (segments.get(i - 1).number() + 1) + " is missing");
      }
      boolean last = i == segments.size() - 1;
      long lines = segment(s, name);
      if (tornBytes > 0 && !last) {
        throw tampered(Tampering.TRUNCATED, lastSeq + 1, name, lines + 1, "a closed segment ends inside a line");
      }
      if (tornBytes > 0 && !tornIsALinePrefix) {
        throw tampered(Tampering.INSERTED, lastSeq + 1, name, lines + 1,
            "the bytes after the last line cannot be a line the writer was writing");
      }
      if (lines == 0 && !last) {
        throw tampered(Tampering.DELETED, lastSeq + 1, name, 0, "a closed segment is empty");
      }
      if (!last && unsignedTail > 0) {
        throw tampered(Tampering.TRUNCATED, lastSeq + 1, name, lines + 1,
            "a closed segment does not end with its checkpoint");
      }
      lastSegmentEmpty = lines == 0;
    }
  }

  /** Walks one segment; returns how many complete lines it holds. */
  long segment(Segment segment, String name) throws AuditException {
    try (SegmentReader reader = new SegmentReader(segment.path(), version())) {
      long lineNo = 0;
      while (reader.advance()) {
        lineNo++;
        line(reader, segment.number(), name, lineNo);
      }
      tornBytes = reader.tornBytes();
      tornIsALinePrefix = reader.tornIsALinePrefix();
      completeBytes = reader.completeBytes();
      return lineNo;
    } catch (IOException e) {
      throw new AuditException("cannot read audit segment " + name, e);
    }
  }

  static AuditLogTamperedException tampered(Tampering t, long seq, String name, long line, String why) {
    return new AuditLogTamperedException(t, seq, name, line, why);
  }
}
