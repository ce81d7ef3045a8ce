package dev.safeguards.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safeguards.compliance.ComplianceReport;
import dev.safeguards.compliance.Evidence;
import dev.safeguards.compliance.Specification;
import dev.safeguards.compliance.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportCommandTest {

  private static final Instant NOW = Instant.parse("2026-11-23T10:15:30Z");

  @TempDir
  Path dir;

  private final Cli cli = new Cli(Clock.fixed(NOW, ZoneOffset.UTC));

  /** A report in which every specification is served, except {@code missing}. */
  private static ComplianceReport report(Optional<Specification> missing) {
    List<Evidence> evidence = new ArrayList<>();
    for (Specification s : Specification.values()) {
      if (missing.filter(s::equals).isEmpty()) {
        evidence.add(Evidence.of("component for " + s.id()).serves(s, Status.MET).setting("on", true).build());
      }
    }
    return ComplianceReport.of(NOW, evidence, Map.of(), Map.of(),
        List.of(new ComplianceReport.Endpoint("GET", "/health", "public", false, Optional.empty(), false,
            Optional.of("unprotected"))),
        List.of(), Duration.ofDays(365));
  }

  private Path saved(ComplianceReport report) throws Exception {
    Path file = dir.resolve("report.json");
    Files.writeString(file, report.toJson());
    return file;
  }

  @Test
  void report_savedFile_printsMarkdownOrJson() throws Exception {
    ComplianceReport report = report(Optional.empty());
    Path file = saved(report);

    Cli.Result markdown = cli.run("report", file);
    Cli.Result json = cli.run("report", file, "--format", "json");

    assertThat(markdown.exitCode()).isZero();
    assertThat(markdown.out()).isEqualTo(report.toMarkdown())
        .contains("| 164.312(a)(2)(iv) | Encryption and decryption | **met** |");
    assertThat(json.exitCode()).isZero();
    assertThat(json.out()).isEqualTo(report.toJson());
  }

  @Test
  void requireMet_failsWhenASpecificationIsNotMet() throws Exception {
    Path file = saved(report(Optional.of(Specification.ENCRYPTION_AT_REST)));

    Cli.Result lenient = cli.run("report", file);
    Cli.Result strict = cli.run("report", file, "--require-met");

    assertThat(lenient.exitCode()).isZero();
    assertThat(lenient.out()).contains("| 164.312(a)(2)(iv) | Encryption and decryption | **not-met** |");
    assertThat(strict.exitCode()).isEqualTo(ExitCodes.VERIFICATION_FAILED);
    assertThat(strict.oneErrorLine()).contains("1 of the nine specifications are not met");
    assertThat(cli.run("report", saved(report(Optional.empty())), "--require-met").exitCode()).isZero();
  }

  @Test
  void badInput_exitsWithOneClearLine() throws Exception {
    Path notAReport = dir.resolve("other.json");
    Files.writeString(notAReport, "{\"schema\":\"something-else\"}");
    Path file = saved(report(Optional.empty()));

    Cli.Result missing = cli.run("report", dir.resolve("nope.json"));
    Cli.Result wrong = cli.run("report", notAReport);
    Cli.Result format = cli.run("report", file, "--format", "pdf");
    Cli.Result both = cli.run("report", file, "--url", "https://localhost:8443/compliance");
    Cli.Result plain = cli.run("report", "--url", "http://localhost:8443/compliance");
    Cli.Result noToken = cli.run("report", "--url", "https://localhost:1/compliance", "--token-file",
        dir.resolve("no-token"));

    assertThat(missing.exitCode()).isEqualTo(ExitCodes.INPUT);
    assertThat(missing.oneErrorLine()).contains("report file", "nope.json");
    assertThat(wrong.exitCode()).isEqualTo(ExitCodes.INPUT);
    assertThat(wrong.oneErrorLine()).contains("is not a compliance report");
    assertThat(format.exitCode()).isEqualTo(ExitCodes.INPUT);
    assertThat(format.oneErrorLine()).contains("--format");
    assertThat(both.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(plain.exitCode()).isEqualTo(ExitCodes.INPUT);
    assertThat(plain.oneErrorLine()).contains("https");
    assertThat(noToken.exitCode()).isEqualTo(ExitCodes.INPUT);
    assertThat(noToken.oneErrorLine()).contains("token file (--token-file)");
  }
}
