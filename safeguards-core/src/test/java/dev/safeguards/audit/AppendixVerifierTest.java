package dev.safeguards.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safeguards.crypto.SigningKeyset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The independent verifier printed in the appendix of docs/audit-log-format-v1.md, extracted from the page and run
 * with python3 against a log the format-1 writer wrote (src/test/resources/audit-v1-sample) and damaged copies of it:
 * it accepts the intact log, as the Java verifier does, and exits non-zero on every damage the format names.
 */
class AppendixVerifierTest {

  @TempDir
  Path tmp;
  private String python;
  private Path script;
  private Path jwks;
  private Path logDir;
  private SigningKeyset keys;

  @BeforeEach
  void extractTheAppendix() throws Exception {
    String doc = Files.readString(Path.of("..", "docs", "audit-log-format-v1.md"));
    String appendix = doc.substring(doc.indexOf("## Appendix"));
    int start = appendix.indexOf("```python\n") + 10;
    String code = appendix.substring(start, appendix.indexOf("\n```", start));
    script = Files.writeString(tmp.resolve("verify_audit.py"), code + "\n");
    python = python();
    logDir = AuditFixtures.v1Sample(tmp.resolve("audit"));
    jwks = logDir.resolveSibling("checkpoint-keys.jwks");
    Files.copy(AuditFixtures.class.getResourceAsStream("/audit-v1-sample/checkpoint-keys.jwks"), jwks);
    keys = SigningKeyset.fromPublicJwks(Files.readString(jwks));
  }

  /**
   * A python3 with the {@code cryptography} package: Debian's (which .ci/run installs with apt-get), or the one on
   * the PATH. Never skipped: a build without one fails here, naming what to install.
   */
  static String python() throws Exception {
    for (String candidate : new String[] {"/usr/bin/python3", "python3"}) {
      try {
        Process probe = new ProcessBuilder(candidate, "-c", "import cryptography").redirectErrorStream(true).start();
        probe.getInputStream().readAllBytes();
        if (probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0) {
          return candidate;
        }
      } catch (java.io.IOException notThere) {
        // try the next
      }
    }
    throw new AssertionError("the appendix verifier needs python3 with the cryptography package "
        + "(apt-get install python3-cryptography, as .ci/run does)");
  }

  private record Run(int exit, String output) {}

  private Run run() throws Exception {
    Process p = new ProcessBuilder(python, script.toString(), logDir.toString(), jwks.toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), out.strip());
  }

  private Path segment(int n) {
    return logDir.resolve(String.format("audit-%012d.jsonl", n));
  }

  @Test
  void intactLog_isOk_andAgreesWithTheJavaVerifier() throws Exception {
    VerifiedAuditLog java = AuditLogVerifier.builder(keys).build().verify(logDir);

    Run r = run();

    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.output()).startsWith("OK").contains(java.records() + " records", java.events() + " events");
  }

  @Test
  void everyDamage_exitsNonZero() throws Exception {
    int newest;
    try (var files = Files.list(logDir)) {
      newest = (int) files.filter(f -> f.getFileName().toString().endsWith(".jsonl")).count();
    }
    assertThat(newest).as("several segments").isGreaterThan(1);
    byte[] first = Files.readAllBytes(segment(1));
    byte[] last = Files.readAllBytes(segment(newest));

    Files.write(segment(newest), concat(last, new byte[] {(byte) 0xff, 0, 1}));
    assertThat(run()).satisfies(r -> assertThat(r.exit()).as(r.output()).isEqualTo(1))
        .extracting(Run::output).asString().startsWith("INSERTED");
    Files.write(segment(newest), concat(last, "{\"chain\":\"ab12".getBytes(StandardCharsets.US_ASCII)));
    assertThat(run()).as("a torn line is no damage").satisfies(r -> assertThat(r.exit()).isZero())
        .extracting(Run::output).asString().contains("torn tail of 14 bytes");
    Files.write(segment(newest), last);

    List<String> lines = Files.readAllLines(segment(1));
    Files.writeString(segment(1), String.join("\n", lines.subList(0, lines.size() - 1)) + "\n");
    assertThat(run()).satisfies(r -> assertThat(r.exit()).isEqualTo(1))
        .extracting(Run::output).asString().contains("does not end with its checkpoint");
    Files.write(segment(1), first);

    first[200] ^= 1;
    Files.write(segment(1), first);
    assertThat(run().exit()).isEqualTo(1);
  }

  @Test
  void emptyLog_isNotOk() throws Exception {
    try (var files = Files.list(logDir)) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    Files.write(segment(1), new byte[0]);

    Run r = run();

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.output()).contains("no complete record");
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
