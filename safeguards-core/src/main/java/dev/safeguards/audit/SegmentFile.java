package dev.safeguards.audit;

import dev.safeguards.internal.AtomicFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * The audit log's bottom layer: the segment being written, its file, size and age, and the lines buffered for it.
 * Lines are buffered, then written in one call ({@link #flush}); the file is synced by the durability layer. Not
 * thread-safe: the writer's lock guards it.
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

  private final RandomAccessFile file;
  private final long number;
  private final Pending pending = new Pending();
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

  /** Buffers one line (a record and its line feed). */
  void buffer(byte[] line) {
    pending.write(line, 0, line.length);
    bytes += line.length;
    records++;
  }

  /**
   * Writes the buffered lines to the file in one call.
   *
   * @return whether there were any
   */
  boolean flush() throws IOException {
    if (pending.size() == 0) {
      return false;
    }
    try {
      pending.writeTo(file);
    } finally {
      pending.reset();
    }
    return true;
  }

  /** Drops the buffered lines (after a failure: they were never acknowledged). */
  void discardPending() {
    pending.reset();
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
