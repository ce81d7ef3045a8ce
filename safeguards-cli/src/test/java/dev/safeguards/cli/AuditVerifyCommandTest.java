package dev.safeguards.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safeguards.audit.AuditAction;
import dev.safeguards.audit.AuditEvents;
import dev.safeguards.audit.AuditWitness;
import dev.safeguards.audit.TamperEvidentAuditLog;
import dev.safeguards.crypto.KeyEncryptionKey;
import dev.safeguards.crypto.KeyPurpose;
import dev.safeguards.crypto.ManagedKeyset;
import dev.safeguards.crypto.SigningKeyset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditVerifyCommandTest {

  @TempDir Path tmp;
  private final TestClock clock = new TestClock("2026-11-23T10:00:00Z");
  private final Cli cli = new Cli(clock);
  private AuditLogFixture log;

  @BeforeEach
  void writeLog() throws Exception {
    log = new AuditLogFixture(tmp, clock);
  }

  private Cli.Result verify(Object... more) {
    Object[] args = new Object[4 + more.length];
    System.arraycopy(new Object[] {"audit", "verify", log.directory, "--public-key=" + log.publicKey}, 0, args, 0, 4);
    System.arraycopy(more, 0, args, 4, more.length);
    return cli.run(args);
  }

  @Test
  void verify_intactLog_exitsZeroWithOneLineSummary() {
    Cli.Result r = verify();

    assertThat(r.exitCode()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out().strip().lines()).hasSize(1);
    assertThat(r.out()).contains("intact", "8 records", "6 events", "1 checkpoint", "1 segment",
        "sequence 1 to 8", "origin safeguards-audit/", "last checkpoint covers 7 records");
  }

  @Test
  void verify_oneByteOfARecordChanged_exitsOneNamingTheSequence() throws Exception {
    List<String> lines = log.lines();
    lines.set(3, lines.get(3).replace("\"req-p-3\"", "\"req-p-4\"")); // the record of sequence 4
    log.write(lines);

    Cli.Result r = verify();

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.oneErrorLine()).contains("MODIFIED", "at sequence 4", "audit-000000000001.jsonl line 4");
  }

  @Test
  void verify_recordDeleted_exitsOneWithDeleted() throws Exception {
    List<String> lines = log.lines();
    lines.remove(4); // sequence 5
    log.write(lines);

    Cli.Result r = verify();

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.oneErrorLine()).contains("DELETED", "at sequence 5");
  }

  @Test
  void verify_logCutShortBeforeAKeptCheckpoint_exitsOneWithTruncated() throws Exception {
    Path kept = log.keptCheckpoint(tmp.resolve("kept.checkpoint"));
    List<String> lines = log.lines();
    log.write(lines.subList(0, 5)); // sequences 1 to 5: the log now ends before the checkpoint's sequence 7

    assertThat(verify().oneErrorLine()).as("the log's own published checkpoint").contains("TRUNCATED");
    Files.delete(log.directory.resolve("checkpoint")); // as whoever cut the log would
    assertThat(verify().exitCode()).as("without a kept checkpoint, a shorter log verifies").isZero();
    Cli.Result r = verify("--expect-checkpoint", kept);

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.oneErrorLine()).contains("TRUNCATED", "at sequence 6");
  }

  @Test
  void verify_keptCheckpointMatches_exitsZero() throws Exception {
    Path kept = log.keptCheckpoint(tmp.resolve("kept.checkpoint"));

    assertThat(verify("--expect-checkpoint", kept).exitCode()).isZero();
  }

  @Test
  void verify_keptCheckpointNotACheckpoint_isInputProblem() throws Exception {
    Path kept = Files.writeString(tmp.resolve("kept.checkpoint"), "hello\n");

    Cli.Result r = verify("--expect-checkpoint", kept);

    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.oneErrorLine()).contains("--expect-checkpoint", kept.toString(), "does not hold a signed audit checkpoint");
  }

  @Test
  void verify_otherCheckpointKey_exitsOneWithBadCheckpointSignature() throws Exception {
    KeyEncryptionKey kek = KeyEncryptionKey.generateMasterKeyFile(tmp.resolve("other-master.key"));
    SigningKeyset other = SigningKeyset.create(ManagedKeyset.create(tmp.resolve("other.keyset.json"),
        KeyPurpose.RECORD_SIGNING_ED25519, kek, clock));
    Path otherPub = Files.writeString(tmp.resolve("other.pub"), other.publicJwks());

    Cli.Result r = cli.run("audit", "verify", log.directory, "--public-key", otherPub);

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.oneErrorLine()).contains("BAD_CHECKPOINT_SIGNATURE", "at sequence 8", "no checkpoint key signed");
  }

  @Test
  void verify_publicKeyFileNotAJwkSet_isInputProblem() throws Exception {
    Path pub = Files.writeString(tmp.resolve("bad.pub"), "{\"keys\":[]}");

    Cli.Result r = cli.run("audit", "verify", log.directory, "--public-key", pub);

    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.oneErrorLine()).contains("--public-key", pub.toString(), "is not a JWK set");
  }

  @Test
  void verify_missingPublicKeyFile_isInputProblem() {
    Cli.Result r = cli.run("audit", "verify", log.directory, "--public-key", tmp.resolve("absent.pub"));

    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.oneErrorLine()).contains("public key file (--public-key) not found", "absent.pub");
  }

  @Test
  void verify_missingDirectory_isInputProblem() {
    Cli.Result r = cli.run("audit", "verify", tmp.resolve("nowhere"), "--public-key", log.publicKey);

    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.oneErrorLine()).contains("audit log directory not found", "nowhere");
  }

  @Test
  void verify_withoutPublicKeyOption_isUsageError() {
    Cli.Result r = cli.run("audit", "verify", log.directory);

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.oneErrorLine()).contains("--public-key");
  }

  @Test
  void verify_firstSegmentArchivedAway_failsUnlessArchivedPrefixAllowed() throws Exception {
    clock.advance(Duration.ofMinutes(2));
    try (TamperEvidentAuditLog reopened = TamperEvidentAuditLog.builder(log.directory, log.signer).clock(clock)
        .maxSegmentAge(Duration.ofMinutes(1)).open()) {
      reopened.record(AuditEvents.create(clock).event(AuditAction.LOGIN, "login").build());
    }
    assertThat(log.directory.resolve("audit-000000000002.jsonl")).exists();
    Files.delete(log.segment);

    Cli.Result refused = verify();
    Cli.Result allowed = verify("--allow-archived-prefix");

    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.oneErrorLine()).contains("DELETED", "at sequence 1", "first segment is missing");
    assertThat(allowed.exitCode()).isZero();
    assertThat(allowed.out()).contains("intact", "1 segment");
  }

  @Test
  void verify_withNoteVerifierKeys_andACheckpointCosignedByTheWitness() throws Exception {
    String origin = AuditLogFixture.origin(log.directory);
    Cli.Result keys = cli.run("keys", "public", tmp.resolve("audit-checkpoint.keyset.json"), "--note-name", origin,
        "--master-key-file", log.masterKey);
    assertThat(keys.exitCode()).as(keys.err()).isZero();
    assertThat(keys.out()).startsWith(origin + "+");
    Path vkeys = Files.writeString(tmp.resolve("audit.vkeys"), keys.out());
    AuditWitness witness = AuditWitness.open(tmp.resolve("witness"),
        "witness.example/w1", SigningKeyset.create(ManagedKeyset.create(
            tmp.resolve("witness.keyset.json"), KeyPurpose.RECORD_SIGNING_ED25519,
            KeyEncryptionKey.fromMasterKeyFile(log.masterKey), clock)),
        Map.of(origin, log.signer), clock);
    String note = Files.readString(log.directory.resolve("checkpoint"));
    assertThat(witness.addCheckpoint(("old 0\n\n" + note).getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(200);
    Path cosigned = Files.writeString(tmp.resolve("cosigned"), witness.cosignedCheckpoint(origin).orElseThrow());
    Path own = Files.writeString(tmp.resolve("own"), note);

    Cli.Result r = cli.run("audit", "verify", log.directory, "--public-key", vkeys, "--expect-checkpoint", cosigned,
        "--witness-key", witness.verifierKey());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("intact");

    Cli.Result notCosigned = cli.run("audit", "verify", log.directory, "--public-key", vkeys, "--expect-checkpoint",
        own, "--witness-key", witness.verifierKey());
    assertThat(notCosigned.exitCode()).isEqualTo(3);
    assertThat(notCosigned.oneErrorLine()).contains("cosigned by the witness", "no valid cosignature");
    Cli.Result alone = cli.run("audit", "verify", log.directory, "--public-key", vkeys, "--witness-key",
        witness.verifierKey());
    assertThat(alone.exitCode()).isEqualTo(3);
    assertThat(alone.oneErrorLine()).contains("--expect-checkpoint");
  }
}
