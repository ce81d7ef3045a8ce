package dev.safeguards.audit;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
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
  /** Whether the line {@link #next} returned last is printable ASCII only. */
  private boolean printable;

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
    boolean ascii = true;
    while (true) {
      if (position == limit) {
        if (eof || !fill()) {
          tornBytes = lineBytes;
          tornIsALinePrefix = !oversized && couldStartALine(line, length, lineStart);
          return null;
        }
      }
      int start = position;
      // One pass finds the line's end and checks that every byte is printable ASCII, for the verifier: eight bytes
      // at a time while they are all printable (so none is the line feed), then byte by byte.
      position = printableRun(buffer, position, limit);
      while (position < limit) {
        byte b = buffer[position];
        if (b == '\n') {
          break;
        }
        ascii &= b >= 0x20 & b <= 0x7e;
        position++;
      }
      int n = position - start;
      lineBytes += n;
      if (!oversized && length == 0 && position < limit && n <= AuditLogFormat.MAX_LINE) {
        // The whole line is in the buffer: one copy.
        position++; // the line feed
        completeBytes += lineBytes + 1;
        printable = ascii;
        return Arrays.copyOfRange(buffer, start, start + n);
      }
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
        printable = ascii || oversized; // an oversized line comes back empty, and is refused for its length
        return oversized ? new byte[0] : Arrays.copyOf(line, length);
      }
    }
  }

  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGH_BITS = 0x8080808080808080L;
  private static final long SPACES = 0x2020202020202020L;
  private static final long DELETES = 0x7f7f7f7f7f7f7f7fL;

  /**
   * Where the run of printable ASCII bytes (0x20 to 0x7e) from {@code from} ends, to a multiple of eight bytes: the
   * first eight-byte word that holds another byte (a line feed among them) is left to the caller, as are the last
   * fewer than eight bytes. A word {@code x} holds only printable bytes unless one has its high bit set, or is below
   * 0x20 ({@code (x - 0x20..20) & ~x} has a high bit set exactly then, when no byte has its own high bit set), or is
   * 0x7f ({@code x ^ 0x7f..7f} has a zero byte).
   */
  private static int printableRun(byte[] bytes, int from, int limit) {
    int p = from;
    while (p + Long.BYTES <= limit) {
      long x = (long) LONGS.get(bytes, p);
      long deletes = x ^ DELETES;
      if (((x | ((x - SPACES) & ~x) | ((deletes - ONES) & ~deletes)) & HIGH_BITS) != 0) {
        break;
      }
      p += Long.BYTES;
    }
    return p;
  }

  /** Whether the line {@link #next} returned last holds printable ASCII only (0x20 to 0x7e). */
  boolean printable() {
    return printable;
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
