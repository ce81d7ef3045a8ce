package dev.safeguards.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The segment reader's printable-ASCII check, which skips eight printable bytes at a time: every byte value at every
 * position of a word, lines across the read buffer's boundary, and the line after a bad one.
 */
class SegmentReaderTest {

  @TempDir Path tmp;

  private static byte[] line(int length, int badAt, int bad) {
    byte[] line = new byte[length];
    for (int i = 0; i < length; i++) {
      line[i] = (byte) (0x20 + i % 95); // every printable byte, in turn
    }
    if (badAt >= 0) {
      line[badAt] = (byte) bad;
    }
    return line;
  }

  @Test
  void everyByteValue_atEveryPositionOfAWord_isJudgedAsPrintableOrNot() throws Exception {
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    int lines = 0;
    for (int value = 0; value < 256; value++) {
      if (value == '\n') {
        continue;
      }
      for (int at = 0; at < 24; at++) {
        file.write(line(29, at, value));
        file.write('\n');
        lines++;
      }
    }
    Path segment = Files.write(tmp.resolve("segment"), file.toByteArray());

    try (SegmentReader reader = new SegmentReader(segment, AuditLogFormat.Version.V2)) {
      for (int value = 0; value < 256; value++) {
        if (value == '\n') {
          continue;
        }
        for (int at = 0; at < 24; at++) {
          byte[] read = reader.next();
          assertThat(read).isEqualTo(line(29, at, value));
          assertThat(reader.printable()).as("byte 0x%02x at %d", value, at).isEqualTo(value >= 0x20 && value <= 0x7e);
          lines--;
        }
      }
      assertThat(reader.next()).isNull();
    }
    assertThat(lines).isZero();
  }

  @Test
  void linesAcrossTheReadBuffer_areWholeAndJudgedByEveryByte() throws Exception {
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    byte[] good = line(1000, -1, 0);
    byte[] bad = line(1000, 997, 0x7f);
    for (int i = 0; i < 200; i++) {
      file.write(i % 3 == 0 ? bad : good);
      file.write('\n');
    }
    Path segment = Files.write(tmp.resolve("segment"), file.toByteArray());

    try (SegmentReader reader = new SegmentReader(segment, AuditLogFormat.Version.V2)) {
      for (int i = 0; i < 200; i++) {
        byte[] read = reader.next();
        assertThat(Arrays.equals(read, i % 3 == 0 ? bad : good)).as("line " + i).isTrue();
        assertThat(reader.printable()).as("line " + i).isEqualTo(i % 3 != 0);
      }
      assertThat(reader.next()).isNull();
      assertThat(reader.tornBytes()).isZero();
    }
  }

  @Test
  void advance_linesLongerThanTheReadBuffer_areReturnedWholeWhereTheyWereRead() throws Exception {
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    int[] lengths = {10, 70_000, 5, 200_000, 65_535, 65_536, 65_537, 1 << 20, 3};
    for (int length : lengths) {
      file.write(line(length, -1, 0));
      file.write('\n');
    }
    Path segment = Files.write(tmp.resolve("segment"), file.toByteArray());

    try (SegmentReader reader = new SegmentReader(segment, AuditLogFormat.Version.V2)) {
      for (int length : lengths) {
        assertThat(reader.advance()).isTrue();
        assertThat(reader.length()).isEqualTo(length);
        assertThat(Arrays.copyOfRange(reader.array(), reader.offset(), reader.offset() + reader.length()))
            .isEqualTo(line(length, -1, 0));
        assertThat(reader.printable()).isTrue();
      }
      assertThat(reader.advance()).isFalse();
      assertThat(reader.completeBytes()).isEqualTo(file.size());
      assertThat(reader.tornBytes()).isZero();
    }
  }

  @Test
  void next_lineLongerThanALineMayBe_comesBackEmptyAndTheLinesAfterItWhole() throws Exception {
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    file.write(line(12, -1, 0));
    file.write('\n');
    file.write(line(AuditLogFormat.MAX_LINE + 1, 5, 0x07));
    file.write('\n');
    file.write(line(40, -1, 0));
    file.write('\n');
    file.write(line(AuditLogFormat.MAX_LINE + 300_000, -1, 0)); // torn, and too long to be a line
    Path segment = Files.write(tmp.resolve("segment"), file.toByteArray());

    try (SegmentReader reader = new SegmentReader(segment, AuditLogFormat.Version.V2)) {
      assertThat(reader.next()).isEqualTo(line(12, -1, 0));
      assertThat(reader.next()).isEmpty();
      assertThat(reader.printable()).as("refused for its length, not its bytes").isTrue();
      assertThat(reader.next()).isEqualTo(line(40, -1, 0));
      assertThat(reader.next()).isNull();
      assertThat(reader.completeBytes()).isEqualTo(12 + 1 + AuditLogFormat.MAX_LINE + 1 + 1 + 40 + 1);
      assertThat(reader.tornBytes()).isEqualTo(AuditLogFormat.MAX_LINE + 300_000);
      assertThat(reader.tornIsALinePrefix()).isFalse();
      assertThat(reader.next()).isNull();
    }
  }

  @Test
  void tornLine_isMeasuredAndJudgedAsALinePrefix() throws Exception {
    Path segment = Files.write(tmp.resolve("segment"),
        "{\"seq\":1,\"kind\":\"event\"}\n{\"seq\":2,\"ki".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    Path other = Files.write(tmp.resolve("other"),
        "{\"seq\":1,\"kind\":\"event\"}\nxyz".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

    try (SegmentReader reader = new SegmentReader(segment, AuditLogFormat.Version.V2)) {
      assertThat(reader.next()).isNotNull();
      assertThat(reader.next()).isNull();
      assertThat(reader.tornBytes()).isEqualTo(12);
      assertThat(reader.tornIsALinePrefix()).isTrue();
    }
    try (SegmentReader reader = new SegmentReader(other, AuditLogFormat.Version.V2)) {
      assertThat(reader.next()).isNotNull();
      assertThat(reader.next()).isNull();
      assertThat(reader.tornBytes()).isEqualTo(3);
      assertThat(reader.tornIsALinePrefix()).isFalse();
    }
  }

  @Test
  void peek_readsTheNextLineWhichAdvanceThenReturns() throws Exception {
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    for (int i = 0; i < 3; i++) {
      file.write(line(100 + i, i == 1 ? 50 : -1, 0x01));
      file.write('\n');
    }
    Path segment = Files.write(tmp.resolve("segment"), file.toByteArray());

    try (SegmentReader reader = new SegmentReader(segment, AuditLogFormat.Version.V2)) {
      assertThat(reader.advance()).isTrue();
      assertThat(reader.peek()).isEqualTo(line(101, 50, 0x01));
      assertThat(reader.peek()).as("peeking again reads no further").isEqualTo(line(101, 50, 0x01));
      assertThat(reader.advance()).isTrue();
      assertThat(reader.line()).isEqualTo(line(101, 50, 0x01));
      assertThat(reader.printable()).isFalse();
      assertThat(reader.advance()).isTrue();
      assertThat(reader.printable()).isTrue();
      assertThat(reader.peek()).isNull();
      assertThat(reader.advance()).isFalse();
      assertThat(reader.completeBytes()).isEqualTo(file.size());
    }
  }
}
