package dev.safeguards.audit;

import static dev.safeguards.audit.AuditFixtures.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.safeguards.crypto.SigningKeyset;
import dev.safeguards.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The independent verifier printed in the appendix of docs/audit-log-format.md, extracted from the page and run with
 * python3 against real format-2 logs: it accepts an intact log with the root the Java writer computed, and reports
 * the damage the format names as the Java verifier does, a checkpoint kept elsewhere included.
 */
class TreeAppendixVerifierTest {

  @TempDir Path tmp;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-05T10:00:00Z"));
  private final List<AuditCheckpoint> checkpoints = new CopyOnWriteArrayList<>();
  private String python;
  private Path script;
  private Path jwks;
  private Path logDir;
  private SigningKeyset keys;

  @BeforeEach
  void extractTheAppendixAndWriteALog() throws Exception {
    String doc = Files.readString(Path.of("..", "docs", "audit-log-format.md"));
    String appendix = doc.substring(doc.indexOf("## Appendix"));
    int start = appendix.indexOf("```python\n") + 10;
    script = Files.writeString(tmp.resolve("verify_audit.py"),
        appendix.substring(start, appendix.indexOf("\n```", start)) + "\n");
    python = AppendixVerifierTest.python();
    keys = AuditFixtures.checkpointKeys(Files.createDirectory(tmp.resolve("keys")), clock);
    jwks = Files.writeString(tmp.resolve("audit-checkpoint.jwks"), keys.publicJwks());
    logDir = tmp.resolve("audit");
    AuditEvents events = AuditEvents.create(clock);
    try (TamperEvidentAuditLog log = TamperEvidentAuditLog.builder(logDir, keys).clock(clock).maxSegmentBytes(4096)
        .origin("clinic.example/audit").checkpointEvery(5).onCheckpoint(checkpoints::add).open()) {
      for (int i = 0; i < 30; i++) {
        log.record(AuditFixtures.read(events, ALICE, i));
      }
    }
  }

  private record Run(int exit, String output) {}

