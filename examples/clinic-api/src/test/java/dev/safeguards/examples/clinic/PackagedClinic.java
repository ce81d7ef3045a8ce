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

  /**
   * Reads {@code server}'s output until it says where it listens, then drains the rest on a daemon thread (until the
   * process ends, killed or not).
   *
   * @throws AssertionError with what it printed, if it stopped before listening
   */
  static Ports awaitListening(Process server) throws Exception {
    BufferedReader lines = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    for (String line; (line = lines.readLine()) != null; ) {
      seen.append(line).append('\n');
      Matcher m = LISTENING.matcher(line);
      if (m.find()) {
        Thread drain = new Thread(() -> {
          try {
            lines.lines().forEach(l -> { });
          } catch (UncheckedIOException ended) {
            // the process was killed: its output ends here
          }
        }, "clinic-output");
        drain.setDaemon(true);
        drain.start();
        return new Ports(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
      }
    }
    throw new AssertionError("the server stopped before listening:\n" + seen);
  }
}
