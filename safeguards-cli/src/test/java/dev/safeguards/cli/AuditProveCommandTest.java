package dev.safeguards.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code audit prove} and {@code audit check-proof} on a real log: a proof travels alone and verifies alone. */
class AuditProveCommandTest {

  @TempDir Path tmp;
  private final TestClock clock = new TestClock("2026-11-23T10:00:00Z");
  private final Cli cli = new Cli(clock);
  private AuditLogFixture log;

  @BeforeEach
  void writeLog() throws Exception {
    log = new AuditLogFixture(tmp, clock);
  }

  @Test
  void proveThenCheck_withThePublicKeyOnly_printsTheRecord() throws Exception {
    Path proof = tmp.resolve("proof-4.json");
    Cli.Result prove = cli.run("audit", "prove", log.directory, "--seq", "4", "--out", proof);
    assertThat(prove.exitCode()).as(prove.err()).isZero();
    assertThat(prove.out()).contains("record 4", "tree of 7 records");
    Files.move(log.directory, tmp.resolve("elsewhere")); // the check needs nothing of the log

    Cli.Result check = cli.run("audit", "check-proof", proof, "--public-key", log.publicKey);

    assertThat(check.exitCode()).as(check.err()).isZero();
    assertThat(check.out()).contains("record 4 is in the audit log safeguards-audit/", "of 7 records")
        .contains("\"requestId\":\"req-p-3\"");
  }

  @Test
  void proveToStandardOutput_isOneJsonDocument() {
    Cli.Result prove = cli.run("audit", "prove", log.directory, "--seq", "2");

    assertThat(prove.exitCode()).isZero();
    assertThat(prove.out().strip()).startsWith("{\"format\":\"safeguards-audit-inclusion-proof/1\",\"seq\":2,")
        .endsWith("}").doesNotContain("\n");
  }

  @Test
  void aChangedProof_orAnotherKey_exitsOne() throws Exception {
    Path proof = tmp.resolve("proof.json");
    assertThat(cli.run("audit", "prove", log.directory, "--seq", "3", "--out", proof).exitCode()).isZero();
    String json = Files.readString(proof);
    Files.writeString(proof, json.replace("req-p-2", "req-p-9"));

    Cli.Result changed = cli.run("audit", "check-proof", proof, "--public-key", log.publicKey);
    assertThat(changed.exitCode()).isEqualTo(1);
    assertThat(changed.oneErrorLine()).contains("does not verify");

    Files.writeString(proof, json);
    Path otherKey = Files.writeString(tmp.resolve("other.pub"),
        new AuditLogFixture(Files.createDirectory(tmp.resolve("other")), clock).signer.publicJwks());
    Cli.Result other = cli.run("audit", "check-proof", proof, "--public-key", otherKey);
    assertThat(other.exitCode()).isEqualTo(1);
    assertThat(other.oneErrorLine()).contains("no checkpoint key signed");
  }

  @Test
  void aRecordNotYetCovered_orNotAProof_isAnInputProblem() throws Exception {
    Cli.Result beyond = cli.run("audit", "prove", log.directory, "--seq", "9");
    assertThat(beyond.exitCode()).isEqualTo(3);
    assertThat(beyond.oneErrorLine()).contains("covers records 1 to 7");

    Path junk = Files.writeString(tmp.resolve("junk.json"), "{\"format\":\"x\"}");
    Cli.Result notAProof = cli.run("audit", "check-proof", junk, "--public-key", log.publicKey);
    assertThat(notAProof.exitCode()).isEqualTo(3);
    assertThat(notAProof.oneErrorLine()).contains("not a safeguards-audit-inclusion-proof/1 proof");
  }

  @Test
  void aKeptCheckpoint_isProvedExtendedByTheGrownLog_andAForkIsNot() throws Exception {
    Path kept = log.keptCheckpoint(tmp.resolve("kept-checkpoint"));
    try (dev.safeguards.audit.TamperEvidentAuditLog grown = dev.safeguards.audit.TamperEvidentAuditLog
        .builder(log.directory, log.signer).clock(clock).open()) {
      dev.safeguards.audit.AuditEvents events = dev.safeguards.audit.AuditEvents.create(clock);
      for (int i = 0; i < 5; i++) {
        grown.record(events.event(dev.safeguards.audit.AuditAction.READ, "rest").entity("Patient", "p-" + i).build());
      }
    }
    Path proof = tmp.resolve("consistency.json");
    Cli.Result prove = cli.run("audit", "prove", log.directory, "--from-checkpoint", kept, "--out", proof);
    assertThat(prove.exitCode()).as(prove.err()).isZero();
    assertThat(prove.out()).contains("consistency proof from 7 to");

    Cli.Result check = cli.run("audit", "check-proof", proof, "--public-key", log.publicKey);
    assertThat(check.exitCode()).as(check.err()).isZero();
    assertThat(check.out()).contains("extends its checkpoint of 7 records");

    String json = Files.readString(proof);
    String root = json.substring(json.indexOf("\\n7\\n") + 5, json.indexOf("\\n7\\n") + 5 + 44);
    Files.writeString(proof, json.replace(root, "A".repeat(43) + "="));
    Cli.Result forked = cli.run("audit", "check-proof", proof, "--public-key", log.publicKey);
    assertThat(forked.exitCode()).isEqualTo(1);
    assertThat(forked.oneErrorLine()).contains("does not verify");

    Cli.Result both = cli.run("audit", "prove", log.directory, "--seq", "2", "--from-checkpoint", kept);
    assertThat(both.exitCode()).isEqualTo(2);
  }
}
