package dev.safeguards.cli;

import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The operator and auditor command line of Safeguards: key generation, rotation and inventory (164.312(a)(2)(iv)),
 * audit log verification, review and breach scoping (164.312(b)), and sealed backup archives (164.312(a)(2)(ii)).
 *
 * <p>Each command only translates its arguments into calls to safeguards-core and its results into text. Results go
 * to standard output; a failure is one line on standard error, never a stack trace and never key material, and the
 * exit status says what kind of failure it was ({@link ExitCodes}). docs/cli.md describes every command.
 */
@Command(
    name = "safeguards",
    scope = ScopeType.INHERIT,
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Operates and audits a Safeguards deployment: keys, the audit log, sealed backup archives, "
        + "the compliance report.",
    subcommands = {KeysCommand.class, AuditCommand.class, ArchiveCommand.class, ReportCommand.class,
        WitnessCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:success",
        "1:verification failed: a damaged or tampered audit log or archive; report --require-met: a "
            + "specification is not met",
        "2:usage error: unknown option, missing or conflicting arguments",
        "3:input problem: a missing or unreadable file, a wrong key, a malformed key file or argument value",
        "4:internal error (a bug; please report it)"})
public final class SafeguardsCli implements Callable<Integer> {

  private final Clock clock;

  @Spec
  private CommandSpec spec;

  private SafeguardsCli(Clock clock) {
    this.clock = clock;
  }

  /**
   * Runs the command line {@code args} and exits the JVM with its exit status; never returns.
   *
   * @param args the command line, such as {@code audit verify ...}
   */
  public static void main(String[] args) {
    System.exit(commandLine(Clock.systemUTC()).execute(args));
  }

  /**
   * The command line, ready to {@link CommandLine#execute}: every command reads the time from {@code clock}, and
   * failures are reported as {@link ExitCodes} describes. Set its output and error writers to capture them.
   *
   * @param clock the time every command reads
   * @return a new command line on every call
   * @throws NullPointerException if {@code clock} is null
   */
  public static CommandLine commandLine(Clock clock) {
    CommandLine cli = new CommandLine(new SafeguardsCli(Objects.requireNonNull(clock, "clock")));
    FailureHandler failures = new FailureHandler();
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setParameterExceptionHandler(failures);
    cli.setExecutionExceptionHandler(failures);
    return cli;
  }

  /** The clock of the command line that {@code spec} belongs to. */
  static Clock clock(CommandSpec spec) {
    return ((SafeguardsCli) spec.root().userObject()).clock;
  }

  @Override
  public Integer call() {
    throw CommandGroups.missingSubcommand(spec);
  }
}