  private Run run(Path... kept) throws Exception {
    List<String> command = new ArrayList<>(List.of(python, script.toString(), logDir.toString(), jwks.toString()));
    for (Path k : kept) {
      command.add(k.toString());
    }
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), out.strip());
  }

  private Path segment(int n) {
    return logDir.resolve(String.format("audit-%012d.jsonl", n));
  }

  @Test
  void intactLog_isOk_withTheRootTheWriterSigned() throws Exception {
    VerifiedAuditLog java = AuditLogVerifier.builder(keys).build().verify(logDir);
    AuditCheckpoint last = checkpoints.get(checkpoints.size() - 1);

    Run r = run();

    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.output()).startsWith("OK: log clinic.example/audit")
        .contains(java.records() + " records", java.events() + " events");
    assertThat(last.size()).isEqualTo(java.lastSequence() - 1);
    assertThat(run(Files.writeString(tmp.resolve("kept"), checkpoints.get(2).note())).exit()).isZero();
    String note = Files.readString(logDir.resolve("checkpoint"));
    assertThat(note).isEqualTo(last.note()).contains(Base64.getEncoder().encodeToString(last.root()));
  }

  @Test
  void everyDamage_exitsNonZero_namingWhatTheJavaVerifierNames() throws Exception {
    int newest;
    try (var files = Files.list(logDir)) {
      newest = (int) files.filter(f -> f.getFileName().toString().endsWith(".jsonl")).count();
    }
    assertThat(newest).as("several segments").isGreaterThan(2);
    byte[] first = Files.readAllBytes(segment(1));
    byte[] last = Files.readAllBytes(segment(newest));

    Files.write(segment(newest), concat(last, new byte[] {(byte) 0xff, 0, 1}));
    assertThat(run().output()).startsWith("INSERTED");
    Files.write(segment(newest), concat(last, "{\"seq\":99,\"ki".getBytes(StandardCharsets.US_ASCII)));
    assertThat(run()).as("a torn line is no damage").satisfies(r -> assertThat(r.exit()).as(r.output()).isZero())
        .extracting(Run::output).asString().contains("torn tail of 13 bytes");
    Files.write(segment(newest), last);

    List<String> lines = Files.readAllLines(segment(1));
    Files.writeString(segment(1), String.join("\n", lines.subList(0, lines.size() - 1)) + "\n");
    assertThat(run().output()).contains("does not end with its checkpoint");
    Files.write(segment(1), first);

    byte[] changed = first.clone();
    changed[first.length / 2] ^= 1;
    Files.write(segment(1), changed);
    assertThat(run().exit()).isEqualTo(1);
    Files.write(segment(1), first);

    // Cut back to checkpoint 2, as someone who can write the files can: the published checkpoint catches it, and
    // once that is replaced too, only a checkpoint kept elsewhere does.
    Path kept = Files.writeString(tmp.resolve("kept"), checkpoints.get(checkpoints.size() - 1).note());
    for (int s = 2; s <= newest; s++) {
      Files.delete(segment(s));
    }
    assertThat(run().output()).startsWith("TRUNCATED");
    Files.writeString(logDir.resolve("checkpoint"), checkpoints.get(1).note());
    assertThat(run().exit()).as("the directory alone").isZero();
    assertThat(run(kept).output()).startsWith("TRUNCATED");
  }

  @Test
  void aLogWithSealedIdentities_verifiesWithThePublicKeyAlone() throws Exception {
    logDir = tmp.resolve("sealed");
    AuditEvents events = AuditEvents.create(clock);
    try (TamperEvidentAuditLog log = TamperEvidentAuditLog.builder(logDir, keys).clock(clock)
        .origin("clinic.example/audit").checkpointEvery(5)
        .sealIdentities(AuditFixtures.sealing(tmp.resolve("sealing"), clock)).open()) {
      for (int i = 0; i < 12; i++) {
        log.record(AuditFixtures.read(events, ALICE, i));
      }
    }

    Run r = run();

    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.output()).startsWith("OK: log clinic.example/audit").contains("12 events");
  }

  @Test
  void anotherHistory_isForkedAgainstAKeptCheckpoint() throws Exception {
    Path other = tmp.resolve("other");
    List<AuditCheckpoint> theirs = new CopyOnWriteArrayList<>();
    AuditEvents events = AuditEvents.create(clock);
    try (TamperEvidentAuditLog log = TamperEvidentAuditLog.builder(other, keys).clock(clock)
        .origin("clinic.example/audit").checkpointEvery(5).onCheckpoint(theirs::add).open()) {
      for (int i = 0; i < 30; i++) {
        log.record(AuditFixtures.read(events, ALICE, 100 + i));
      }
    }

    Run r = run(Files.writeString(tmp.resolve("theirs"), theirs.get(2).note()));

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.output()).startsWith("FORKED");
  }

  @Test
  void inclusionProofs_checkWithThePublicKeyAlone_andAChangedOneFails() throws Exception {
    long size = AuditProofs.published(logDir).size();
    for (long seq : new long[] {1, 2, size / 2, size - 1, size}) {
      Path proof = Files.writeString(tmp.resolve("proof-" + seq + ".json"), AuditProofs.prove(logDir, seq).toJson());
      Run r = runProof(proof);
      assertThat(r.exit()).as(r.output()).isZero();
      assertThat(r.output()).isEqualTo("OK: record " + seq + " is in the log clinic.example/audit of " + size
          + " records");
    }
    String json = AuditProofs.prove(logDir, 9).toJson();
    Path changed = Files.writeString(tmp.resolve("changed.json"), json.replace("req-", "rEq-"));
    assertThat(runProof(changed).output()).startsWith("BAD_PROOF");
    Path moved = Files.writeString(tmp.resolve("moved.json"), json.replace("\"seq\":9,\"record\"",
        "\"seq\":8,\"record\""));
    assertThat(runProof(moved).output()).startsWith("MODIFIED");
  }

  private Run runProof(Path proof) throws Exception {
    Process p = new ProcessBuilder(python, script.toString(), "--proof", proof.toString(), jwks.toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), out.strip());
  }

  @Test
  void theCommittedVectors_verifyWithTheirExpectedRoot() throws Exception {
    Path vectors = Files.createDirectory(tmp.resolve("vectors"));
    logDir = AuditVectorsTest.copy(vectors);
    jwks = vectors.resolve("checkpoint-keys.jwks");
    String root = Files.readAllLines(vectors.resolve("expected.txt")).stream().filter(l -> l.startsWith("records "))
        .findFirst().orElseThrow().split(" ")[2];

    Run r = run();

    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.output()).contains("root " + Base64.getEncoder().encodeToString(java.util.HexFormat.of()
        .parseHex(root)));
  }

  @Test
  void anotherKey_isABadCheckpointSignature() throws Exception {
    SigningKeyset other = AuditFixtures.checkpointKeys(Files.createDirectory(tmp.resolve("other-keys")), clock);
    jwks = Files.writeString(tmp.resolve("other.jwks"), other.publicJwks());

    assertThat(run().output()).startsWith("BAD_CHECKPOINT_SIGNATURE");
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
