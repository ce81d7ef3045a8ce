package dev.safeguards.cli;

import dev.safeguards.audit.AuditEvent;
import dev.safeguards.audit.AuditException;
import dev.safeguards.audit.AuditFilter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code safeguards audit search}: the events a filter matches, for the periodic log review. */
@Command(name = "search",
    description = {
        "Prints the audit events that match every criterion given (several values of one criterion match any of "
            + "them), in log order. Events hold identifiers only; the emergency justification is not printed.",
        "A log written with sealed identities is searched with its keys (--identity-keyset, --index-keyset): only "
            + "the events whose index tokens match are opened.",
        "Search reads, it does not verify: run 'safeguards audit verify' on the directory first."})
final class AuditSearchCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Parameters(index = "0", paramLabel = "LOG",
      description = "The audit log directory, or the PostgreSQL database holding the log (jdbc:postgresql://host:"
          + "5432/db; see --db-user, --db-password-file, --schema), where a subject's events are an index lookup.")
  private String log;

  @picocli.CommandLine.Mixin
  private DatabaseOptions database;

  @Mixin
  private FilterOptions filter;

  @Mixin
  private AuditSealingOptions sealing;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
      description = "text (one line per event, the default) or json (one JSON object per line).")
  private EventFormat format;

  @Override
  public Integer call() {
    String directory = DatabaseOptions.where(log);
    AuditFilter selected = filter.build();
    PrintWriter out = spec.commandLine().getOut();
    AtomicLong unopened = new AtomicLong();
    try (Stream<AuditEvent> events = sealing.review(log, database).events(selected, unopened)) {
      events.forEach(e -> out.println(format.format(e)));
    } catch (AuditException | UncheckedIOException e) {
      throw CliException.input(e.getMessage() + " " + directory);
    } catch (IllegalStateException e) {
      throw sealing.unreadable(directory, e);
    }
    out.flush();
    AuditSealingOptions.reportUnopened(unopened.get(), spec.commandLine().getErr());
    return ExitCodes.OK;
  }
}
