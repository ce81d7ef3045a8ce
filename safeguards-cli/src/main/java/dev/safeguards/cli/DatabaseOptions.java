package dev.safeguards.cli;

import java.nio.file.Path;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import picocli.CommandLine.Option;

/**
 * How an audit command reads a log kept in PostgreSQL ({@code jdbc:postgresql://host:5432/db}): the role, its
 * password (from a file or the environment variable {@value #PASSWORD_VARIABLE}, never an argument, so that it
 * cannot end up in a shell history or a process list) and the schema.
 */
final class DatabaseOptions {

  /** The environment variable read when no password file is given. */
  static final String PASSWORD_VARIABLE = "SAFEGUARDS_DB_PASSWORD";

  @Option(names = "--db-user", paramLabel = "ROLE",
      description = "For a log in PostgreSQL: the role to log in as (it needs only to read the audit tables). "
          + "Default: the URL's user parameter.")
  private String user;

  @Option(names = "--db-password-file", paramLabel = "FILE",
      description = "For a log in PostgreSQL: a file holding the role's password. Default: the environment variable "
          + PASSWORD_VARIABLE + ".")
  private Path passwordFile;

  @Option(names = "--schema", paramLabel = "NAME", defaultValue = "safeguards",
      description = "For a log in PostgreSQL: the schema holding its tables (default: ${DEFAULT-VALUE}).")
  private String schema;

  /** Whether {@code log} names a database rather than a directory. */
  static boolean isDatabase(String log) {
    return log.startsWith("jdbc:");
  }

  /** The URL without its parameters, which may carry a password: for messages. */
  static String display(String url) {
    int q = url.indexOf('?');
    return q < 0 ? url : url.substring(0, q);
  }

  /** What messages call {@code log}: its directory, or its database's URL without parameters. */
  static String where(String log) {
    return isDatabase(log) ? display(log) : log;
  }

  String schema() {
    if (!schema.matches("[a-z_][a-z0-9_]{0,62}")) {
      throw CliException.input("--schema " + schema + " is not a plain lower-case identifier");
    }
    return schema;
  }

  /** A data source for the database at {@code url}. */
  DataSource dataSource(String url) {
    if (!url.startsWith("jdbc:postgresql:")) {
      throw CliException.input("a log in a database is read from PostgreSQL (jdbc:postgresql://host:5432/db), not "
          + display(url));
    }
    PGSimpleDataSource ds = new PGSimpleDataSource();
    try {
      ds.setURL(url);
    } catch (IllegalArgumentException e) {
      throw CliException.input("not a PostgreSQL JDBC URL: " + display(url));
    }
    if (user != null) {
      ds.setUser(user);
    }
    String password = passwordFile != null ? Inputs.text(passwordFile, "password file (--db-password-file)").strip()
        : System.getenv(PASSWORD_VARIABLE);
    if (password != null) {
      ds.setPassword(password);
    }
    ds.setConnectTimeout(10);
    return ds;
  }
}
