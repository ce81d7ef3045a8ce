package dev.safeguards.audit;

import static dev.safeguards.audit.AuditFixtures.ALICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.safeguards.audit.AuditLogTamperedException.Tampering;
import dev.safeguards.crypto.SigningKeyset;
import dev.safeguards.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tamper matrix of a format-2 log: every kind of tampering is found, at the sequence number where it happened,
 * with the stored hashes and the published checkpoint in place and, where an attacker would remove them too, without;
 * and what only a checkpoint kept elsewhere catches is caught with one.
 */
class AuditLogTamperingTest {

  @TempDir Path tmp;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:15:30Z"));
  private SigningKeyset keys;
  private SigningKeyset publicKeys;
  private Path logDir;
  private Path segment;
  private final List<AuditCheckpoint> checkpoints = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** Segment record (1) and 12 events, a checkpoint after every 4 records (seq 5, 10, 15) and a final one (17). */
  @BeforeEach
  void writeLog() throws Exception {
    keys = AuditFixtures.checkpointKeys(tmp, clock);
    logDir = tmp.resolve("audit");
    AuditEvents events = AuditEvents.create(clock);
    try (TamperEvidentAuditLog log = TamperEvidentAuditLog.builder(logDir, keys).clock(clock).checkpointEvery(4)
        .onCheckpoint(checkpoints::add).open()) {
      for (int i = 0; i < 12; i++) {
        log.record(AuditFixtures.read(events, ALICE, i));
      }
    }
    segment = logDir.resolve("audit-000000000001.jsonl");
    assertThat(verify().lastSequence()).isEqualTo(17);
    assertThat(checkpoints).extracting(AuditCheckpoint::size).containsExactly(4L, 9L, 14L, 16L);
  }

  private VerifiedAuditLog verify() throws AuditException {
    return verifier().build().verify(logDir);
  }

  private AuditLogVerifier.Builder verifier() {
    if (publicKeys == null) {
      publicKeys = SigningKeyset.fromPublicJwks(keys.publicJwks());
    }
    return AuditLogVerifier.builder(publicKeys);
  }

  private List<String> lines() throws Exception {
    return new ArrayList<>(Files.readAllLines(segment, StandardCharsets.US_ASCII));
  }

  private void write(List<String> lines) throws Exception {
    Files.writeString(segment, String.join("\n", lines) + "\n", StandardCharsets.US_ASCII);
  }

  /** What an attacker who rewrites records removes too: the stored hashes and the published checkpoint. */
  private void removeStoredHashes() throws Exception {
    TamperEvidentAuditLogTest.deleteRecursively(logDir.resolve("tile"));
    Files.delete(logDir.resolve("checkpoint"));
  }

  private AuditLogTamperedException tampered() {
    return tampered(verifier());
  }

  private AuditLogTamperedException tampered(AuditLogVerifier.Builder verifier) {
    try {
      verifier.build().verify(logDir);
    } catch (AuditLogTamperedException e) {
      assertThat(e.getMessage()).doesNotContain(ALICE.toString());
      return e;
    } catch (AuditException e) {
      fail("not reported as tampering", e);
    }
    return fail("tampering was not detected");
  }

