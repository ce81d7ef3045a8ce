package dev.safeguards.examples.clinic.domain;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code token}: prints one access token from the demo identity provider ({@link DemoIdentityProvider}), for a user
 * name and roles; without {@code --mfa} the clinic refuses it. Both clinic applications offer it.
 *
 * <p>Exit codes: 0 success, 2 bad arguments (the message names the option), 3 a data directory or key problem.
 */
@Command(name = "token", mixinStandardHelpOptions = true,
    description = "Prints one signed access token from the demo identity provider.")
public final class TokenCommand implements Callable<Integer> {

  /** The exit code of a data directory, key or port problem. */
  public static final int EXIT_INPUT = 3;

  private final Clock clock;

  @CommandLine.Mixin
  DataDirectoryOptions data = new DataDirectoryOptions();

  @Option(names = "--user", required = true, paramLabel = "NAME", description = "The user (e.g. alice).")
  String user;

  @Option(names = "--role", required = true, split = ",", paramLabel = "ROLE",
      description = "Roles: clinician, billing, nurse, admin (comma-separated or repeated).")
  List<String> roles;

  @Option(names = "--mfa", description = "The user passed a second factor (without it, the API refuses the token).")
  boolean mfa;

  @Option(names = "--ttl", defaultValue = "10m", paramLabel = "DURATION",
      description = "Lifetime, 1m to 15m (default ${DEFAULT-VALUE}).")
  String ttl;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /** The command, with {@code clock} for the token's times. */
  public TokenCommand(Clock clock) {
    this.clock = clock;
  }

  /**
   * The command on its own, as {@code program} (the name its messages start with), exiting {@value #EXIT_INPUT}
   * with a one-line message on a data directory or key problem.
   */
  public static CommandLine commandLine(String program, Clock clock) {
    CommandLine cl = new CommandLine(new TokenCommand(clock));
    cl.setExecutionExceptionHandler(exitInput(program));
    return cl;
  }

  /** Answers an exception of a command with {@code program: message} on standard error and {@value #EXIT_INPUT}. */
  public static CommandLine.IExecutionExceptionHandler exitInput(String program) {
    return (e, line, parsed) -> {
      String m = e.getMessage();
      line.getErr().println(program + ": " + (m == null || m.isBlank() ? e.getClass().getSimpleName() : m));
      return EXIT_INPUT;
    };
  }

  @Override
  public Integer call() throws Exception {
    Set<String> checkedRoles = new LinkedHashSet<>();
    for (String role : roles) {
      if (!Roles.ALL.contains(role)) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "--role: unknown role '" + role + "'; the roles are " + String.join(", ", Roles.ALL));
      }
      checkedRoles.add(role);
    }
    try {
      Users.checkName(user);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--user: " + e.getMessage());
    }
    Duration lifetime;
    try {
      lifetime = Durations.parse(ttl);
      if (lifetime.compareTo(Duration.ofMinutes(1)) < 0 || lifetime.compareTo(Duration.ofMinutes(15)) > 0) {
        throw new IllegalArgumentException("an access token lives 1 to 15 minutes");
      }
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--ttl: " + e.getMessage());
    }
    spec.commandLine().getOut().println(
        DemoIdentityProvider.mint(data.open(clock), user, checkedRoles, mfa, lifetime, clock));
    spec.commandLine().getOut().flush();
    return 0;
  }
}
