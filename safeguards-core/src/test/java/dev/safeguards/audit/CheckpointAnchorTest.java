package dev.safeguards.audit;

import static dev.safeguards.audit.AuditFixtures.ALICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safeguards.audit.AuditLogTamperedException.Tampering;
import dev.safeguards.compliance.Specification;
import dev.safeguards.compliance.Status;
import dev.safeguards.crypto.SigningKeyset;
import dev.safeguards.testing.MutableClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A log anchored off its host: every checkpoint reaches the anchor, the anchor keeps only consistent growth, and a log
 * cut back, rewritten or deleted and created anew refuses to open unless an operator overrides it, in the log.
 */
class CheckpointAnchorTest {

  private static final String ORIGIN = "clinic.example/audit";

  @TempDir Path tmp;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-05T10:00:00Z"));
  private SigningKeyset keys;
  private Path logDir;
  private DirectoryAnchor anchor;
  private final List<AuditCheckpoint> checkpoints = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    keys = AuditFixtures.checkpointKeys(tmp, clock);
    logDir = tmp.resolve("audit");
    anchor = DirectoryAnchor.create(tmp.resolve("other-mount"), keys);
  }

  private TamperEvidentAuditLog.Builder builder(Path dir) {
    return TamperEvidentAuditLog.builder(dir, keys).clock(clock).origin(ORIGIN).checkpointEvery(5).anchor(anchor)
        .onCheckpoint(checkpoints::add);
  }

  private void write(Path dir, int events, int from) throws Exception {
    AuditEvents e = AuditEvents.create(clock);
    try (TamperEvidentAuditLog log = builder(dir).open()) {
      for (int i = 0; i < events; i++) {
        log.record(AuditFixtures.read(e, ALICE, from + i));
      }
    }
  }

  @Test
  void everyCheckpoint_reachesTheAnchor_andAVerifierTrustingItPasses() throws Exception {
    write(logDir, 20, 0);

    AuditCheckpoint anchored = anchor.latest(ORIGIN).orElseThrow();
    assertThat(anchored).isEqualTo(checkpoints.get(checkpoints.size() - 1));
    assertThat(anchored.note()).isEqualTo(Files.readString(logDir.resolve("checkpoint")));
    assertThat(AuditLogVerifier.builder(keys).trustCheckpoint(anchored).build().verify(logDir).events()).isEqualTo(20);
    write(logDir, 5, 20);
    assertThat(anchor.latest(ORIGIN).orElseThrow().size()).isGreaterThan(anchored.size());
  }

  @Test
  void aLogCutBackToAnEarlierCheckpoint_refusesToOpen_andAnOverrideIsWrittenIntoIt() throws Exception {
    write(logDir, 20, 0);
    long anchored = anchor.latest(ORIGIN).orElseThrow().size();
    cutBackTo(checkpoints.get(1));

    assertThatThrownBy(() -> builder(logDir).open())
        .isInstanceOfSatisfying(AuditLogTamperedException.class, e -> {
          assertThat(e.tampering()).isEqualTo(Tampering.TRUNCATED);
          assertThat(e.getMessage()).contains("holds a checkpoint of " + anchored, "cut back", "override");
          assertThat(e.sequence()).as("after the records left, the checkpoint record included")
              .isEqualTo(checkpoints.get(1).size() + 2);
        });

    try (TamperEvidentAuditLog log = builder(logDir).overrideAnchors("restored from the 09:00 backup, ticket 4711")
        .open()) {
      assertThat(log.evidence().notes()).anySatisfy(n -> assertThat(n).contains("override"));
    }
    List<String> lines = Files.readAllLines(logDir.resolve("audit-000000000001.jsonl"));
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"kind\":\"override\"", "\"finding\":\"TRUNCATED\"",
        "\"records\":" + (checkpoints.get(1).size() + 1), "\"reason\":\"restored from the 09:00 backup, ticket 4711\""));
    assertThat(AuditLogVerifier.builder(keys).build().verify(logDir).recoveries()).isEqualTo(1);
  }

  @Test
  void aRewrittenLog_isForked_andTheAnchorRefusesItsCheckpoints() throws Exception {
    write(logDir, 20, 0);
    AuditCheckpoint anchored = anchor.latest(ORIGIN).orElseThrow();
    TamperEvidentAuditLogTest.deleteRecursively(logDir);
    // Another history with the same key and origin, longer than the anchored one: written around the anchor.
    Path other = tmp.resolve("other");
    try (TamperEvidentAuditLog log = TamperEvidentAuditLog.builder(other, keys).clock(clock).origin(ORIGIN)
        .checkpointEvery(5).open()) {
      AuditEvents e = AuditEvents.create(clock);
      for (int i = 0; i < 40; i++) {
        log.record(AuditFixtures.read(e, ALICE, 500 + i));
      }
    }
    Files.move(other, logDir);

    assertThatThrownBy(() -> builder(logDir).open()).isInstanceOfSatisfying(AuditLogTamperedException.class,
        e -> assertThat(e.tampering()).isEqualTo(Tampering.FORKED));
    AuditCheckpoint theirs = AuditProofs.published(logDir);
    CheckpointAnchor.ConsistencyProofs proofs = old -> {
      try {
        return AuditProofs.consistency(logDir, old, theirs.size());
      } catch (AuditException e) {
        throw new IOException(e);
      }
    };
    assertThatThrownBy(() -> anchor.publish(theirs, proofs))
        .isInstanceOf(CheckpointAnchor.AnchorRefusedException.class).hasMessageContaining("does not extend");
    assertThat(anchor.latest(ORIGIN)).contains(anchored);
  }

  @Test
  void aLogDeletedAndCreatedAnew_refusesToOpen() throws Exception {
    write(logDir, 12, 0);
    TamperEvidentAuditLogTest.deleteRecursively(logDir);

    assertThatThrownBy(() -> builder(logDir).open()).isInstanceOfSatisfying(AuditLogTamperedException.class,
        e -> assertThat(e.tampering()).isEqualTo(Tampering.TRUNCATED));
    assertThat(AuditLogFormat.segments(logDir)).as("no segment was started").isEmpty();
  }

  @Test
  void theAnchor_refusesRollbackAndForeignSignatures_andKeepsItsStateAcrossRestarts() throws Exception {
    write(logDir, 20, 0);
    AuditCheckpoint latest = anchor.latest(ORIGIN).orElseThrow();
    DirectoryAnchor again = DirectoryAnchor.create(tmp.resolve("other-mount"), keys);
    assertThat(again.latest(ORIGIN)).contains(latest);

    AuditCheckpoint older = checkpoints.get(0);
    assertThatThrownBy(() -> again.publish(older, old -> List.of()))
        .isInstanceOf(CheckpointAnchor.AnchorRefusedException.class).hasMessageContaining("roll it back");
    SigningKeyset other = AuditFixtures.checkpointKeys(Files.createDirectory(tmp.resolve("k2")), clock);
    AuditCheckpoint foreign = NoteCheckpoints.over(other).sign(ORIGIN, latest.size() + 1, new byte[32]);
    assertThatThrownBy(() -> again.publish(foreign, old -> List.of()))
        .isInstanceOf(CheckpointAnchor.AnchorRefusedException.class).hasMessageContaining("not signed");
    AuditCheckpoint bigger = NoteCheckpoints.over(keys).sign(ORIGIN, latest.size() + 1, new byte[32]);
    assertThatThrownBy(() -> again.publish(bigger, old -> List.of(new byte[32])))
        .isInstanceOf(CheckpointAnchor.AnchorRefusedException.class).hasMessageContaining("does not extend");
    assertThat(again.latest(ORIGIN)).contains(latest);
  }

  @Test
  void anUnreachableAnchor_keepsTheLogClosed_failingClosed() {
    CheckpointAnchor down = new CheckpointAnchor() {
      @Override
      public String describe() {
        return "witness https://witness.invalid";
      }

      @Override
      public void verifyExtends(AuditCheckpoint current, ConsistencyProofs proofs) throws IOException {
        throw new IOException("connection refused");
      }

      @Override
      public void publish(AuditCheckpoint checkpoint, ConsistencyProofs proofs) throws IOException {
        throw new IOException("connection refused");
      }
    };

    assertThatThrownBy(() -> TamperEvidentAuditLog.builder(logDir, keys).clock(clock).origin(ORIGIN).anchor(down)
        .open()).isInstanceOf(AuditException.class).hasMessageContaining("witness.invalid", "cannot ask");
    assertThatThrownBy(() -> TamperEvidentAuditLog.builder(logDir, keys).anchor(down).open())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("origin");
  }

  @Test
  void withoutAnAnchor_theReportSaysAuditControlsArePartlyMet() throws Exception {
    try (TamperEvidentAuditLog log = TamperEvidentAuditLog.builder(logDir, keys).clock(clock).open()) {
      assertThat(log.evidence().assessment().get(Specification.AUDIT_CONTROLS)).isEqualTo(Status.PARTIALLY_MET);
      assertThat(log.evidence().settings().get("anchors")).isEqualTo("none");
    }
    try (TamperEvidentAuditLog log = builder(tmp.resolve("host/anchored")).open()) {
      assertThat(log.evidence().assessment().get(Specification.AUDIT_CONTROLS)).isEqualTo(Status.MET);
      assertThat(log.evidence().settings().get("anchors").toString()).startsWith("directory ");
    }
  }

  @Test
  void aCheckpointKeyInTheLogsDataDirectory_isNamedAsAWeakness_evenWithAnAnchor() throws Exception {
    try (TamperEvidentAuditLog log = builder(tmp.resolve("anchored")).open()) {
      assertThat(log.evidence().assessment().get(Specification.AUDIT_CONTROLS)).isEqualTo(Status.PARTIALLY_MET);
      assertThat(log.evidence().notes()).anySatisfy(n -> assertThat(n).contains("the checkpoint key",
          "is kept in the audit log's data directory " + tmp.toAbsolutePath()));
    }
  }

  /** Cuts the only segment back to just after {@code c}'s record, and puts {@code c} into the checkpoint file. */
  private void cutBackTo(AuditCheckpoint c) throws Exception {
    Path segment = logDir.resolve("audit-000000000001.jsonl");
    List<String> lines = Files.readAllLines(segment);
    Files.writeString(segment, String.join("\n", lines.subList(0, (int) c.size() + 1)) + "\n",
        StandardCharsets.US_ASCII);
    Files.writeString(logDir.resolve("checkpoint"), c.note());
    TamperEvidentAuditLogTest.deleteRecursively(logDir.resolve("tile"));
  }
}
