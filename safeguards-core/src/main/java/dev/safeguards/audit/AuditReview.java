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

  private final Path directory;
  private final AuditSealing sealing;

  private AuditReview(Path directory, AuditSealing sealing) {
    this.directory = Objects.requireNonNull(directory, "directory");
    this.sealing = sealing;
  }

  /** A review of the log in {@code directory}, whose events are not sealed. */
  public static AuditReview of(Path directory) {
    return new AuditReview(directory, null);
  }

  /** A review of the log in {@code directory}, which may hold events sealed with {@code sealing}'s keys. */
  public static AuditReview of(Path directory, AuditSealing sealing) {
    return new AuditReview(directory, Objects.requireNonNull(sealing, "sealing"));
  }

  /**
   * The events that {@code filter} matches, in log order. Close the stream when done.
   *
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
   * does not open with the keys at hand (known once the stream is consumed).
   */
  public Stream<AuditEvent> events(AuditFilter filter, AtomicLong unreadable) throws AuditException {
    Objects.requireNonNull(filter, "filter");
    Objects.requireNonNull(unreadable, "unreadable");
    List<Segment> segments;
    try {
      segments = AuditLogFormat.segments(directory);
    } catch (IOException e) {
      throw new AuditException("cannot list the audit log directory", e);
    }
    EventIterator events = new EventIterator(segments, filter, unreadable);
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
    AtomicLong unreadable = new AtomicLong();
    try (Stream<AuditEvent> events = events(filter, unreadable)) {
      return BreachScope.of(events).withUnreadable(unreadable.get());
    }
  }

  private final class EventIterator implements Iterator<AuditEvent> {
    private final Iterator<Segment> segments;
    private SegmentReader reader;
    private String segmentName;
    private long lineNo;
    private final AuditFilter filter;
    private final AuditSealing.Prefilter prefilter;
    private final AtomicLong unreadable;
    private String origin;
    private AuditEvent next;

    EventIterator(List<Segment> segments, AuditFilter filter, AtomicLong unreadable) {
      this.segments = segments.iterator();
      this.filter = filter;
      this.prefilter = sealing == null ? null : sealing.prefilter(filter);
      this.unreadable = unreadable;
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
        throw new IllegalStateException("audit segment " + segmentName + " line " + lineNo
            + " is not a readable event record; verify the log", e);
      }
    }

    /** The opened event; null if the index rules it out, or if it does not open (then counted if it may match). */
    private AuditEvent unseal(JsonNode event) {
      if (sealing == null) {
        throw new IllegalStateException("audit segment " + segmentName + " line " + lineNo + " is sealed: review "
            + "this log with its AuditSealing (the audit identity and index keysets)");
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
