package dev.safeguards.examples.clinic;

import static dev.safeguards.examples.clinic.PackagedClinic.java;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged clinic with the packaged CLI's witness beside it, as separate processes: the witness holds the clinic
 * audit log's last checkpoint after a clean shutdown, and a clinic whose audit log was deleted behind the witness's
 * back refuses to start.
 */
class ClinicWitnessIT {

  private static final Pattern WITNESS = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)/add-checkpoint");
  private static final Pattern VERIFIER_KEY = Pattern.compile("^verifier key: (\\S+)$");

  @TempDir
  Path dir;

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void theWitness_holdsTheLastCheckpoint_andALogDeletedBehindItsBackDoesNotStart() throws Exception {
    Path module = Path.of("").toAbsolutePath();
    Path clinicJar = module.resolve("target/clinic-api.jar");
    Path cliJar = module.resolve("../../safeguards-cli/target/safeguards-cli.jar").normalize();
    Path data = dir.resolve("data");
    Process token = new ProcessBuilder(java(), "-jar", clinicJar.toString(), "token", "--data-dir", data.toString(),
        "--user", "alice", "--role", "clinician", "--mfa").redirectErrorStream(true).start();
    token.getInputStream().readAllBytes();
    assertThat(token.waitFor(1, TimeUnit.MINUTES) && token.exitValue() == 0).as("the data directory is made").isTrue();
    Path witnessKey = dir.resolve("witness-master.key");

    Process witness = new ProcessBuilder(java(), "-jar", cliJar.toString(), "witness", "serve", "--state",
        dir.resolve("witness").toString(), "--name", "witness.clinic.example/w1", "--log",
        ClinicApp.AUDIT_ORIGIN + "=" + data.resolve("keys/audit-checkpoint.pub"), "--listen", "127.0.0.1:0",
        "--new-master-key-file", witnessKey.toString()).redirectErrorStream(true).start();
    try {
      PackagedClinic.Output out = new PackagedClinic.Output(witness);
      String url = out.await(WITNESS).group(1);
      String verifierKey = out.await(VERIFIER_KEY).group(1);
      out.drain();

      Process clinic = serve(clinicJar, data, url, verifierKey);
      PackagedClinic.awaitListening(clinic);
      clinic.destroy(); // SIGTERM: the audit log closes with a last checkpoint, which goes to the witness
      assertThat(clinic.waitFor(1, TimeUnit.MINUTES)).isTrue();

      String note = Files.readString(data.resolve("audit/checkpoint"));
      long size = Long.parseLong(note.split("\n")[1]);
      HttpResponse<String> held = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create(url + "/add-checkpoint")).POST(HttpRequest.BodyPublishers.ofString("old 0\n\n" + note)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(held.statusCode()).isEqualTo(409);
      assertThat(held.body().strip()).as("the witness holds the log's last checkpoint").isEqualTo(String.valueOf(size));

      try (var files = Files.walk(data.resolve("audit"))) {
        for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(f);
        }
      }
      Process again = serve(clinicJar, data, url, verifierKey);
      assertThatThrownBy(() -> PackagedClinic.awaitListening(again)).hasMessageContaining("TRUNCATED")
          .hasMessageContaining("witness.clinic.example/w1");
      assertThat(again.waitFor(1, TimeUnit.MINUTES)).isTrue();
      assertThat(again.exitValue()).isNotZero();
    } finally {
      witness.destroy();
      witness.waitFor(1, TimeUnit.MINUTES);
    }
  }

  private static Process serve(Path jar, Path data, String witness, String key) throws Exception {
    return new ProcessBuilder(java(), "-jar", jar.toString(), "serve", "--data-dir", data.toString(), "--witness",
        witness, "--witness-key", key, "--https-port", "0", "--http-port", "0").redirectErrorStream(true).start();
  }
}
