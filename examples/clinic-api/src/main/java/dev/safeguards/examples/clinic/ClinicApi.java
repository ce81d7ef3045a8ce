package dev.safeguards.examples.clinic;

import dev.safeguards.alert.AlertSink;
import dev.safeguards.alert.AlertSinks;
import dev.safeguards.examples.clinic.domain.DataDirectory;
import dev.safeguards.examples.clinic.domain.DataDirectoryOptions;
import dev.safeguards.examples.clinic.domain.Durations;
import dev.safeguards.examples.clinic.domain.TokenCommand;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The clinic API's command line: {@code serve} runs the API, {@code token} mints a demo access token.
 *
 * <p>Exit codes: 0 success, 2 bad arguments, 3 a data directory, key or port problem.
 */
@Command(name = "clinic-api", mixinStandardHelpOptions = true, version = "clinic-api 0.1.0-SNAPSHOT",
    description = "A clinic API with every HIPAA technical safeguard on (a Safeguards example).",
    subcommands = {ClinicApi.Serve.class, TokenCommand.class})
public final class ClinicApi {

  private ClinicApi() {}

  public static void main(String[] args) {
    System.exit(commandLine(Clock.systemUTC()).execute(args));
  }

  /** The command line, with {@code clock} for every timestamp (tests inject their own). */
  static CommandLine commandLine(Clock clock) {
    CommandLine cl = new CommandLine(new ClinicApi(), new CommandLine.IFactory() {
      @Override
      public <K> K create(Class<K> type) throws Exception {
        if (type == Serve.class) {
          return type.cast(new Serve(clock));
        }
        if (type == TokenCommand.class) {
          return type.cast(new TokenCommand(clock));
        }
        return CommandLine.defaultFactory().create(type);
      }
    });
    cl.setExecutionExceptionHandler(TokenCommand.exitInput("clinic-api"));
    return cl;
  }

  private static String message(Exception e) {
    String m = e.getMessage();
    return (m == null || m.isBlank()) ? e.getClass().getSimpleName() : m;
  }

  /** The environment variable holding the database role's password in a cluster. */
  static final String DB_PASSWORD = "CLINIC_DB_PASSWORD";

  @Command(name = "serve", mixinStandardHelpOptions = true,
      description = "Runs the clinic API: HTTPS on one port, and plain HTTP on another only to show it refused.")
  static final class Serve implements Callable<Integer> {
    private final Clock clock;

    @CommandLine.Mixin
    DataDirectoryOptions data = new DataDirectoryOptions();

    @Option(names = "--https-port", defaultValue = "8443", description = "HTTPS port (default ${DEFAULT-VALUE}).")
    int httpsPort;

    @Option(names = "--http-port", defaultValue = "8080",
        description = "Plain HTTP port, where every request is refused (default ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--idle-timeout", defaultValue = "15m", paramLabel = "DURATION",
        description = "Sessions idle this long end (1m to 8h; default ${DEFAULT-VALUE}).")
    String idleTimeout;

    @Option(names = "--alert-webhook", paramLabel = "URL", description = "Also POST every alert to this HTTPS URL.")
    URI alertWebhook;

    @Option(names = "--anchor-dir", paramLabel = "DIR",
        description = "Keeps every audit checkpoint in DIR too, a directory on another mount than the data: the "
            + "audit log then refuses to open if it was cut back or rewritten since (without one, the compliance "
            + "report marks audit controls partially met).")
    Path anchorDir;

    @Option(names = "--witness", paramLabel = "URL",
        description = "Sends every audit checkpoint to the witness at URL ('safeguards witness serve'), which "
            + "cosigns only consistent growth; needs --witness-key.")
    URI witnessUrl;

    @Option(names = "--witness-key", paramLabel = "KEY",
        description = "The witness's verifier key, as 'safeguards witness serve' prints it.")
    String witnessKey;

