package dev.safeguards.cli;

import dev.safeguards.audit.AuditException;
import dev.safeguards.audit.AuditFilter;
import dev.safeguards.audit.BreachScope;
import dev.safeguards.identity.UserId;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code safeguards audit scope}: every resource a compromised user, session or address touched. */
@Command(name = "scope",
    description = {
        "Prints the breach scope: every distinct resource that the events of one user, session or source address "
            + "touched, with how often, when, how and by whom (see docs/breach-response.md). Identifiers only.",
        "Run 'safeguards audit verify' on the directory first."})
final class AuditScopeCommand implements Callable<Integer> {

  /** The export formats of {@link BreachScope}. */
  enum Format { JSON, CSV }

  @Spec
  private CommandSpec spec;

  @Parameters(index = "0", paramLabel = "LOG",
      description = "The audit log directory, or the PostgreSQL database holding the log (jdbc:postgresql://host:"
          + "5432/db; see --db-user, --db-password-file, --schema), where a subject's events are an index lookup.")
  private String log;

  @picocli.CommandLine.Mixin
  private DatabaseOptions database;

  @ArgGroup(exclusive = true, multiplicity = "1")
  private Subject subject;

  /** Whose events: exactly one of the three. */
  static final class Subject {
    @Option(names = "--user", paramLabel = "UUID", converter = Converters.User.class,
        description = "The compromised user id.")
    private UserId user;

    @Option(names = "--session", paramLabel = "ID", description = "The stolen session.")
    private String session;

    @Option(names = "--address", paramLabel = "ADDRESS",
        description = "The source address, exactly as the gate recorded it.")
    private String address;
  }

  @Mixin
  private TimeRangeOptions time;

  @Mixin
  private AuditSealingOptions sealing;

  @Option(names = "--type", paramLabel = "TYPE",
      description = "Only resources of this type in the report, e.g. Patient: the people who may need notice.")
  private String type;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "json",
      description = "json (the default) or csv (RFC 4180, spreadsheet formulas defused).")
  private Format format;

  @Override
  public Integer call() {
    String directory = DatabaseOptions.where(log);
    AuditFilter.Builder filter = AuditFilter.builder();
    if (subject.user != null) {
      filter.user(subject.user);
    }
    FilterOptions.checked("--session", () -> {
      if (subject.session != null) {
        filter.session(subject.session);
      }
    });
    FilterOptions.checked("--address", () -> {
      if (subject.address != null) {
        filter.sourceAddress(subject.address);
      }
    });
    BreachScope scope;
    try {
      scope = sealing.review(log, database).breachScope(time.applyTo(filter).build());
    } catch (AuditException | UncheckedIOException e) {
      throw CliException.input(e.getMessage() + " " + directory);
    } catch (IllegalStateException e) {
      throw sealing.unreadable(directory, e);
    }
    if (type != null) {
      scope = scope.ofType(type);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (format == Format.CSV) {
      out.print(scope.toCsv());
    } else {
      out.println(scope.toJson());
    }
    out.flush();
    AuditSealingOptions.reportUnopened(scope.unreadable(), spec.commandLine().getErr());
    return ExitCodes.OK;
  }
}
