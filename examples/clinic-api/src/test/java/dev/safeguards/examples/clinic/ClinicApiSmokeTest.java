package dev.safeguards.examples.clinic;

import dev.safeguards.alert.AlertSink;
import dev.safeguards.examples.clinic.contract.ClinicContract;
import dev.safeguards.examples.clinic.domain.DataDirectory;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;

/**
 * The clinic contract against the clinic API in-process: real Jetty over real TLS, Jersey, a real SQLite file, the
 * real audit log, a real HTTP client; tokens from its {@code token} command, exactly as the demo mints them.
 */
class ClinicApiSmokeTest extends ClinicContract {

  @Override
  protected Clinic start(Path data, Path anchors, Clock clock, Duration idleTimeout, AlertSink alerts)
      throws Exception {
    ClinicApp app = ClinicApp.start(DataDirectory.open(data, Optional.empty(), clock),
        new ClinicApp.Settings("127.0.0.1", 0, 0, idleTimeout, List.of(alerts), Optional.of(anchors),
            Optional.empty()));
    return new Clinic() {
      @Override
      public int httpsPort() {
        return app.httpsPort();
      }

      @Override
      public int httpPort() {
        return app.httpPort();
      }

      @Override
      public void stop() throws Exception {
        app.stop();
      }
    };
  }

  @Override
  protected int run(Clock clock, PrintWriter out, PrintWriter err, String... args) {
    CommandLine cl = ClinicApi.commandLine(clock);
    cl.setOut(out);
    cl.setErr(err);
    return cl.execute(args);
  }
}