  /** Every byte of a small log holding every kind of record: segment, events, checkpoints. */
  @Test
  void changeAnyByte_isDetectedAtTheRecordHoldingIt() throws Exception {
    TamperEvidentAuditLogTest.deleteRecursively(logDir);
    AuditEvents events = AuditEvents.create(clock);
    try (TamperEvidentAuditLog log = TamperEvidentAuditLog.builder(logDir, keys).clock(clock).checkpointEvery(2)
        .open()) {
      for (int i = 0; i < 3; i++) {
        log.record(AuditFixtures.read(events, ALICE, i));
      }
    }
    byte[] original = Files.readAllBytes(segment);
    assertThat(verify().lastSequence()).isEqualTo(6); // segment, event, checkpoint, event, event, checkpoint
    for (boolean stored : new boolean[] {true, false}) {
      if (!stored) {
        removeStoredHashes();
      }
      int lineSeq = 1;
      for (int i = 0; i < original.length; i++) {
        byte[] changed = original.clone();
        changed[i] ^= 0x01;
        Files.write(segment, changed);

        // Even the last line feed turned into another byte is found: a crash leaves a prefix of a line, never a
        // complete line ending in a control character. Without the stored hashes, a change to a record may be found
        // only by the checkpoint after it (which names the first record it covers, or itself when the change makes
        // the note disagree with the log); a checkpoint record is checked byte for byte on its own.
        AuditLogTamperedException e;
        try {
          e = tampered();
        } catch (AssertionError missed) {
          throw new AssertionError("byte " + i + " (" + (char) original[i] + " in line " + lineSeq + ", stored "
              + stored + ") changed unnoticed", missed);
        }
        if (stored || lineSeq == 3 || lineSeq == 6) {
          assertThat(e.sequence()).as("byte %d: %s", i, e.getMessage()).isEqualTo(lineSeq);
        } else {
          long nextCheckpoint = lineSeq <= 3 ? 3 : 6;
          assertThat(e.sequence()).as("byte %d: %s", i, e.getMessage()).isBetween(1L, nextCheckpoint);
        }
        if (original[i] == '\n') {
          lineSeq++;
        }
      }
      Files.write(segment, original);
    }
  }

  @Test
  void deleteALine_isReportedAsDeletedAtItsSequence() throws Exception {
    List<String> lines = lines();
    lines.remove(6); // seq 7
    write(lines);

    AuditLogTamperedException e = tampered();

    assertThat(e.tampering()).isEqualTo(Tampering.DELETED);
    assertThat(e.sequence()).isEqualTo(7);
  }

  @Test
  void swapTwoLines_isReportedAsReordered() throws Exception {
    List<String> lines = lines();
    String seven = lines.get(6);
    lines.set(6, lines.get(7));
    lines.set(7, seven);
    write(lines);

    AuditLogTamperedException e = tampered();

    assertThat(e.tampering()).isEqualTo(Tampering.REORDERED);
    assertThat(e.sequence()).isEqualTo(7);
  }

  @Test
  void duplicateALine_isReportedAsInserted() throws Exception {
    List<String> lines = lines();
    lines.add(7, lines.get(6));
    write(lines);

    AuditLogTamperedException e = tampered();

    assertThat(e.tampering()).isEqualTo(Tampering.INSERTED);
    assertThat(e.sequence()).isEqualTo(8);
    assertThat(e.line()).isEqualTo(8);
  }

  @Test
  void insertAForgedLine_isReportedAsInserted() throws Exception {
    List<String> lines = lines();
    // A copy of record 7 with another request id, claiming seq 7, in front of the real one.
    lines.add(6, lines.get(6).replace("\"requestId\":\"req-", "\"requestId\":\"forged-"));
    write(lines);

    AuditLogTamperedException e = tampered();

    assertThat(e.tampering()).isEqualTo(Tampering.INSERTED);
    assertThat(e.sequence()).isEqualTo(7);
    assertThat(e.line()).isEqualTo(7);
  }

  @Test
  void changeARecord_isFoundAgainstItsStoredHash_andWithoutThemByTheNextCheckpoint() throws Exception {
    List<String> lines = lines();
    lines.set(6, lines.get(6).replace("\"requestId\":\"req-", "\"requestId\":\"forged-"));
    write(lines);

    AuditLogTamperedException e = tampered();
    assertThat(e.tampering()).isEqualTo(Tampering.MODIFIED);
    assertThat(e.sequence()).isEqualTo(7);

    removeStoredHashes();
    e = tampered();
    // Checkpoint 10 covers records 1..9, the one before (5) covered 1..4: the forgery at 7 lies in 5..9.
    assertThat(e.tampering()).isEqualTo(Tampering.REWRITTEN);
    assertThat(e.sequence()).isEqualTo(5);
    assertThat(e.getMessage()).contains("records 5 to 9");
  }