    @Option(names = "--cluster",
        description = "Runs as one replica of a cluster: sessions, revocations and emergency grants on Redis "
            + "(--redis-uri), patients and the one audit log of every replica in PostgreSQL (--jdbc-url). Replicas "
            + "share the data directory's keys (or its master key).")
    boolean cluster;

    @Option(names = "--jdbc-url", paramLabel = "URL",
        description = "With --cluster: the PostgreSQL database (jdbc:postgresql://host:5432/db); the role is "
            + "--db-user, its password the environment variable " + DB_PASSWORD + ".")
    String jdbcUrl;

    @Option(names = "--db-user", paramLabel = "ROLE", defaultValue = "clinic",
        description = "With --cluster: the database role (default ${DEFAULT-VALUE}); it owns the schema.")
    String dbUser;

    @Option(names = "--redis-uri", paramLabel = "URI",
        description = "With --cluster: the Redis server (redis://host:6379, rediss:// for TLS).")
    String redisUri;

    @Option(names = "--replica", paramLabel = "NAME",
        description = "With --cluster: this replica's name in the audit rows (default: replica-<https port>).")
    String replica;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    Serve(Clock clock) {
      this.clock = clock;
    }

    @Override
    public Integer call() throws Exception {
      Duration idle = duration(idleTimeout, "--idle-timeout");
      checkPort(httpsPort, "--https-port");
      checkPort(httpPort, "--http-port");
      List<AlertSink> alerts = new ArrayList<>();
      if (alertWebhook != null) {
        alerts.add(AlertSinks.webhook(alertWebhook, Duration.ofSeconds(5), 3, Duration.ofSeconds(1)));
      }
      DataDirectory dir = data.open(clock);
      if ((witnessUrl == null) != (witnessKey == null)) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--witness and --witness-key go together");
      }
      Optional<ClinicApp.Witness> witness = Optional.ofNullable(witnessUrl)
          .map(url -> new ClinicApp.Witness(url, witnessKey));
      ClinicApp app = ClinicApp.start(dir, new ClinicApp.Settings(host, httpsPort, httpPort, idle, alerts,
          Optional.ofNullable(anchorDir), witness, cluster()));
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          app.stop();
        } catch (Exception e) {
          System.err.println("clinic-api: shutting down: " + message(e));
        }
      }, "clinic-api-shutdown"));
      PrintWriter out = spec.commandLine().getOut();
      out.printf("clinic-api: listening on https://%s:%d (and refusing plain http://%s:%d)%n", host, app.httpsPort(),
          host, app.httpPort());
      out.printf("clinic-api: data in %s; TLS certificate %s; audit checkpoint key %s%n", dir.root(),
          dir.tlsDirectory().resolve("server.crt"), dir.auditCheckpointPublicKey());
      out.flush();
      app.join();
      return 0;
    }

    private Optional<ClinicApp.Cluster> cluster() {
      if (!cluster) {
        if (jdbcUrl != null || redisUri != null || replica != null) {
          throw new CommandLine.ParameterException(spec.commandLine(),
              "--jdbc-url, --redis-uri and --replica go with --cluster");
        }
        return Optional.empty();
      }
      if (jdbcUrl == null || redisUri == null) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--cluster needs --jdbc-url and --redis-uri");
      }
      String password = System.getenv(DB_PASSWORD);
      if (password == null) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "--cluster: set the database role's password in the environment variable " + DB_PASSWORD);
      }
      return Optional.of(new ClinicApp.Cluster(jdbcUrl, dbUser, password, redisUri,
          replica != null ? replica : "replica-" + httpsPort));
    }

    private void checkPort(int port, String option) {
      if (port < 0 || port > 65535) {
        throw new CommandLine.ParameterException(spec.commandLine(), option + ": a port from 0 to 65535");
      }
    }

    private Duration duration(String text, String option) {
      try {
        return Durations.parse(text);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), option + ": " + e.getMessage());
      }
    }
  }
}
