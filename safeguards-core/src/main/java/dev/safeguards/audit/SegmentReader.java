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
 *
 * <p>{@link #advance} moves to the next line and leaves it where it was read ({@link #array}, {@link #offset}, {@link
 * #length}), so that a walk over every line copies none; {@link #next} returns a copy.
 */
final class SegmentReader implements Closeable {

  /** The read buffer's size; it grows to hold a longer line whole. */
  private static final int BUFFER = 1 << 16;

  private final InputStream in;
  private byte[] buffer = new byte[BUFFER];
  /** Where the bytes not yet returned as lines begin in {@link #buffer}. */
  private int position;
  private int limit;
  private long completeBytes;
  private long tornBytes;
  private boolean tornIsALinePrefix = true;

  /** The current line: its bytes, where it starts and how long it is, and whether it is printable ASCII only. */
  private byte[] lineArray;
  private int lineOffset;
  private int lineLength;
  private boolean printable;

  /** The line after the current one, read by {@link #peek} and not yet made current; null if none was. */
  private byte[] peeked;
  private boolean peekedPrintable;
  /** Whether the complete lines have all been read. */
  private boolean ended;

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

  /** The next complete line without its line feed (a copy), or {@code null} at the end of the complete lines. */
  byte[] next() throws IOException {
    return advance() ? line() : null;
  }

  /**
   * Moves to the next complete line: afterwards {@link #array}, {@link #offset}, {@link #length} and {@link #printable}
   * describe it, until the next call of this method or of {@link #peek}.
   *
   * @return false at the end of the complete lines
   */
  boolean advance() throws IOException {
    if (peeked != null) {
      lineArray = peeked;
      lineOffset = 0;
      lineLength = peeked.length;
      printable = peekedPrintable;
      peeked = null;
      return true;
    }
    if (ended) {
      return false;
    }
    boolean ascii = true;
    boolean oversized = false;
    long dropped = 0; // bytes of an oversized line no longer in the buffer
    int scan = position; // the bytes from position to scan hold no line feed
    while (true) {
      // One pass finds the line's end and checks that every byte is printable ASCII, for the verifier: eight bytes
      // at a time while they are all printable (so none is the line feed), then byte by byte.
      int p = printableRun(buffer, scan, limit);
      while (p < limit) {
        byte b = buffer[p];
        if (b == '\n') {
          break;
        }
        ascii &= b >= 0x20 & b <= 0x7e;
        p++;
      }
      if (p < limit) {
        int n = p - position;
        completeBytes += dropped + n + 1;
        lineArray = buffer;
        if (oversized || n > AuditLogFormat.MAX_LINE) {
          // an oversized line comes back empty, and is refused for its length
          lineOffset = p;
          lineLength = 0;
          printable = true;
        } else {
          lineOffset = position;
          lineLength = n;
          printable = ascii;
        }
        position = p + 1;
        return true;
      }
      int partial = limit - position;
      if (oversized || partial > AuditLogFormat.MAX_LINE) {
        oversized = true;
        dropped += partial;
        position = limit;
        partial = 0;
      }
      if (position > 0) {
        System.arraycopy(buffer, position, buffer, 0, partial);
        position = 0;
        limit = partial;
      } else if (limit == buffer.length) {
        // a line longer than the buffer: room for it whole, up to one byte more than a line may hold
        buffer = Arrays.copyOf(buffer, Math.min(buffer.length * 2, AuditLogFormat.MAX_LINE + 1));
      }
      scan = limit;
      if (!fill()) {
        ended = true;
        tornBytes = dropped + partial;
        tornIsALinePrefix = !oversized && couldStartALine(buffer, partial, lineStart);
        return false;
      }
    }
  }

  /** The array that holds the current line. */
  byte[] array() {
    return lineArray;
  }

  /** Where the current line starts in {@link #array}. */
  int offset() {
    return lineOffset;
  }

  /** The current line's length, without its line feed. */
  int length() {
    return lineLength;
  }

  /** The current line, a copy. */
  byte[] line() {
    return Arrays.copyOfRange(lineArray, lineOffset, lineOffset + lineLength);
  }

  /**
   * The line after the current one (a copy), or null if there is none; the next {@link #advance} moves to it. The
   * current line's bytes are not valid afterwards: read what it needs of them first.
   */
  byte[] peek() throws IOException {
    if (peeked == null && advance()) {
      peeked = line();
      peekedPrintable = printable;
    }
    return peeked;
  }

  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGH_BITS = 0x8080808080808080L;
  /** Added to a byte below 0x80, sets its high bit exactly when it is 0x20 or more. */
  private static final long FROM_SPACE = 0x6060606060606060L;

  /**
   * Where the run of printable ASCII bytes (0x20 to 0x7e) from {@code from} ends, to a multiple of eight bytes: the
   * first eight-byte word that holds another byte (a line feed among them) is left to the caller, as are the last
   * fewer than eight bytes. Sixteen bytes at a time, while they are all printable.
   */
  private static int printableRun(byte[] bytes, int from, int limit) {
    int p = from;
    while (p + 2 * Long.BYTES <= limit) {
      if (((notPrintable((long) LONGS.get(bytes, p)) | notPrintable((long) LONGS.get(bytes, p + Long.BYTES)))
          & HIGH_BITS) != 0) {
        break;
      }
      p += 2 * Long.BYTES;
    }
    while (p + Long.BYTES <= limit) {
      if ((notPrintable((long) LONGS.get(bytes, p)) & HIGH_BITS) != 0) {
        break;
      }
      p += Long.BYTES;
    }
    return p;
  }

  /**
   * A word whose bytes' high bits are set where a byte of {@code x} is not printable ASCII, or anywhere if one has its
   * own high bit set. When none has, adding 0x01 to a byte sets its high bit exactly when it is 0x7f, and adding 0x60
   * exactly when it is 0x20 or more, and neither carries into the next byte.
   */
  private static long notPrintable(long x) {
    return x | (x + ONES) | ~(x + FROM_SPACE);
  }

  /** Whether the line {@link #advance} moved to last holds printable ASCII only (0x20 to 0x7e). */
  boolean printable() {
    return printable;
  }

  /** Reads more into the buffer after {@link #limit}; false at the end of the file. */
  private boolean fill() throws IOException {
    int n = in.read(buffer, limit, buffer.length - limit);
    if (n < 0) {
      return false;
    }
    limit += n;
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
