package dev.safeguards.cli;

import dev.safeguards.postgresql.PostgresAuditLogs;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code safeguards audit export}: a log kept in PostgreSQL, written out as the file format. */
@Command(name = "export",
    description = {
        "Writes the audit log kept in PostgreSQL into a new directory in the file format, byte for byte: every record "
            + "as segment 1, the latest checkpoint, and the tiles of its tree. 'safeguards audit verify DIR' "
            + "verifies the copy without the database; the search, scope and prove commands read it.",
        "Exit status 0 and a one-line summary."})
final class AuditExportCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Parameters(index = "0", paramLabel = "JDBC-URL",
      description = "The PostgreSQL database holding the log (jdbc:postgresql://host:5432/db).")
  private String url;

  @Parameters(index = "1", paramLabel = "DIR", description = "The directory to create (it must not exist).")
  private Path directory;

  @Mixin
  private DatabaseOptions database;

  @Override
  public Integer call() {
    Inputs.absent(directory, "export directory");
    PostgresAuditLogs.Exported exported;
    try {
      exported = PostgresAuditLogs.export(database.dataSource(url), database.schema(), directory);
    } catch (SQLException e) {
      throw CliException.input("cannot read the audit log at " + DatabaseOptions.display(url) + " (SQLState "
          + e.getSQLState() + ")");
    } catch (IOException e) {
      throw CliException.input("cannot write " + directory + ": " + e.getClass().getSimpleName());
    }
    spec.commandLine().getOut().println("exported " + exported.records() + " records of "
        + DatabaseOptions.display(url) + " to " + directory + "; the last checkpoint covers "
        + exported.checkpointSize() + " records");
    return ExitCodes.OK;
  }
}
