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
}
