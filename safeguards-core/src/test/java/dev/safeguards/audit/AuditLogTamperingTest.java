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
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of tampering is found, at the sequence number where it happened. */
class AuditLogTamperingTest {

  private static final Pattern SEQ = Pattern.compile("\"record\":\\{\"seq\":(\\d+),");

  @TempDir Path tmp;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:15:30Z"));
  private SigningKeyset keys;
  private SigningKeyset publicKeys;
  private Path logDir;
  private Path segment;
  private final List<SignedCheckpoint> checkpoints = new ArrayList<>();

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

  private AuditLogTamperedException tampered() {
    try {
      verify();
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
    int lineSeq = 1;
    for (int i = 0; i < original.length; i++) {
      byte[] changed = original.clone();
      changed[i] ^= 0x01;
      Files.write(segment, changed);

      // Even the last line feed turned into another byte is found: a crash leaves a prefix of a line, never a
      // complete line ending in a control character.
      AuditLogTamperedException e = tampered();
      assertThat(e.sequence()).as("byte %d: %s", i, e.getMessage()).isEqualTo(lineSeq);
      if (original[i] == '\n') {
        lineSeq++;
      }
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
  void insertAForgedLine_isReportedAsInserted() throws Exception {
    List<String> lines = lines();
    // A copy of record 7 with another request id, claiming seq 7, with its chain hash unchanged.
    String forged = lines.get(6).replace("\"requestId\":\"req-", "\"requestId\":\"forged-");
    lines.add(6, forged);
    write(lines);

    AuditLogTamperedException e = tampered();

    assertThat(e.tampering()).isEqualTo(Tampering.INSERTED);
    assertThat(e.sequence()).isEqualTo(7);
  }

  @Test
  void insertAForgedLineWithAValidChainHash_isReportedAsInserted() throws Exception {
    List<String> lines = lines();
    String forgedRecord = record(lines.get(6)).replace("\"requestId\":\"req-", "\"requestId\":\"forged-");
    lines.add(6, line(chain(lines.get(5), forgedRecord), forgedRecord));
    write(lines);

    AuditLogTamperedException e = tampered();

    assertThat(e.tampering()).isEqualTo(Tampering.INSERTED);
    assertThat(e.sequence()).isEqualTo(7);
    assertThat(e.line()).isEqualTo(7);
  }

  @Test
  void rechainAForgeryWithoutTheKey_isCaughtByTheNextCheckpoint() throws Exception {
    write(forgeRecord7AndRechain(false));

    AuditLogTamperedException e = tampered();

    // Checkpoint 10 covers 6..9 (the one before covered 1..4, then itself is 5): the forgery at 7 is in that range.
    assertThat(e.tampering()).isEqualTo(Tampering.REWRITTEN);
    assertThat(e.sequence()).isEqualTo(5);
    assertThat(e.getMessage()).contains("records 5 to 9");
  }

  @Test
  void rechainAndReplaceTheCheckpointHead_failsTheSignature() throws Exception {
    write(forgeRecord7AndRechain(true));

    AuditLogTamperedException e = tampered();

    assertThat(e.tampering()).isEqualTo(Tampering.BAD_CHECKPOINT_SIGNATURE);
    assertThat(e.sequence()).isEqualTo(10);
  }

  @Test
  void checkpointsFromAnotherKey_areRefused() throws Exception {
    SigningKeyset other = AuditFixtures.checkpointKeys(Files.createDirectory(tmp.resolve("other")), clock);

    assertThatThrownBy(() -> AuditLogVerifier.builder(other).build().verify(logDir))
        .isInstanceOfSatisfying(AuditLogTamperedException.class, e -> {
          assertThat(e.tampering()).isEqualTo(Tampering.BAD_CHECKPOINT_SIGNATURE);
          assertThat(e.sequence()).isEqualTo(5);
          assertThat(e).hasMessageContaining("is unknown");
        });
  }

  @Test
  void truncateAtALineBoundary_isCaughtByACheckpointKeptElsewhere() throws Exception {
    List<String> lines = lines();
    write(lines.subList(0, 12)); // seq 1..12; checkpoint 15 covers 14

    VerifiedAuditLog alone = verify();
    assertThat(alone.unsignedTail()).as("records no checkpoint vouches for").isEqualTo(2);

    AuditLogVerifier withKept = verifier().expectCheckpoint(checkpoints.get(2)).build();
    assertThatThrownBy(() -> withKept.verify(logDir)).isInstanceOfSatisfying(AuditLogTamperedException.class, e -> {
      assertThat(e.tampering()).isEqualTo(Tampering.TRUNCATED);
      assertThat(e.sequence()).isEqualTo(13);
    });
  }

  @Test
  void keptCheckpoint_matchingLog_verifies_andAForgedOneIsRefused() throws Exception {
    VerifiedAuditLog v = verifier().expectCheckpoint(checkpoints.get(1)).build().verify(logDir);
    assertThat(v.lastCheckpoint()).hasValue(checkpoints.get(checkpoints.size() - 1));

    SignedCheckpoint c = checkpoints.get(1);
    SignedCheckpoint forged = new SignedCheckpoint(c.logId(), c.sequence(), "00".repeat(32), c.time(), c.keyId(),
        c.signature());
    assertThatThrownBy(() -> verifier().expectCheckpoint(forged)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void keptCheckpoint_textForm_roundTrips() {
    SignedCheckpoint c = checkpoints.get(0);

    String text = c.encode();

    assertThat(text).startsWith("safeguards-audit-checkpoint/v1\nlog " + c.logId() + "\nseq 4\nhead ");
    assertThat(SignedCheckpoint.parse(text)).isEqualTo(c);
    assertThatThrownBy(() -> SignedCheckpoint.parse(text.replace("seq 4", "seq 04")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void deleteAMiddleSegment_isReportedAsDeleted() throws Exception {
    Path many = tmp.resolve("many");
    AuditEvents events = AuditEvents.create(clock);
    try (TamperEvidentAuditLog log = TamperEvidentAuditLog.builder(many, keys).clock(clock).maxSegmentBytes(4096)
        .open()) {
      for (int i = 0; i < 30; i++) {
        log.record(AuditFixtures.read(events, ALICE, i));
      }
    }
    Files.delete(many.resolve("audit-000000000002.jsonl"));

    assertThatThrownBy(() -> AuditLogVerifier.builder(keys).build().verify(many))
        .isInstanceOfSatisfying(AuditLogTamperedException.class, e -> {
          assertThat(e.tampering()).isEqualTo(Tampering.DELETED);
          assertThat(e.segment()).isEqualTo("audit-000000000003.jsonl");
        });
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
    // Found by AuditLogFuzzTest: the verifier returned a VerifiedAuditLog without a log id, whose records() was 2.
    for (String content : new String[] {"", "{\"chain\":\"00"}) {
      Files.writeString(segment, content, StandardCharsets.US_ASCII);

      AuditLogTamperedException e = tampered();

      assertThat(e.tampering()).isEqualTo(Tampering.DELETED);
      assertThat(e.sequence()).isEqualTo(1);
      assertThat(e.segment()).isEqualTo("audit-000000000001.jsonl");
    }
  }

  @Test
  void malformedSegmentRecordMembers_areModified_andTheMessageDoesNotQuoteThem() throws Exception {
    // Found while writing AuditLogFuzzTest: the JDK's UUID, hex and time parse messages, which quote the text, became
    // the tampering message.
    String zeros = "0".repeat(64);
    String[][] cases = {
        {"\"log\":\"Ada-Lovelace\"", "\"prev\":\"" + zeros + "\"", "\"time\":\"2026-11-23T10:15:30Z\"", "log id"},
        {"\"log\":\"" + java.util.UUID.randomUUID() + "\"", "\"prev\":\"Ada-Lovelace\"",
            "\"time\":\"2026-11-23T10:15:30Z\"", "segment record"},
        {"\"log\":\"" + java.util.UUID.randomUUID() + "\"", "\"prev\":\"" + zeros + "\"",
            "\"time\":\"Ada Lovelace\"", "time"}};
    for (String[] c : cases) {
      String record = "{\"seq\":1,\"kind\":\"segment\"," + c[0] + ",\"segment\":1," + c[2] + "," + c[1] + "}";
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(new byte[32]);
      byte[] chain = sha.digest(record.getBytes(StandardCharsets.US_ASCII));
      Files.writeString(segment, line(chain, record) + "\n", StandardCharsets.US_ASCII);

      AuditLogTamperedException e = tampered();

      assertThat(e.tampering()).isEqualTo(Tampering.MODIFIED);
      assertThat(e.getMessage()).contains(c[3]).doesNotContain("Ada", "Lovelace");
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
  void forgeries_changeTheRecord() throws Exception {
    assertThat(lines().get(6)).contains("\"requestId\":\"req-");
  }

  /**
   * Changes record 7 and recomputes every later chain hash, as someone without the checkpoint key can; with {@code
   * fixHeads}, also puts the new chain hashes into the checkpoints' heads (whose signatures then no longer match).
   */
  private List<String> forgeRecord7AndRechain(boolean fixHeads) throws Exception {
    List<String> lines = lines();
    String forgedRecord = record(lines.get(6)).replace("\"requestId\":\"req-", "\"requestId\":\"forged-");
    lines.set(6, line(chain(lines.get(5), forgedRecord), forgedRecord));
    for (int i = 7; i < lines.size(); i++) {
      String r = record(lines.get(i));
      if (fixHeads && r.contains("\"kind\":\"checkpoint\"")) {
        r = r.replaceFirst("\"head\":\"[0-9a-f]{64}\"", "\"head\":\"" + chainHex(lines.get(i - 1)) + "\"");
      }
      lines.set(i, line(chain(lines.get(i - 1), r), r));
    }
    return lines;
  }

  private static String record(String line) {
    return line.substring(line.indexOf(",\"record\":") + 10, line.length() - 1);
  }

  private static String chainHex(String line) {
    return line.substring(10, 74);
  }

  private static byte[] chain(String previousLine, String record) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    sha.update(HexFormat.of().parseHex(chainHex(previousLine)));
    return sha.digest(record.getBytes(StandardCharsets.US_ASCII));
  }

  private static String line(byte[] chain, String record) {
    Matcher m = SEQ.matcher("\"record\":" + record);
    assertThat(m.find()).isTrue();
    return "{\"chain\":\"" + HexFormat.of().formatHex(chain) + "\",\"record\":" + record + "}";
  }

  @Test
  void emptyOrTornOnlyFirstSegment_isNoIntactLog() throws Exception {
    TamperEvidentAuditLogTest.deleteRecursively(logDir);
    Files.createDirectories(logDir);
    Files.write(segment, new byte[0]);
    assertThat(tampered().getMessage()).contains("no complete record");
    Files.writeString(segment, "{\"chain\":\"00ab");
    assertThat(tampered().getMessage()).contains("no complete record");
  }

  @Test
  void bytesAfterTheLastLineThatNoCrashLeaves_areTampering() throws Exception {
    byte[] original = Files.readAllBytes(segment);
    byte[][] tails = {
        new byte[3 << 20], // megabytes of zeros
        {(byte) 0xff, 0x00, 0x7f}, // binary
        "garbage that is not a line".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
        "{\"chain\":\"ab\u0001".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)};
    for (byte[] tail : tails) {
      byte[] changed = java.util.Arrays.copyOf(original, original.length + tail.length);
      System.arraycopy(tail, 0, changed, original.length, tail.length);
      Files.write(segment, changed);
      assertThat(tampered().getMessage()).as("%d bytes", tail.length)
          .contains("cannot be a line the writer was writing");
    }
    byte[] torn = "{\"chain\":\"0123abcd".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
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
        .getBytes(java.nio.charset.StandardCharsets.US_ASCII));

    AuditLogTamperedException e = tampered();
    assertThat(e.getMessage()).contains("does not end with its checkpoint");
  }
}
