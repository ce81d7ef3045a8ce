package dev.safeguards.postgresql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/** Conversions between the stores' values and SQL's. */
final class Sql {

  private Sql() {}

  /** {@code t} as a {@code timestamptz} parameter (an offset date-time in UTC, whatever the JVM's zone). */
  static OffsetDateTime time(Instant t) {
    return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
  }

  /** The {@code timestamptz} column {@code column}, or null. */
  static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  static java.sql.Array texts(Connection c, Collection<String> values) throws SQLException {
    return c.createArrayOf("text", values.stream().sorted().toArray());
  }

  static Set<String> texts(java.sql.Array array) throws SQLException {
    Set<String> out = new LinkedHashSet<>();
    for (Object o : (Object[]) array.getArray()) {
      out.add((String) o);
    }
    return out;
  }

  /** Deletes the rows of {@code table} whose {@code column} is before {@code now}. */
  static void purge(Connection c, String table, String column, Instant now) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("DELETE FROM " + table + " WHERE " + column + " < ?")) {
      p.setObject(1, time(now));
      p.executeUpdate();
    }
  }

  /**
   * What a failure says of itself in a message: the first SQLState in its causes ({@code SQLState 08001}), else its
   * class's name; never the driver's text, which may quote values.
   */
  static String state(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s && s.getSQLState() != null) {
        return "SQLState " + s.getSQLState();
      }
    }
    return e.getClass().getSimpleName();
  }
}
