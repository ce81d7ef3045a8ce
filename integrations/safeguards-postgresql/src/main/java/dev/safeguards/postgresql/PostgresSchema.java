package dev.safeguards.postgresql;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The tables Safeguards keeps in PostgreSQL, in a schema of their own, created and migrated by the library from
 * versioned DDL ({@code V<n>__*.sql} beside this class, documented in docs/cluster.md), and the least privileges an
 * application's role needs on them.
 *
 * <p>Run {@link #migrate} as the schema's owner (a deployment step, or at start-up with the owner's credentials);
 * the application itself connects as a role that was only {@link #grant granted} what it needs, so that a
 * compromised application cannot change the schema. Migrating is safe to run from several replicas at once (an
 * advisory lock orders them) and does nothing when the schema is current.
 */
public final class PostgresSchema {

  /** The schema version this library reads and writes. */
  public static final int VERSION = 2;

  private static final List<String> MIGRATIONS = List.of("V1__state.sql", "V2__audit.sql");

  /** The tables whose rows the application changes: it may read, insert, update and delete them. */
  static final List<String> STATE_TABLES = List.of("emergency_grant", "refresh_token", "refresh_family_revoked");

  /** The audit log's tables: the application may only read and insert (and a trigger refuses any change). */
  static final List<String> AUDIT_TABLES = List.of("audit_log", "audit_record", "audit_node", "audit_checkpoint");

  private PostgresSchema() {}

  /**
   * Creates the schema {@code schema} if needed and applies every migration it lacks, in one transaction.
   *
   * @return how many migrations were applied (0 when it was current)
   * @param owner connections as the schema's owner, or as a role that may create it
   * @param schema the schema's name: 1 to 63 lower-case letters, digits or {@code _}, not starting with a digit
   * @throws IllegalArgumentException if {@code schema} is not a plain lower-case identifier
   * @throws IllegalStateException if the schema is newer than this library, or a statement fails (nothing is then
   *     changed)
   */
  public static int migrate(DataSource owner, String schema) {
    String s = identifier(schema);
    try (Connection c = owner.getConnection()) {
      c.setAutoCommit(false);
      try (Statement st = c.createStatement()) {
        try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
          lock.setString(1, "safeguards-schema:" + s);
          lock.execute();
        }
        st.execute("CREATE SCHEMA IF NOT EXISTS " + s);
        st.execute("CREATE TABLE IF NOT EXISTS " + s + ".schema_version (version integer PRIMARY KEY, "
            + "description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
        int current = version(c, s);
        if (current > VERSION) {
          throw new IllegalStateException("the schema " + s + " is at version " + current
              + ", newer than this library (" + VERSION + "): upgrade the library");
        }
        for (int v = current + 1; v <= VERSION; v++) {
          String file = MIGRATIONS.get(v - 1);
          st.execute(ddl(file).replace("${schema}", s));
          try (PreparedStatement done = c.prepareStatement("INSERT INTO " + s
              + ".schema_version (version, description) VALUES (?, ?)")) {
            done.setInt(1, v);
            done.setString(2, file);
            done.executeUpdate();
          }
        }
        c.commit();
        return VERSION - current;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("migrating the schema " + s + " failed (" + Sql.state(e) + ")", e);
    }
  }

  /**
   * Grants {@code role} what an application needs on {@code schema}, and nothing more: to use the schema, to read its
   * version, to read and change the state tables' rows, and to read and insert the audit log's (never to update or
   * delete them). Run as the schema's owner after {@link #migrate}.
   *
   * @param owner connections as the schema's owner
   * @param schema the schema's name, as given to {@link #migrate}
   * @param role the application's role; it must exist
   * @throws IllegalArgumentException if a name is not a plain lower-case identifier
   * @throws IllegalStateException if a statement fails (each grant is its own statement: those made before it stay)
   */
  public static void grant(DataSource owner, String schema, String role) {
    String s = identifier(schema);
    String r = identifier(role);
    try (Connection c = owner.getConnection(); Statement st = c.createStatement()) {
      st.execute("GRANT USAGE ON SCHEMA " + s + " TO " + r);
      st.execute("GRANT SELECT ON " + s + ".schema_version TO " + r);
      for (String table : STATE_TABLES) {
        st.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON " + s + "." + table + " TO " + r);
      }
      for (String table : AUDIT_TABLES) {
        st.execute("GRANT SELECT, INSERT ON " + s + "." + table + " TO " + r);
      }
      st.execute("GRANT EXECUTE ON FUNCTION " + s + ".audit_begin_append(bigint, integer) TO " + r);
    } catch (SQLException e) {
      throw new IllegalStateException("granting " + r + " on the schema " + s + " failed (" + Sql.state(e) + ")",
          e);
    }
  }

  /** The schema's version: 0 when it has none yet. */
  static int version(Connection c, String schema) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT coalesce(max(version), 0) FROM " + schema + ".schema_version")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /**
   * {@code name}, checked to be an identifier PostgreSQL takes unquoted as itself.
   *
   * @throws IllegalArgumentException otherwise
   */
  static String identifier(String name) {
    if (name == null || !name.matches("[a-z_][a-z0-9_]{0,62}")) {
      throw new IllegalArgumentException("a schema or role name is 1 to 63 lower-case letters, digits or '_', "
          + "not starting with a digit");
    }
    return name;
  }

  private static String ddl(String file) {
    try (InputStream in = Objects.requireNonNull(PostgresSchema.class.getResourceAsStream(file), file)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file + " from the library's jar", e);
    }
  }
}
