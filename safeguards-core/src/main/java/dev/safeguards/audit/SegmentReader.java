package dev.safeguards.audit;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads the complete lines of a segment file, and measures what follows the last line feed (a torn write). A line
 * longer than {@link AuditLogFormat#MAX_LINE} is returned empty, so that it fails to parse without filling memory.
 */
final class SegmentReader implements Closeable {

  private final InputStream in;
  private final byte[] buffer = new byte[1 << 16];
  private int position;
  private int limit;
  private byte[] line = new byte[1024];
  private long completeBytes;
  private long tornBytes;
  private boolean tornIsALinePrefix = true;
  private boolean eof;

  /** The bytes every line begins with. */
  private final byte[] lineStart;

  /** A reader of a segment of a format-1 log. */
  SegmentReader(Path file) throws IOException {
    this(file, AuditLogFormat.Version.V1);
  }

  /** A reader of a segment whose lines are in {@code version}'s layout. */
  SegmentReader(Path file, AuditLogFormat.Version version) throws IOException {
    this.lineStart = version.lineStart();
    this.in = Files.newInputStream(file);
  }

  /** The next complete line without its line feed, or {@code null} at the end of the complete lines. */
  byte[] next() throws IOException {
    int length = 0;
    long lineBytes = 0;
    boolean oversized = false;
    while (true) {
      if (position == limit) {
        if (eof || !fill()) {
          tornBytes = lineBytes;
          tornIsALinePrefix = !oversized && couldStartALine(line, length, lineStart);
          return null;
        }
      }
      int start = position;
      while (position < limit && buffer[position] != '\n') {
        position++;
      }
      int n = position - start;
      lineBytes += n;
      if (!oversized) {
        if (length + n > AuditLogFormat.MAX_LINE) {
          oversized = true;
        } else {
          if (length + n > line.length) {
            line = Arrays.copyOf(line, Math.max(line.length * 2, length + n));
          }
          System.arraycopy(buffer, start, line, length, n);
          length += n;
        }
      }
      if (position < limit) {
        position++; // the line feed
        completeBytes += lineBytes + 1;
        return oversized ? new byte[0] : Arrays.copyOf(line, length);
      }
    }
  }

  private boolean fill() throws IOException {
    int n = in.read(buffer);
    if (n < 0) {
      eof = true;
      return false;
    }
    position = 0;
    limit = n;
    return true;
  }

  /**
   * Whether {@code length} bytes could be the beginning of a line the writer was writing when it stopped: printable
   * ASCII only, and beginning as every line begins.
   */
  private static boolean couldStartALine(byte[] bytes, int length, byte[] lineStart) {
    for (int i = 0; i < length; i++) {
      if (bytes[i] < 0x20 || bytes[i] > 0x7e || (i < lineStart.length && bytes[i] != lineStart[i])) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether what follows the last line feed could be a torn line (at most a line's length, printable ASCII, beginning
   * as a line begins); anything else there was not written by the writer. Meaningful once {@link #next} returned
   * {@code null}.
   */
  boolean tornIsALinePrefix() {
    return tornIsALinePrefix;
  }

  /** How many bytes the complete lines read so far take, line feeds included. */
  long completeBytes() {
    return completeBytes;
  }

  /** How many bytes follow the last line feed; meaningful once {@link #next} returned {@code null}. */
  long tornBytes() {
    return tornBytes;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
