package dev.safeguards.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.safeguards.audit.AuditLogFormat.Line;
import dev.safeguards.audit.AuditLogFormat.Segment;
import dev.safeguards.crypto.DecryptionException;
import dev.safeguards.crypto.UnknownKeyException;
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
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Reads the events of a {@link TamperEvidentAuditLog} directory for the periodic log review HIPAA asks for
 * (164.308(a)(1)(ii)(D), 164.312(b)), and scopes a breach ({@link BreachScope}).
 *
 * <p>Review reads; it does not verify. Run {@link AuditLogVerifier} over the same directory first, so that what you
 * review is what was written. Events stream in log order, one segment at a time, so a log of any size can be read in
 * bounded memory. Thread-safe.
 *
 * <p>A log written with {@link AuditSealing} is reviewed with the same sealing: a filter on users, sessions, addresses
 * or one resource opens only the events whose index tokens match. An event whose identity no longer opens (its key
 * was destroyed when its retention ended, or disabled) is not returned but counted ({@link
 * #events(AuditFilter, AtomicLong)}, {@link BreachScope#unreadable()}) when its index and its other members match.
 */
public final class AuditReview {

  private final RecordSource source;
  private final AuditSealing sealing;

  /**
   * Where a review reads records from: the segments of a directory, or another store of the log (a database), which
   * may hand over only the records a filter can match, found by their subjects ({@link AuditSubjects}).
   */
  @FunctionalInterface
  public interface RecordSource {
    /**
     * The records, in log order, that {@code filter} may match: the log's first record (its {@code segment} record,
     * which names its origin) before any sealed event, then at least every event record the filter matches.
     *
     * @param filter the filter the review applies; not null. The source may use it to leave out records it cannot
     *     match
     * @return the records, to be closed by the caller
     * @throws AuditException if the store cannot be read
     */
    Records open(AuditFilter filter) throws AuditException;
  }

  /** Records read one at a time. */
  public interface Records extends java.io.Closeable {
    /**
     * The next record's bytes (without a line feed), or null after the last.
     *
     * @return the record's bytes, a new array; null once there are no more
     * @throws IOException if the store cannot be read
     */
    byte[] next() throws IOException;

    /**
     * Where the record {@link #next} last returned came from, for messages (a segment and line, a sequence number).
     *
     * @return a short description of the position, never a record's content
     */
    String position();
  }

  private AuditReview(RecordSource source, AuditSealing sealing) {
    this.source = Objects.requireNonNull(source, "source");
    this.sealing = sealing;
  }

  /**
   * A review of the log in {@code directory}, whose events are not sealed.
   *
   * @param directory the log's directory; not null. Nothing is read until {@link #events} is called
   * @return the review
   */
  public static AuditReview of(Path directory) {
    return new AuditReview(segments(directory), null);
  }

  /**
   * A review of the log in {@code directory}, which may hold events sealed with {@code sealing}'s keys.
   *
   * @param directory the log's directory; not null. Nothing is read until {@link #events} is called
   * @param sealing the log's sealing keys; not null
   * @return the review
   */
  public static AuditReview of(Path directory, AuditSealing sealing) {
    return new AuditReview(segments(directory), Objects.requireNonNull(sealing, "sealing"));
  }

  /**
   * A review of the records {@code source} gives, which may be sealed with {@code sealing}'s keys (or null).
   *
   * @param source the store the records come from; not null
   * @param sealing the log's sealing keys; null if its events are not sealed
   * @return the review
   */
  public static AuditReview of(RecordSource source, AuditSealing sealing) {
    return new AuditReview(source, sealing);
  }

  /** The records of every segment of {@code directory}, in order. */
  private static RecordSource segments(Path directory) {
    Objects.requireNonNull(directory, "directory");
    return filter -> {
      List<Segment> segments;
      try {
        segments = AuditLogFormat.segments(directory);
      } catch (IOException e) {
        throw new AuditException("cannot list the audit log directory", e);
      }
      return new SegmentRecords(segments);
    };
  }

  /** The lines of segments, one after another. */
  private static final class SegmentRecords implements Records {
    private final Iterator<Segment> segments;
    private SegmentReader reader;
    private String segmentName;
    private long lineNo;

    SegmentRecords(List<Segment> segments) {
      this.segments = segments.iterator();
    }

    @Override
    public byte[] next() throws IOException {
      while (true) {
        if (reader == null) {
          if (!segments.hasNext()) {
            return null;
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
        return line;
      }
    }

    @Override
    public String position() {
      return "audit segment " + segmentName + " line " + lineNo;
    }

    @Override
    public void close() {
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

  /**
   * The events that {@code filter} matches, in log order. Close the stream when done.
   *
   * @param filter which events to return; not null ({@link AuditFilter#all()} for every event)
   * @return a sequential, lazy stream of the matching events, each read from the log when the stream reaches it
   * @throws AuditException if the directory cannot be listed
   * @throws UncheckedIOException from the stream, if a segment cannot be read
   * @throws IllegalStateException from the stream, if an event record cannot be read (the message names the segment
   *     and line; the log was damaged: run the verifier), or is sealed and this review has no sealing
   */
  public Stream<AuditEvent> events(AuditFilter filter) throws AuditException {
    return events(filter, new AtomicLong());
  }

  /**
   * As {@link #events(AuditFilter)}, adding to {@code unreadable} each sealed event that may match but whose identity
   * does not open with the keys at hand (known once the stream is consumed). The stream throws as that method's does.
   *
   * @param filter which events to return; not null
   * @param unreadable the counter to add to; not null
   * @return a sequential, lazy stream of the matching events that open
   * @throws AuditException if the directory cannot be listed, or the record source cannot be read
   */
  public Stream<AuditEvent> events(AuditFilter filter, AtomicLong unreadable) throws AuditException {
    Objects.requireNonNull(filter, "filter");
    Objects.requireNonNull(unreadable, "unreadable");
    EventIterator events = new EventIterator(source.open(filter), filter, unreadable);
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(events, Spliterator.ORDERED | Spliterator.NONNULL),
        false).onClose(events::close).filter(filter);
  }

  /**
   * Every resource touched by the events {@code filter} matches (say, one user's events over a time window), for
   * breach notification.
   *
   * @param filter which events are in scope; not null
   * @return the scope, with the sealed events that may belong to it but do not open counted as unreadable
   * @throws AuditException if the directory cannot be listed
   * @throws UncheckedIOException if a segment cannot be read
   * @throws IllegalStateException if an event record cannot be read, or is sealed and this review has no sealing
   */
  public BreachScope breachScope(AuditFilter filter) throws AuditException {
    AtomicLong unreadable = new AtomicLong();
    try (Stream<AuditEvent> events = events(filter, unreadable)) {
      return BreachScope.of(events).withUnreadable(unreadable.get());
    }
  }

  private final class EventIterator implements Iterator<AuditEvent> {
    private final Records records;
    private final AuditFilter filter;
    private final AuditSealing.Prefilter prefilter;
    private final AtomicLong unreadable;
    private String origin;
    private AuditEvent next;

    EventIterator(Records records, AuditFilter filter, AtomicLong unreadable) {
      this.records = records;
      this.filter = filter;
      this.prefilter = sealing == null ? null : sealing.prefilter(filter);
      this.unreadable = unreadable;
    }

    @Override
    public boolean hasNext() {
      try {
        while (next == null) {
          byte[] line = records.next();
          if (line == null) {
            close();
            return false;
          }
          next = decode(line);
        }
        return true;
      } catch (IOException e) {
        close();
        throw new UncheckedIOException("cannot read the audit log at " + records.position(), e);
      }
    }

    private AuditEvent decode(byte[] bytes) {
      try {
        Line line = AuditLogFormat.parse(bytes);
        if (line.kind().equals(AuditLogFormat.KIND_SEGMENT)) {
          JsonNode o = JsonCanonicalizer.parseStrict(line.record()).get("origin");
          origin = o != null && o.isTextual() ? o.textValue() : null;
        }
        if (!line.kind().equals(AuditLogFormat.KIND_EVENT)) {
          return null;
        }
        JsonNode record = JsonCanonicalizer.parseStrict(line.record());
        JsonNode event = record.get("event");
        if (event == null || !event.isObject()) {
          throw new IllegalArgumentException("no event");
        }
        return event.has("sealed") ? unseal(event) : AuditJson.decode(event);
      } catch (IllegalStateException e) {
        close();
        throw e;
      } catch (RuntimeException e) {
        close();
        throw new IllegalStateException(records.position() + " is not a readable event record; verify the log", e);
      }
    }

    /** The opened event; null if the index rules it out, or if it does not open (then counted if it may match). */
    private AuditEvent unseal(JsonNode event) {
      if (sealing == null) {
        throw new IllegalStateException(records.position() + " is sealed: review this log with its AuditSealing "
            + "(the audit identity and index keysets)");
      }
      if (!prefilter.mayMatch(event.get("index"))) {
        return null;
      }
      if (origin == null) {
        throw new IllegalArgumentException("a sealed event in a segment whose first record names no origin");
      }
      try {
        return AuditJson.decode(sealing.open(event, origin));
      } catch (UnknownKeyException e) {
        ObjectNode withoutIdentity = AuditSealing.withoutSeal(event);
        withoutIdentity.putObject("actor").putArray("roles");
        withoutIdentity.putArray("entities");
        if (filter.matchesOutsideIdentity(AuditJson.decode(withoutIdentity))) {
          unreadable.incrementAndGet();
        }
        return null;
      } catch (DecryptionException e) {
        throw new IllegalArgumentException("its sealed identity does not open: " + e.getMessage(), e);
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
      try {
        records.close();
      } catch (IOException ignored) {
        // reading only
      }
    }
  }
}