  @Test
  void changeARecordAndTheCheckpointRoot_failsTheSignature() throws Exception {
    List<String> lines = lines();
    lines.set(6, lines.get(6).replace("\"requestId\":\"req-", "\"requestId\":\"forged-"));
    lines.set(9, lines.get(9).replaceFirst("u000a9\\\\u000a[A-Za-z0-9+/]{43}=", "u000a9\\\\u000a"
        + "A".repeat(43) + "="));
    assertThat(lines.get(9)).contains("A".repeat(43));
    write(lines);
    removeStoredHashes();

    AuditLogTamperedException e = tampered();

    assertThat(e.tampering()).isEqualTo(Tampering.BAD_CHECKPOINT_SIGNATURE);
    assertThat(e.sequence()).isEqualTo(10);
  }

  @Test
  void aBadSignatureIsReportedBeforeWhatTheWalkFindsAfterIt() throws Exception {
    // The signatures are checked beside the walk; the first thing wrong is still the one reported.
    List<String> lines = lines();
    java.util.regex.Matcher sig = java.util.regex.Pattern.compile("([A-Za-z0-9+/]{30})([A-Za-z0-9+/])([A-Za-z0-9+/=]*"
        + "\\\\u000a\"}$)").matcher(lines.get(4));
    assertThat(sig.find()).isTrue();
    String flipped = sig.group(2).equals("A") ? "B" : "A";
    lines.set(4, lines.get(4).substring(0, sig.start(2)) + flipped + lines.get(4).substring(sig.end(2)));
    lines.set(11, lines.get(11).replace("\"requestId\":\"req-", "\"requestId\":\"forged-"));
    write(lines);
    removeStoredHashes();

    AuditLogTamperedException e = tampered();

    assertThat(e.tampering()).isEqualTo(Tampering.BAD_CHECKPOINT_SIGNATURE);
    assertThat(e.sequence()).isEqualTo(5);
    assertThat(e.line()).isEqualTo(5);
  }

  @Test
  void checkpointsFromAnotherKey_areRefused() throws Exception {
    SigningKeyset other = AuditFixtures.checkpointKeys(Files.createDirectory(tmp.resolve("other")), clock);

    AuditLogTamperedException e = tampered(AuditLogVerifier.builder(other));

    assertThat(e.tampering()).isEqualTo(Tampering.BAD_CHECKPOINT_SIGNATURE);
    assertThat(e.sequence()).isEqualTo(5);
    assertThat(e).hasMessageContaining("no checkpoint key signed");
    Files.writeString(segment, lines().get(0) + "\n"); // no checkpoint record left: the published one is the first
    e = tampered(AuditLogVerifier.builder(other));
    assertThat(e.tampering()).isEqualTo(Tampering.BAD_CHECKPOINT_SIGNATURE);
    assertThat(e.segment()).isEqualTo("checkpoint");
  }

  @Test
  void rewrittenAndResignedWithAnotherKey_isRefused() throws Exception {
    // Someone who can write the files writes a whole new history under a key of their own, with the same origin.
    SigningKeyset theirs = AuditFixtures.checkpointKeys(Files.createDirectory(tmp.resolve("theirs")), clock);
    String origin = verify().origin();
    TamperEvidentAuditLogTest.deleteRecursively(logDir);
    AuditEvents events = AuditEvents.create(clock);
    try (TamperEvidentAuditLog log = TamperEvidentAuditLog.builder(logDir, theirs).clock(clock).origin(origin)
        .checkpointEvery(4).open()) {
      for (int i = 0; i < 12; i++) {
        log.record(AuditFixtures.read(events, ALICE, i + 100));
      }
    }

    assertThat(tampered().tampering()).isEqualTo(Tampering.BAD_CHECKPOINT_SIGNATURE);
  }

