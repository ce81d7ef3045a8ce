package dev.safeguards.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * The bytes of the tamper-evident audit log, as docs/audit-log-format.md specifies them.
 *
 * <p>A segment file {@code audit-NNNNNNNNNNNN.jsonl} holds lines. In format 2 a line is a record and a line feed; the
 * records are the leaves of an RFC 9162 Merkle tree. In format 1 a line is {@code {"chain":"<64
 * hex>","record":<record>}} and a line feed, the chain hash being SHA-256 over the previous record's chain hash (32
 * zero bytes before the first record) and the record's exact bytes. Either way a record begins {@code
 * {"seq":<n>,"kind":"<kind>"}.
 */
final class AuditLogFormat {

  /** The two layouts of a line; a log uses one throughout, told by the first bytes of its lines. */
  enum Version {
    /** {@code {"chain":"<hash>","record":<record>}}: a hash chain with signed statements (read only). */
    V1("{\"chain\":\""),
    /** {@code <record>}: the leaves of a Merkle tree with signed-note checkpoints. */
    V2("{\"seq\":");

    private final byte[] lineStart;

    Version(String lineStart) {
      this.lineStart = ascii(lineStart);
    }

    /** The bytes every line of this version begins with. */
    byte[] lineStart() {
      return lineStart.clone();
    }

    /** The version a line is written in. */
    static Version of(byte[] line) {
      return of(line, 0, line.length);
    }

    /** The version of the line of {@code length} bytes at {@code offset} of {@code bytes}. */
    static Version of(byte[] bytes, int offset, int length) {
      return startsWith(bytes, offset, offset + length, V1.lineStart) ? V1 : V2;
    }
  }

  static final String SEGMENT_PREFIX = "audit-";
  static final String SEGMENT_SUFFIX = ".jsonl";
  static final int HASH_BYTES = 32;
  /** The longest line a reader accepts, so that a damaged file cannot exhaust memory. */
  static final int MAX_LINE = 1 << 20;
  /** The longest event JSON the writer takes: its record, wrapped in the record's start and end, fits a line. */
  static final int MAX_EVENT = MAX_LINE - 128;

  static final String KIND_SEGMENT = "segment";
  static final String KIND_EVENT = "event";
  static final String KIND_CHECKPOINT = "checkpoint";
  static final String KIND_RECOVERY = "recovery";
  static final String KIND_OVERRIDE = "override";

  private static final byte[] PREFIX = ascii("{\"chain\":\"");
  private static final byte[] MIDDLE = ascii("\",\"record\":");
  private static final byte[] SEQ = ascii("{\"seq\":");
  private static final byte[] KIND = ascii(",\"kind\":\"");
  /** Bytes of a line before the record: the prefix, 64 hex digits, and the middle. */
  static final int RECORD_OFFSET = PREFIX.length + 2 * HASH_BYTES + MIDDLE.length;
  private static final HexFormat HEX = HexFormat.of();

  private AuditLogFormat() {}

  /** One segment file of a log directory. */
  record Segment(long number, Path path) {}

  static String segmentName(long number) {
    return String.format("%s%012d%s", SEGMENT_PREFIX, number, SEGMENT_SUFFIX);
  }

  /** The segment files of {@code dir}, in order of number; other files are not segments and are left out. */
  static List<Segment> segments(Path dir) throws IOException {
    List<Segment> out = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, SEGMENT_PREFIX + "*" + SEGMENT_SUFFIX)) {
      for (Path p : files) {
        String name = p.getFileName().toString();
        String digits = name.substring(SEGMENT_PREFIX.length(), name.length() - SEGMENT_SUFFIX.length());
        if (digits.length() == 12 && digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
          long number = Long.parseLong(digits);
          if (number > 0) {
            out.add(new Segment(number, p));
          }
        }
      }
    }
    out.sort(Comparator.comparingLong(Segment::number));
    return out;
  }

  /** The version of the log a segment belongs to, from its first line; format 2 for an empty segment. */
  static Version version(Path segment) throws IOException {
    byte[] start = new byte[Version.V1.lineStart.length];
    try (java.io.InputStream in = Files.newInputStream(segment)) {
      int n = in.readNBytes(start, 0, start.length);
      return n == start.length ? Version.of(start) : Version.V2;
    }
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /** The chain hash of {@code record}, following {@code previous}. */
  static byte[] chain(MessageDigest sha256, byte[] previous, byte[] record, int offset, int length) {
    sha256.update(previous);
    sha256.update(record, offset, length);
    return sha256.digest();
  }

  /** A whole line, with its line feed. */
  static byte[] line(byte[] chain, byte[] record) {
    byte[] out = new byte[RECORD_OFFSET + record.length + 2];
    System.arraycopy(PREFIX, 0, out, 0, PREFIX.length);
    byte[] hex = ascii(HEX.formatHex(chain));
    System.arraycopy(hex, 0, out, PREFIX.length, hex.length);
    System.arraycopy(MIDDLE, 0, out, PREFIX.length + hex.length, MIDDLE.length);
    System.arraycopy(record, 0, out, RECORD_OFFSET, record.length);
    out[out.length - 2] = '}';
    out[out.length - 1] = '\n';
    return out;
  }

  static StringBuilder recordStart(long seq, String kind) {
    return new StringBuilder(256).append("{\"seq\":").append(seq).append(",\"kind\":\"").append(kind).append('"');
  }

  static byte[] segmentRecord(long seq, UUID logId, long segment, Instant time, byte[] previousChain) {
    return ascii(recordStart(seq, KIND_SEGMENT).append(",\"log\":\"").append(logId).append("\",\"segment\":")
        .append(segment).append(",\"time\":\"").append(AuditJson.time(time)).append("\",\"prev\":\"")
        .append(HEX.formatHex(previousChain)).append("\"}").toString());
  }

  static byte[] eventRecord(long seq, byte[] eventJson) {
    byte[] start = ascii(recordStart(seq, KIND_EVENT).append(",\"event\":").toString());
    byte[] out = Arrays.copyOf(start, start.length + eventJson.length + 1);
    System.arraycopy(eventJson, 0, out, start.length, eventJson.length);
    out[out.length - 1] = '}';
    return out;
  }

  static byte[] checkpointRecord(long seq, SignedCheckpoint c) {
    return ascii(recordStart(seq, KIND_CHECKPOINT).append(",\"time\":\"").append(AuditJson.time(c.time()))
        .append("\",\"covers\":").append(c.sequence()).append(",\"head\":\"").append(c.head())
        .append("\",\"key\":\"").append(c.keyId()).append("\",\"sig\":\"").append(c.signature()).append("\"}")
        .toString());
  }

  /** A format-2 line: the record and a line feed. */
  static byte[] lineV2(byte[] record) {
    byte[] out = Arrays.copyOf(record, record.length + 1);
    out[record.length] = '\n';
    return out;
  }

  /** The format-2 segment record: the log's origin and id, the segment's number and start. */
  static byte[] segmentRecordV2(long seq, String origin, UUID logId, long segment, Instant time) {
    return segmentRecordV2(seq, origin, logId, segment, time, null);
  }

  /**
   * The format-2 segment record; in segment 1 of a log that continues a format-1 log, {@code continues} names that
   * log's id, last sequence number and the chain hash of its last record.
   */
  static byte[] segmentRecordV2(long seq, String origin, UUID logId, long segment, Instant time,
      Format1Head continues) {
    StringBuilder b = recordStart(seq, KIND_SEGMENT).append(",\"format\":2,\"origin\":");
    AuditJson.string(b, origin);
    b.append(",\"log\":\"").append(logId).append("\",\"segment\":").append(segment)
        .append(",\"time\":\"").append(AuditJson.time(time)).append('"');
    if (continues != null) {
      b.append(",\"continues\":{\"log\":\"").append(continues.log()).append("\",\"seq\":")
          .append(continues.seq()).append(",\"head\":\"").append(continues.head()).append("\"}");
    }
    return ascii(b.append('}').toString());
  }

  /**
   * The format-2 checkpoint record: the signed note over the tree of the {@code seq - 1} records before it. Nothing
   * else, so that every byte of it is vouched for by the note's signature.
   */
  static byte[] checkpointRecordV2(long seq, String note) {
    StringBuilder b = recordStart(seq, KIND_CHECKPOINT).append(",\"size\":").append(seq - 1).append(",\"note\":");
    AuditJson.string(b, note);
    return ascii(b.append('}').toString());
  }

  /**
   * The recovery record after an I/O failure the running writer recovered from: when it failed, how many appends it
   * refused meanwhile, and the failure's class (never its message, which may name a path).
   */
  static byte[] outageRecord(long seq, Instant time, long truncatedBytes, Instant failedAt, long refused,
      String cause) {
    StringBuilder b = recordStart(seq, KIND_RECOVERY).append(",\"time\":\"").append(AuditJson.time(time))
        .append("\",\"truncatedBytes\":").append(truncatedBytes).append(",\"failedAt\":\"")
        .append(AuditJson.time(failedAt)).append("\",\"refused\":").append(refused).append(",\"cause\":");
    AuditJson.string(b, cause);
    return ascii(b.append('}').toString());
  }

  /**
   * The record of an operator's override: the log of {@code records} records was opened although it does not extend
   * what an anchor holds ({@code finding}). Built with sequence number 0; {@link #withSeq} gives it its own.
   */
  static byte[] overrideRecord(long seq, Instant time, String anchor, long records, String finding, String reason) {
    StringBuilder b = recordStart(seq, KIND_OVERRIDE).append(",\"time\":\"").append(AuditJson.time(time))
        .append("\",\"anchor\":");
    AuditJson.string(b, anchor);
    b.append(",\"records\":").append(records).append(",\"finding\":\"").append(finding).append("\",\"reason\":");
    AuditJson.string(b, reason);
    return ascii(b.append('}').toString());
  }

  /** A record built with sequence number 0, given {@code seq}. */
  static byte[] withSeq(byte[] template, long seq) {
    String s = new String(template, StandardCharsets.US_ASCII);
    return ascii("{\"seq\":" + seq + s.substring(s.indexOf(',')));
  }

  static byte[] recoveryRecord(long seq, Instant time, long truncatedBytes) {
    return ascii(recordStart(seq, KIND_RECOVERY).append(",\"time\":\"").append(AuditJson.time(time))
        .append("\",\"truncatedBytes\":").append(truncatedBytes).append('}').toString());
  }

  /**
   * A line split into its parts, read without parsing the record beyond its sequence number and kind.
   *
   * @param chain the chain hash the line claims
   * @param bytes the whole line, without its line feed
   * @param seq the record's sequence number
   * @param kind the record's kind
   */
  record Line(byte[] chain, byte[] bytes, long seq, String kind) {

    /** The format-2 line: the record is the whole line and there is no chain hash. */
    boolean v2() {
      return chain == null;
    }

    int recordOffset() {
      return v2() ? 0 : RECORD_OFFSET;
    }

    int recordLength() {
      return v2() ? bytes.length : bytes.length - RECORD_OFFSET - 1;
    }

    byte[] record() {
      return v2() ? bytes : Arrays.copyOfRange(bytes, RECORD_OFFSET, bytes.length - 1);
    }
  }

  /** What a record begins with: its sequence number and kind. */
  record Start(long seq, String kind) {}

  /**
   * Splits a line (without its line feed).
   *
   * @throws IllegalArgumentException if it is not in the layout the format requires
   */
  static Line parse(byte[] line) {
    if (Version.of(line) == Version.V2) {
      Start start = startV2(line, 0, line.length);
      return new Line(null, line, start.seq(), start.kind());
    }
    if (line.length < RECORD_OFFSET + SEQ.length + 2 || !startsWith(line, 0, PREFIX)
        || !startsWith(line, PREFIX.length + 2 * HASH_BYTES, MIDDLE) || line[line.length - 1] != '}'
        || !startsWith(line, RECORD_OFFSET, SEQ)) {
      throw new IllegalArgumentException("the line is not in the audit log layout");
    }
    byte[] chain = new byte[HASH_BYTES];
    for (int i = 0; i < HASH_BYTES; i++) {
      int hi = hexDigit(line[PREFIX.length + 2 * i]);
      int lo = hexDigit(line[PREFIX.length + 2 * i + 1]);
      chain[i] = (byte) (hi << 4 | lo);
    }
    Start start = recordStart(line, RECORD_OFFSET, line.length);
    return new Line(chain, line, start.seq(), start.kind());
  }

  /**
   * Reads the sequence number and kind of the format-2 line (a record, without its line feed) of {@code length} bytes
   * at {@code offset} of {@code bytes}, parsing nothing after them.
   *
   * @throws IllegalArgumentException if it is not in the layout the format requires
   */
  static Start startV2(byte[] bytes, int offset, int length) {
    int end = offset + length;
    if (length < SEQ.length + 2 || bytes[end - 1] != '}' || !startsWith(bytes, offset, end, SEQ)) {
      throw new IllegalArgumentException("the line is not in the audit log layout");
    }
    return recordStart(bytes, offset, end);
  }

  /** Reads the sequence number and kind the record from {@code offset} to {@code end} of {@code line} begins with. */
  private static Start recordStart(byte[] line, int offset, int end) {
    int p = offset + SEQ.length;
    long seq = 0;
    int digits = 0;
    while (p < end && line[p] >= '0' && line[p] <= '9') {
      if (digits == 0 && line[p] == '0' || digits == 18) {
        throw new IllegalArgumentException("the sequence number is not a positive decimal");
      }
      seq = seq * 10 + (line[p] - '0');
      digits++;
      p++;
    }
    if (digits == 0 || !startsWith(line, p, end, KIND)) {
      throw new IllegalArgumentException("the record does not begin with its sequence number and kind");
    }
    int kindStart = p + KIND.length;
    int kindEnd = kindStart;
    while (kindEnd < end && line[kindEnd] >= 'a' && line[kindEnd] <= 'z') {
      kindEnd++;
    }
    if (kindEnd == end || line[kindEnd] != '"' || kindEnd == kindStart) {
      throw new IllegalArgumentException("the record kind is malformed");
    }
    return new Start(seq, kind(line, kindStart, kindEnd));
  }

  private static final String[] KINDS = {KIND_EVENT, KIND_CHECKPOINT, KIND_SEGMENT, KIND_RECOVERY, KIND_OVERRIDE};

  /** The kind between {@code start} and {@code end}: one of the constants, not a new string, when it is one. */
  private static String kind(byte[] line, int start, int end) {
    for (String k : KINDS) {
      if (k.length() == end - start && sameAscii(line, start, k)) {
        return k;
      }
    }
    return new String(line, start, end - start, StandardCharsets.US_ASCII);
  }

  private static boolean sameAscii(byte[] line, int start, String text) {
    for (int i = 0; i < text.length(); i++) {
      if (line[start + i] != text.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static int hexDigit(byte b) {
    if (b >= '0' && b <= '9') {
      return b - '0';
    }
    if (b >= 'a' && b <= 'f') {
      return b - 'a' + 10;
    }
    throw new IllegalArgumentException("the chain hash is not lower-case hex");
  }

  private static boolean startsWith(byte[] bytes, int offset, byte[] prefix) {
    return startsWith(bytes, offset, bytes.length, prefix);
  }

  /** Whether the bytes from {@code offset} (and before {@code end}) begin with {@code prefix}. */
  private static boolean startsWith(byte[] bytes, int offset, int end, byte[] prefix) {
    if (offset < 0 || offset + prefix.length > end) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (bytes[offset + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
