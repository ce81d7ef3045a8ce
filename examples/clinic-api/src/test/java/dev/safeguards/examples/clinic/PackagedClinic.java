package dev.safeguards.examples.clinic;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The packaged {@code clinic-api.jar} as the integration tests start it: its ports, read from what it prints. */
final class PackagedClinic {

  private static final Pattern LISTENING =
      Pattern.compile("listening on https://127\\.0\\.0\\.1:(\\d+) \\(and refusing plain http://127\\.0\\.0\\.1:(\\d+)\\)");

  /** The ports a started server listens on. */
  record Ports(int https, int http) {}

  private PackagedClinic() {}

  /** The {@code java} of the JVM running the tests. */
  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** A clinician's token (alice, with a second factor), minted by the packaged {@code jar}'s token command. */
  static String clinicianToken(Path jar, Path data) throws Exception {
    Process p = new ProcessBuilder(java(), "-jar", jar.toString(), "token", "--data-dir", data.toString(), "--user",
        "alice", "--role", "clinician", "--mfa").start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
    org.assertj.core.api.Assertions.assertThat(p.waitFor(1, java.util.concurrent.TimeUnit.MINUTES)).isTrue();
    org.assertj.core.api.Assertions.assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  /**
   * Reads {@code server}'s output until it says where it listens, then drains the rest on a daemon thread (until the
   * process ends, killed or not).
   *
   * @throws AssertionError with what it printed, if it stopped before listening
   */
  static Ports awaitListening(Process server) throws Exception {
    Output output = new Output(server);
    Matcher m = output.await(LISTENING);
    output.drain();
    return new Ports(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
  }

  /**
   * A started process's output (standard error included when the process was started with it redirected), read line
   * by line: lines a newer JVM prints before the program's own (e.g. JDK 24+ warnings about {@code sun.misc.Unsafe}
   * from protobuf) are skipped, not mistaken for the program's.
   */
  static final class Output {
    private final BufferedReader lines;
    private final StringBuilder seen = new StringBuilder();

    Output(Process process) {
      this.lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /**
     * Reads up to and including the first line {@code pattern} finds something in.
     *
     * @throws AssertionError with everything read so far, if the output ends first
     */
    Matcher await(Pattern pattern) throws Exception {
      for (String line; (line = lines.readLine()) != null; ) {
        seen.append(line).append('\n');
        Matcher m = pattern.matcher(line);
        if (m.find()) {
          return m;
        }
      }
      throw new AssertionError("the process stopped before printing /" + pattern + "/:\n" + seen);
    }

    /** Reads the rest on a daemon thread, so that the process never blocks on a full pipe. */
    void drain() {
      Thread drain = new Thread(() -> {
        try {
          lines.lines().forEach(l -> { });
        } catch (UncheckedIOException ended) {
          // the process was killed: its output ends here
        }
      }, "process-output");
      drain.setDaemon(true);
      drain.start();
    }
  }
}
