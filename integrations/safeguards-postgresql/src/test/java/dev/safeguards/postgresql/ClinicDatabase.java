package dev.safeguards.postgresql;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A PostgreSQL server with the database {@code clinic} as a deployment sets it up: owned by {@code safeguards_owner},
 * which migrated the schema {@code safeguards} and granted the application's role {@code clinic_app} what it needs.
 */
public final class ClinicDatabase implements AutoCloseable {

  public static final String OWNER_PASSWORD = "owner-of-a-test-1f3a";
  public static final String APP_PASSWORD = "application-of-a-test-9b2c";

  public final PostgresServer server;

  private ClinicDatabase(PostgresServer server) {
    this.server = server;
  }

  public static ClinicDatabase start() throws Exception {
    PostgresServer server = PostgresServer.startNew();
    try {
      server.execute("CREATE ROLE safeguards_owner LOGIN PASSWORD '" + OWNER_PASSWORD + "'; "
          + "CREATE ROLE clinic_app LOGIN PASSWORD '" + APP_PASSWORD + "'");
      server.execute("CREATE DATABASE clinic OWNER safeguards_owner");
      ClinicDatabase db = new ClinicDatabase(server);
      PostgresSchema.migrate(db.owner(), "safeguards");
      PostgresSchema.grant(db.owner(), "safeguards", "clinic_app");
      return db;
    } catch (Exception | Error e) {
      server.close();
      throw e;
    }
  }

  public String url() {
    return server.jdbcUrl("clinic");
  }

  public DataSource owner() {
    return dataSource("safeguards_owner", OWNER_PASSWORD);
  }

  public DataSource app() {
    return dataSource("clinic_app", APP_PASSWORD);
  }

  public DataSource superuser() {
    return dataSource(PostgresServer.SUPERUSER, PostgresServer.SUPERUSER_PASSWORD);
  }

  /** The application's state, as a replica connects. */
  public PostgresState.Builder state() {
    return PostgresState.builder(url()).credentials("clinic_app", APP_PASSWORD).poolSize(4);
  }

  /** Runs {@code sql} in the clinic database as {@code db}'s role. */
  public static void execute(DataSource db, String sql) throws SQLException {
    try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private DataSource dataSource(String user, String password) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setURL(url());
    ds.setUser(user);
    ds.setPassword(password);
    return ds;
  }

  @Override
  public void close() {
    server.close();
  }
}