  @Test
  void truncateAtALineBoundary_isCaughtByThePublishedCheckpoint_orOneKeptElsewhere() throws Exception {
    List<String> lines = lines();
    write(lines.subList(0, 12)); // seq 1..12; checkpoint 15 covers 14

    AuditLogTamperedException e = tampered();
    assertThat(e.tampering()).isEqualTo(Tampering.TRUNCATED);
    assertThat(e.sequence()).isEqualTo(13);
    assertThat(e.getMessage()).contains("covers 16");

    // Who cuts the log also replaces the published checkpoint with the last one it still holds: alone, the log
    // then looks intact, but for the records no checkpoint vouches for.
    Files.writeString(logDir.resolve("checkpoint"), checkpoints.get(1).note());
    VerifiedAuditLog alone = verify();
    assertThat(alone.unsignedTail()).as("records no checkpoint vouches for").isEqualTo(2);

    e = tampered(verifier().trustCheckpoint(checkpoints.get(2)));
    assertThat(e.tampering()).isEqualTo(Tampering.TRUNCATED);
    assertThat(e.sequence()).isEqualTo(13);
    assertThat(e.getMessage()).contains("ends after 12 records", "covers 14");
  }

  @Test
  void truncateToAnEarlierCheckpointAndRewrite_isFoundOnlyAgainstACheckpointKeptElsewhere() throws Exception {
    // Cut back to checkpoint 10 (size 9), then append other records: without the key, nothing after can be signed.
    List<String> lines = lines();
    List<String> cut = new ArrayList<>(lines.subList(0, 10));
    cut.add(lines.get(10).replace("\"requestId\":\"req-", "\"requestId\":\"forged-"));
    write(cut);
    Files.writeString(logDir.resolve("checkpoint"), checkpoints.get(1).note());
    TamperEvidentAuditLogTest.deleteRecursively(logDir.resolve("tile"));

    assertThat(verify().unsignedTail()).as("the undetectable window: records after the last checkpoint").isEqualTo(1);
    AuditLogTamperedException e = tampered(verifier().trustCheckpoint(checkpoints.get(3)));
    assertThat(e.tampering()).isEqualTo(Tampering.TRUNCATED);
    assertThat(e.getMessage()).contains("ends after 11 records", "covers 16");
  }

  @Test
  void aLogWithAnotherHistoryThanATrustedCheckpoint_isForked() throws Exception {
    // The same key and origin, another history: what a writer restored from an old copy and run on would leave.
    Path other = tmp.resolve("other-history");
    AuditEvents events = AuditEvents.create(clock);
    List<AuditCheckpoint> theirs = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (TamperEvidentAuditLog log = TamperEvidentAuditLog.builder(other, keys).clock(clock)
        .origin(verify().origin()).checkpointEvery(4).onCheckpoint(theirs::add).open()) {
      for (int i = 0; i < 12; i++) {
        log.record(AuditFixtures.read(events, ALICE, i + 100));
      }
    }

    AuditLogTamperedException e = tampered(verifier().trustCheckpoint(theirs.get(1)));

    assertThat(e.tampering()).isEqualTo(Tampering.FORKED);
    assertThat(e.sequence()).isEqualTo(9);
    assertThat(verifier().trustCheckpoint(checkpoints.get(1)).build().verify(logDir).events()).isEqualTo(12);
  }

