package dev.safeguards.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import dev.safeguards.crypto.SigningKeyset;
import dev.safeguards.integrity.internal.JsonCanonicalizer;
import dev.safeguards.testing.FuzzInputs;
import dev.safeguards.tlog.Frontier;
import dev.safeguards.tlog.Merkle;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes reading audit log segments: the line reader, the verifier over a directory holding the fuzzed segment, and
 * reopening that directory for writing. Whatever a segment holds, the verifier returns what it verified or throws
 * {@link AuditLogTamperedException}, and opening never repairs what the verifier calls tampering.
 */
class AuditLogFuzzTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T10:15:30Z"), ZoneOffset.UTC);
  private static final String SEGMENT = "audit-000000000001.jsonl";

  @TempDir static Path tmp;
  private static SigningKeyset keys;
  private static AuditLogVerifier verifier;

  @BeforeAll
  static void keys() throws Exception {
    keys = AuditFixtures.checkpointKeys(tmp, CLOCK);
    verifier = AuditLogVerifier.builder(SigningKeyset.fromPublicJwks(keys.publicJwks())).build();
  }

  /** The reader returns exactly the lines a split at line feeds gives, and measures what follows the last one. */
  @FuzzTest(maxDuration = "1m")
  void segmentReader_anyBytes_readsExactlyTheCompleteLines(byte[] data) throws IOException {
    Path file = Files.write(tmp.resolve("reader.jsonl"), data);
    List<byte[]> lines = new ArrayList<>();
    long complete;
    long torn;
    try (SegmentReader reader = new SegmentReader(file)) {
      for (byte[] line; (line = reader.next()) != null; ) {
        lines.add(line);
      }
      complete = reader.completeBytes();
      torn = reader.tornBytes();
    }
    int start = 0;
    int i = 0;
    for (int lf = 0; lf < data.length; lf++) {
      if (data[lf] == '\n') {
        assertThat(lines.get(i++)).isEqualTo(Arrays.copyOfRange(data, start, lf));
        start = lf + 1;
      }
    }
    assertThat(lines).hasSize(i);
    assertThat(complete).isEqualTo(start);
    assertThat(torn).isEqualTo(data.length - start);
  }

  /** The input is the segment file itself, chain hashes and all. */
  @FuzzTest(maxDuration = "2m")
  void verify_anySegmentBytes_returnsWhatItVerifiedOrThrowsAuditLogTamperedException(byte[] data) throws Exception {
    Path dir = freshDirectory("raw");
    Files.write(dir.resolve(SEGMENT), data);
    verifyOrTampered(dir);
  }

  /**
   * Every line of the input is a record ({@code {"seq":...}}) of a format-2 log, and a line {@code @checkpoint} becomes
   * a checkpoint signed with the log's key over the tree of the records before it (with the origin of the first
   * record), so that inputs get past the signatures to the records' content. The verifier and opening the log for writing agree: a log the verifier
   * refuses as tampered does not open, and one it accepts opens, takes a record and verifies again.
   */
  @FuzzTest(maxDuration = "3m")
  void verifyThenOpen_anyChainedRecords_agreeAndNeverRepairTampering(byte[] data) throws Exception {
    Path dir = freshDirectory("chained");
    byte[] segment = signed(FuzzInputs.lines(data));
    Files.write(dir.resolve(SEGMENT), segment);
    VerifiedAuditLog before = verifyOrTampered(dir);
    TamperEvidentAuditLog log;
    try {
      log = TamperEvidentAuditLog.builder(dir, keys).clock(CLOCK).acknowledgeBeforeSync().open();
    } catch (AuditLogTamperedException e) {
      assertThat(before).as("opening refused a log the verifier accepted: %s", e.getMessage()).isNull();
      return;
    }
    try (log) {
      // Only an empty first segment (a crash while creating it) opens afresh without the verifier's blessing.
      assertThat(before != null || segment.length == 0).as("opened a log the verifier refused").isTrue();
      log.record(AuditFixtures.read(AuditEvents.create(CLOCK), AuditFixtures.ALICE, 1));
    }
    VerifiedAuditLog after = verifier.verify(dir);
    if (before != null) {
      assertThat(after.logId()).isEqualTo(before.logId());
      assertThat(after.lastSequence()).isGreaterThan(before.lastSequence());
    }
  }

  private static VerifiedAuditLog verifyOrTampered(Path dir) throws AuditException {
    VerifiedAuditLog v;
    try {
      v = verifier.verify(dir);
    } catch (AuditLogTamperedException e) {
      FuzzInputs.assertBoundedMessage(e);
      assertThat(e.sequence()).isPositive();
      return null;
    }
    assertThat(v.logId()).isNotNull();
    assertThat(v.firstSequence()).isEqualTo(1);
    assertThat(v.lastSequence()).isGreaterThanOrEqualTo(v.firstSequence());
    assertThat(v.records()).as("every record counted once").isEqualTo(v.events() + v.checkpoints() + v.recoveries() + 1);
    return v;
  }

  /** The records as format-2 lines; {@code @checkpoint} a note signed over the tree of what comes before. */
  private static byte[] signed(List<String> records) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Frontier tree = new Frontier();
    long seq = 0;
    String origin = null;
    for (String text : records) {
      byte[] record;
      if (text.equals("@checkpoint") && origin != null && seq > 0) {
        String note = NoteCheckpoints.over(keys).sign(origin, tree.size(), tree.root()).note();
        record = AuditLogFormat.checkpointRecordV2(seq + 1, note);
      } else {
        record = text.getBytes(StandardCharsets.UTF_8);
      }
      if (origin == null) {
        origin = originOf(record);
      }
      tree.append(Merkle.leafHash(record));
      out.writeBytes(AuditLogFormat.lineV2(record));
      seq = seqOf(record, seq);
    }
    return out.toByteArray();
  }

  private static String originOf(byte[] record) {
    try {
      JsonNode origin = JsonCanonicalizer.parseStrict(record).get("origin");
      return origin == null || !origin.isTextual() ? null : NoteCheckpoints.checkOrigin(origin.asText());
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static long seqOf(byte[] record, long previous) {
    try {
      JsonNode seq = JsonCanonicalizer.parseStrict(record).get("seq");
      return seq != null && seq.canConvertToLong() ? seq.longValue() : previous + 1;
    } catch (IllegalArgumentException e) {
      return previous + 1;
    }
  }

  private static Path freshDirectory(String name) throws IOException {
    Path dir = tmp.resolve(name);
    if (Files.exists(dir)) {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          if (!f.equals(dir)) {
            Files.delete(f);
          }
        }
      }
    }
    return Files.createDirectories(dir);
  }
}
