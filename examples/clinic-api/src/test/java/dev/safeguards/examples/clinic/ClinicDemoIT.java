package dev.safeguards.examples.clinic;

import static dev.safeguards.examples.clinic.PackagedClinic.java;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quick start as a new user runs it: the packaged {@code clinic-api.jar} serving from a fresh data directory,
 * {@code demo.sh} touring every safeguard with curl, and the packaged operator CLI verifying the audit log, during the
 * run and again after a clean shutdown.
 */
class ClinicDemoIT {

  @TempDir
  Path dir;

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void demoScript_toursEverySafeguard_andTheAuditLogVerifies() throws Exception {
    Path module = Path.of("").toAbsolutePath();
    Path clinicJar = module.resolve("target/clinic-api.jar");
    Path cliJar = module.resolve("../../safeguards-cli/target/safeguards-cli.jar").normalize();
    assertThat(clinicJar).as("packaged by this build").exists();
    assertThat(cliJar).as("packaged by the safeguards-cli module, built before the examples").exists();
    Path data = dir.resolve("data");

    Process server = new ProcessBuilder(java(), "-jar", clinicJar.toString(), "serve", "--data-dir", data.toString(),
        "--anchor-dir", dir.resolve("anchor").toString(), "--https-port", "0", "--http-port", "0")
        .redirectErrorStream(true).start();
    try {
      PackagedClinic.Ports ports = PackagedClinic.awaitListening(server);
      ProcessBuilder demo = new ProcessBuilder("bash", module.resolve("demo.sh").toString())
          .redirectErrorStream(true).redirectOutput(dir.resolve("demo.log").toFile());
      demo.environment().put("CLINIC_DATA", data.toString());
      demo.environment().put("CLINIC_URL", "https://localhost:" + ports.https());
      demo.environment().put("CLINIC_PLAIN_URL", "http://127.0.0.1:" + ports.http());
      demo.environment().put("CLINIC_JAR", clinicJar.toString());
      demo.environment().put("SAFEGUARDS_CLI_JAR", cliJar.toString());
      demo.environment().put("JAVA", java());
      Process tour = demo.start();
      assertThat(tour.waitFor(5, TimeUnit.MINUTES)).as("the tour finishes").isTrue();
      String log = Files.readString(dir.resolve("demo.log"));
      assertThat(tour.exitValue()).as(log).isZero();
      assertThat(log).contains("The tour is complete").doesNotContain("!!");
    } finally {
      server.destroy(); // SIGTERM: the shutdown hook closes the audit log with a last checkpoint
      assertThat(server.waitFor(1, TimeUnit.MINUTES)).isTrue();
    }

    Process verify = new ProcessBuilder(java(), "-jar", cliJar.toString(), "audit", "verify",
        data.resolve("audit").toString(), "--public-key", data.resolve("keys/audit-checkpoint.pub").toString())
        .redirectErrorStream(true).start();
    String out = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(verify.waitFor(1, TimeUnit.MINUTES)).isTrue();
    assertThat(verify.exitValue()).as(out).isZero();
    assertThat(out).contains("intact");
  }
}
