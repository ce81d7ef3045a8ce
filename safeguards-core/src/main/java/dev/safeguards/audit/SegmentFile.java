package dev.safeguards.audit;

import dev.safeguards.internal.AtomicFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The audit log's bottom layer: the segment being written, its file, size and age, and the lines buffered for it.
 * Lines are buffered, then written in one call ({@link #flush}); the file is synced by the durability layer. The
 * writer's lock guards it, except that {@link #flush} may also be called without it, by a group sync, while lines are
 * buffered: the buffer has a lock of its own, held only to add a line or to take what is buffered, and the writes are
 * made one at a time, in the order the lines were buffered.
 */
final class SegmentFile {

  /** A byte buffer that writes straight to the file. */
  private static final class Pending extends ByteArrayOutputStream {
    Pending() {
      super(8192);
    }

    void writeTo(RandomAccessFile out) throws IOException {
      out.write(buf, 0, count);
    }
  }

  /** Where the lines written so far end: the last one's sequence number, and the segment's length. */
  record Written(long lastSeq, long bytes) {}

  private final RandomAccessFile file;
  private final long number;
  /** Held while buffered lines are taken and written, so that writes keep the order of the lines. */
  private final ReentrantLock writing = new ReentrantLock();
  /** Guards the buffer: {@link #pending}, {@link #pendingLastSeq} and {@link #pendingEnd}. */
  private final Object buffering = new Object();
  private Pending pending = new Pending();
  /** The buffer not in use, while {@link #flush} writes the other; null meanwhile. */
  private Pending spare = new Pending();
  private long pendingLastSeq;
  private long pendingEnd;
  /**
   * The failure of a write, guarded by {@link #writing}: the file may then hold part of the lines it wrote, so no later
   * write may follow them (nor a sync count them as written) until a recovery opens the segment again.
   */
  private IOException broken;
  private long bytes;
  private long records;
  private Instant opened;

  private SegmentFile(RandomAccessFile file, long number, long bytes) {
    this.file = file;
    this.number = number;
    this.bytes = bytes;
  }

  /** Creates segment {@code number} in {@code directory}, empty and readable by the owner only. */
  static SegmentFile create(Path directory, long number) throws IOException {
    Path path = directory.resolve(AuditLogFormat.segmentName(number));
    AtomicFiles.createOwnerOnlyFile(path);
    return open(path, number, 0);
  }

  /** Opens segment {@code number} at {@code path} to append after its first {@code length} bytes, cutting the rest. */
  static SegmentFile open(Path path, long number, long length) throws IOException {
    RandomAccessFile raf = new RandomAccessFile(path.toFile(), "rw");
    try {
      raf.setLength(length);
      raf.seek(length);
    } catch (IOException e) {
      raf.close();
      throw e;
    }
    return new SegmentFile(raf, number, length);
  }

  /**
   * Cuts the log in {@code directory} back to where its last acknowledged record ends, the first {@code bytes} of
   * segment {@code number}: the records after it were never acknowledged (their appends failed), so they must not
   * appear as if they had been. Segments started after it are removed; what remains is synced.
   *
   * @return how many bytes were removed
   * @throws AuditLogTamperedException if that segment is shorter than its acknowledged records
   */
  static long cutBack(Path directory, long number, long bytes) throws IOException, AuditException {
    long removed = 0;
    for (AuditLogFormat.Segment s : AuditLogFormat.segments(directory)) {
      if (s.number() > number) {
        removed += Files.size(s.path());
        Files.delete(s.path());
      }
    }
    Path path = directory.resolve(AuditLogFormat.segmentName(number));
    long length = Files.size(path);
    if (length < bytes) {
      throw new AuditLogTamperedException(AuditLogTamperedException.Tampering.TRUNCATED, 0,
          path.getFileName().toString(), length, "the segment is shorter than its acknowledged records");
    }
    try (RandomAccessFile raf = new RandomAccessFile(path.toFile(), "rw")) {
      raf.setLength(bytes);
      raf.getFD().sync();
    }
    AtomicFiles.fsyncDirectory(directory);
    return removed + length - bytes;
  }

  /** The segment starts now: its first record (the segment record) comes next. */
  void started(Instant time) {
    opened = time;
    records = 0;
  }

  /** The segment was reopened after it was started at {@code time} and took {@code count} records. */
  void resumed(Instant time, long count) {
    opened = time;
    records = count;
  }

  /** Buffers one line (a record and its line feed), that of record {@code seq}. */
  void buffer(byte[] line, long seq) {
    bytes += line.length;
    records++;
    synchronized (buffering) {
      pending.write(line, 0, line.length);
      pendingLastSeq = seq;
      pendingEnd = bytes;
    }
  }

  /** Told where the lines just written end, before any later write is made. */
  interface WriteListener {
    void written(Written written);
  }

  /**
   * Writes the buffered lines to the file in one call, if there are any, and tells {@code listener} where they end
   * before another write can be made: so once this returns, whatever was buffered before it was called is in the file,
   * and reported. May run without the writer's lock, while lines are buffered.
   */
  void flush(WriteListener listener) throws IOException {
    writing.lock();
    try {
      if (broken != null) {
        throw new IOException("an earlier write to this segment failed", broken);
      }
      Pending out;
      Written written;
      synchronized (buffering) {
        if (pending.size() == 0) {
          return;
        }
        out = pending;
        pending = spare;
        spare = null;
        written = new Written(pendingLastSeq, pendingEnd);
      }
      try {
        out.writeTo(file);
      } catch (IOException e) {
        broken = e;
        throw e;
      } finally {
        out.reset();
        synchronized (buffering) {
          spare = out;
        }
      }
      listener.written(written);
    } finally {
      writing.unlock();
    }
  }

  /** Drops the buffered lines (after a failure: they were never acknowledged). */
  void discardPending() {
    writing.lock();
    try {
      synchronized (buffering) {
        pending.reset();
      }
    } finally {
      writing.unlock();
    }
  }

  /** Whether it is time to rotate: it holds more than its first record and is as large or as old as allowed. */
  boolean due(long maxBytes, Duration maxAge, Instant now) {
    return records > 1 && (bytes >= maxBytes || !now.isBefore(opened.plus(maxAge)));
  }

  void sync() throws IOException {
    file.getFD().sync();
  }

  void close() throws IOException {
    file.close();
  }

  /** The file, for a group sync. */
  RandomAccessFile file() {
    return file;
  }

  long number() {
    return number;
  }

  /** Its length once the buffered lines are written. */
  long bytes() {
    return bytes;
  }

  Instant opened() {
    return opened;
  }
}