  @Test
  void trustedCheckpoint_thatItsNoteDoesNotSay_isRefused() {
    AuditCheckpoint c = checkpoints.get(1);
    AuditCheckpoint forged = new AuditCheckpoint(c.origin(), c.size(), new byte[32], c.note());

    assertThatThrownBy(() -> verifier().trustCheckpoint(forged)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void changeAStoredHash_isFoundAtItsRecord() throws Exception {
    Path tile = logDir.resolve("tile/0/000.p/16");
    byte[] hashes = Files.readAllBytes(tile);
    hashes[6 * 32] ^= 1; // the stored hash of record 7
    Files.write(tile, hashes);

    AuditLogTamperedException e = tampered();

    assertThat(e.tampering()).isEqualTo(Tampering.MODIFIED);
    assertThat(e.sequence()).isEqualTo(7);
  }

  @Test
  void deleteAMiddleOrTheNewestSegment_isReportedAsDeleted() throws Exception {
    Path many = tmp.resolve("many");
    AuditEvents events = AuditEvents.create(clock);
    try (TamperEvidentAuditLog log = TamperEvidentAuditLog.builder(many, keys).clock(clock).maxSegmentBytes(4096)
        .open()) {
      for (int i = 0; i < 30; i++) {
        log.record(AuditFixtures.read(events, ALICE, i));
      }
    }
    byte[] second = Files.readAllBytes(many.resolve("audit-000000000002.jsonl"));
    Files.delete(many.resolve("audit-000000000002.jsonl"));

    assertThatThrownBy(() -> AuditLogVerifier.builder(keys).build().verify(many))
        .isInstanceOfSatisfying(AuditLogTamperedException.class, e -> {
          assertThat(e.tampering()).isEqualTo(Tampering.DELETED);
          assertThat(e.segment()).isEqualTo("audit-000000000003.jsonl");
        });
    Files.write(many.resolve("audit-000000000002.jsonl"), second);
    Path newest;
    try (var files = Files.list(many)) {
      newest = files.filter(f -> f.getFileName().toString().endsWith(".jsonl")).max(Path::compareTo).orElseThrow();
    }
    Files.delete(newest);
    assertThatThrownBy(() -> AuditLogVerifier.builder(keys).build().verify(many))
        .isInstanceOfSatisfying(AuditLogTamperedException.class,
            e -> assertThat(e.tampering()).isEqualTo(Tampering.TRUNCATED));
  }

  @Test
  void emptyDirectory_isReportedAsDeleted() throws Exception {
    Path empty = Files.createDirectory(tmp.resolve("empty"));

    assertThatThrownBy(() -> AuditLogVerifier.builder(keys).build().verify(empty))
        .isInstanceOfSatisfying(AuditLogTamperedException.class,
            e -> assertThat(e.tampering()).isEqualTo(Tampering.DELETED));
  }

  @Test
  void onlySegmentEmptyOrTorn_isReportedAsDeleted() throws Exception {
    for (String content : new String[] {"", "{\"seq\":1,\"ki"}) {
      Files.writeString(segment, content, StandardCharsets.US_ASCII);

      AuditLogTamperedException e = tampered();

      assertThat(e.tampering()).isEqualTo(Tampering.DELETED);
      assertThat(e.sequence()).isEqualTo(1);
      assertThat(e.segment()).isEqualTo("audit-000000000001.jsonl");
      assertThat(e.getMessage()).contains("no complete record");
    }
  }

  @Test
  void malformedSegmentRecordMembers_areModified_andTheMessageDoesNotQuoteThem() throws Exception {
    String log = java.util.UUID.randomUUID().toString();
    String[][] cases = {
        {"\"origin\":\"o\",\"log\":\"Ada-Lovelace\"", "\"time\":\"2026-11-23T10:15:30Z\"", "log id"},
        {"\"origin\":\"o\",\"log\":\"" + log + "\"", "\"time\":\"Ada Lovelace\"", "time"},
        {"\"log\":\"" + log + "\"", "\"time\":\"2026-11-23T10:15:30Z\"", "origin"}};
    Files.delete(logDir.resolve("checkpoint"));
    for (String[] c : cases) {
      Files.writeString(segment, "{\"seq\":1,\"kind\":\"segment\",\"format\":2," + c[0] + ",\"segment\":1," + c[1]
          + "}\n", StandardCharsets.US_ASCII);

      AuditLogTamperedException e = tampered();

      assertThat(e.tampering()).isEqualTo(Tampering.MODIFIED);
      assertThat(e.getMessage()).contains(c[2]).doesNotContain("Ada", "Lovelace");
    }
  }

  @Test
  void openForWriting_tamperedLastSegment_isRefusedAndNotRepaired() throws Exception {
    List<String> lines = lines();
    lines.remove(3);
    write(lines);
    byte[] before = Files.readAllBytes(segment);

    assertThatThrownBy(() -> TamperEvidentAuditLog.builder(logDir, keys).clock(clock).open())
        .isInstanceOf(AuditLogTamperedException.class);
    assertThat(Files.readAllBytes(segment)).isEqualTo(before);
  }

  @Test
  void openForWriting_logCutBehindItsPublishedCheckpoint_isRefused() throws Exception {
    write(lines().subList(0, 12));

    assertThatThrownBy(() -> TamperEvidentAuditLog.builder(logDir, keys).clock(clock).open())
        .isInstanceOfSatisfying(AuditLogTamperedException.class,
            e -> assertThat(e.tampering()).isEqualTo(Tampering.TRUNCATED));
  }

  @Test
  void emptyOrTornOnlyFirstSegment_isNoIntactLog() throws Exception {
    TamperEvidentAuditLogTest.deleteRecursively(logDir);
    Files.createDirectories(logDir);
    Files.write(segment, new byte[0]);
    assertThat(tampered().getMessage()).contains("no complete record");
    Files.writeString(segment, "{\"seq\":1");
    assertThat(tampered().getMessage()).contains("no complete record");
  }

  @Test
  void bytesAfterTheLastLineThatNoCrashLeaves_areTampering() throws Exception {
    byte[] original = Files.readAllBytes(segment);
    byte[][] tails = {
        new byte[3 << 20], // megabytes of zeros
        {(byte) 0xff, 0x00, 0x7f}, // binary
        "garbage that is not a line".getBytes(StandardCharsets.US_ASCII),
        "{\"seq\":18\u0001".getBytes(StandardCharsets.ISO_8859_1),
        ("{\"seq\":18," + "x".repeat((1 << 20) + 10)).getBytes(StandardCharsets.US_ASCII)}; // longer than a line
    for (byte[] tail : tails) {
      byte[] changed = java.util.Arrays.copyOf(original, original.length + tail.length);
      System.arraycopy(tail, 0, changed, original.length, tail.length);
      Files.write(segment, changed);
      assertThat(tampered().getMessage()).as("%d bytes", tail.length)
          .contains("cannot be a line the writer was writing");
    }
    byte[] torn = "{\"seq\":18,\"kind\":\"ev".getBytes(StandardCharsets.US_ASCII);
    byte[] crashed = java.util.Arrays.copyOf(original, original.length + torn.length);
    System.arraycopy(torn, 0, crashed, original.length, torn.length);
    Files.write(segment, crashed);
    assertThat(verify().tornTailBytes()).as("a prefix of a line is what a crash leaves").isEqualTo(torn.length);
  }

  @Test
  void closedSegmentWithoutItsFinalCheckpoint_isTruncated() throws Exception {
    TamperEvidentAuditLogTest.deleteRecursively(logDir);
    AuditEvents events = AuditEvents.create(clock);
    try (TamperEvidentAuditLog log = TamperEvidentAuditLog.builder(logDir, keys).clock(clock).maxSegmentBytes(4096)
        .open()) {
      for (int i = 0; i < 30; i++) {
        log.record(AuditFixtures.read(events, ALICE, i));
      }
    }
    List<String> first = Files.readAllLines(segment);
    assertThat(first.get(first.size() - 1)).contains("\"kind\":\"checkpoint\"");
    Files.write(segment, (String.join("\n", first.subList(0, first.size() - 1)) + "\n")
        .getBytes(StandardCharsets.US_ASCII));

    AuditLogTamperedException e = tampered();
    assertThat(e.getMessage()).contains("does not end with its checkpoint");
  }
}
