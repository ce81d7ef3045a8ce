package dev.safeguards.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.safeguards.audit.AuditLogFormat.Line;
import dev.safeguards.audit.AuditLogFormat.Segment;
import dev.safeguards.integrity.internal.JsonCanonicalizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Reads the events of a {@link TamperEvidentAuditLog} directory for the periodic log review HIPAA asks for
 * (164.308(a)(1)(ii)(D), 164.312(b)), and scopes a breach ({@link BreachScope}).
 *
 * <p>Review reads; it does not verify. Run {@link AuditLogVerifier} over the same directory first, so that what you
 * review is what was written. Events stream in log order, one segment at a time, so a log of any size can be read in
 * bounded memory. Thread-safe.
 */
public final class AuditReview {

  private final Path directory;

  private AuditReview(Path directory) {
    this.directory = Objects.requireNonNull(directory, "directory");
  }

  /** A review of the log in {@code directory}. */
  public static AuditReview of(Path directory) {
    return new AuditReview(directory);
  }

  /**
   * The events that {@code filter} matches, in log order. Close the stream when done.
   *
   * @throws AuditException if the directory cannot be listed
   * @throws UncheckedIOException from the stream, if a segment cannot be read
   * @throws IllegalStateException from the stream, if an event record cannot be read (the message names the segment
   *     and line; the log was damaged: run the verifier)
   */
  public Stream<AuditEvent> events(AuditFilter filter) throws AuditException {
    Objects.requireNonNull(filter, "filter");
    List<Segment> segments;
    try {
      segments = AuditLogFormat.segments(directory);
    } catch (IOException e) {
      throw new AuditException("cannot list the audit log directory", e);
    }
    EventIterator events = new EventIterator(segments);
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(events, Spliterator.ORDERED | Spliterator.NONNULL),
        false).onClose(events::close).filter(filter);
  }

  /**
   * Every resource touched by the events {@code filter} matches (say, one user's events over a time window), for
   * breach notification.
   *
   * @throws AuditException if the directory cannot be listed
   */
  public BreachScope breachScope(AuditFilter filter) throws AuditException {
    try (Stream<AuditEvent> events = events(filter)) {
      return BreachScope.of(events);
    }
  }

  private static final class EventIterator implements Iterator<AuditEvent> {
    private final Iterator<Segment> segments;
    private SegmentReader reader;
    private String segmentName;
    private long lineNo;
    private AuditEvent next;

    EventIterator(List<Segment> segments) {
      this.segments = segments.iterator();
    }

    @Override
    public boolean hasNext() {
      try {
        while (next == null) {
          if (reader == null) {
            if (!segments.hasNext()) {
              return false;
            }
            Segment s = segments.next();
            segmentName = s.path().getFileName().toString();
            reader = new SegmentReader(s.path());
            lineNo = 0;
          }
          byte[] line = reader.next();
          if (line == null) {
            close();
            continue;
          }
          lineNo++;
          next = decode(line);
        }
        return true;
      } catch (IOException e) {
        close();
        throw new UncheckedIOException("cannot read audit segment " + segmentName, e);
      }
    }

    private AuditEvent decode(byte[] bytes) {
      try {
        Line line = AuditLogFormat.parse(bytes);
        if (!line.kind().equals(AuditLogFormat.KIND_EVENT)) {
          return null;
        }
        JsonNode record = JsonCanonicalizer.parseStrict(line.record());
        JsonNode event = record.get("event");
        if (event == null || !event.isObject()) {
          throw new IllegalArgumentException("no event");
        }
        return AuditJson.decode(event);
      } catch (RuntimeException e) {
        close();
        throw new IllegalStateException("audit segment " + segmentName + " line " + lineNo
            + " is not a readable event record; verify the log", e);
      }
    }

    @Override
    public AuditEvent next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      AuditEvent e = next;
      next = null;
      return e;
    }

    void close() {
      if (reader != null) {
        try {
          reader.close();
        } catch (IOException ignored) {
          // reading only
        }
        reader = null;
      }
    }
  }
}
