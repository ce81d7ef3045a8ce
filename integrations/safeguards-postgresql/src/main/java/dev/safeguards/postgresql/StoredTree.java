package dev.safeguards.postgresql;

import dev.safeguards.tlog.HashReader;
import dev.safeguards.tlog.Merkle;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The hashes of an audit log's tree as the database stores them: the leaf hash beside each record (level 0), and the
 * root of every complete subtree at every {@value #STRIDE}th level ({@code audit_node}), as C2SP tiles keep them. Any
 * other subtree root is computed from the nearest stored level below: at most 2^7 hashes, one range query. So an
 * append stores one row per record (and one more per 256), and a proof reads O(log n) small ranges.
 */
final class StoredTree implements HashReader {

  /** Subtree roots are stored at the levels that are multiples of this (8, 16, ...). */
  static final int STRIDE = 8;

  /** A connection to read with, and what to do with it after. */
  private interface Connections {
    Connection open() throws SQLException;

    void done(Connection c) throws SQLException;
  }

  private final Connections connections;
  private final String schema;

  private StoredTree(Connections connections, String schema) {
    this.connections = connections;
    this.schema = schema;
  }

  /** Reads within {@code c} (and its transaction); the caller closes it. */
  static StoredTree within(Connection c, String schema) {
    return new StoredTree(new Connections() {
      @Override
      public Connection open() {
        return c;
      }

      @Override
      public void done(Connection unused) {}
    }, schema);
  }

  /** Reads with a connection of {@code db}'s per node. */
  static StoredTree of(DataSource db, String schema) {
    return new StoredTree(new Connections() {
      @Override
      public Connection open() throws SQLException {
        return db.getConnection();
      }

      @Override
      public void done(Connection c) throws SQLException {
        c.close();
      }
    }, schema);
  }

  /** Whether the root of the subtree at {@code level} is stored as a row (else it is computed when read). */
  static boolean stored(int level) {
    return level % STRIDE == 0;
  }

  @Override
  public byte[] node(int level, long index) throws IOException {
    int base = level - level % STRIDE;
    int up = level - base;
    long from = index << up;
    int count = 1 << up;
    List<byte[]> hashes = read(base, from, count);
    if (hashes.size() != count) {
      throw new IOException("the tree's hash at level " + level + ", index " + index + " is not stored");
    }
    while (hashes.size() > 1) {
      List<byte[]> next = new ArrayList<>(hashes.size() / 2);
      for (int i = 0; i < hashes.size(); i += 2) {
        next.add(Merkle.nodeHash(hashes.get(i), hashes.get(i + 1)));
      }
      hashes = next;
    }
    return hashes.get(0);
  }

  private List<byte[]> read(int level, long from, int count) throws IOException {
    String sql = level == 0
        ? "SELECT leaf_hash FROM " + schema + ".audit_record WHERE seq > ? AND seq <= ? ORDER BY seq"
        : "SELECT hash FROM " + schema + ".audit_node WHERE level = " + level + " AND idx >= ? AND idx < ? "
            + "ORDER BY idx";
    try {
      Connection c = connections.open();
      try (PreparedStatement p = c.prepareStatement(sql)) {
        p.setLong(1, from);
        p.setLong(2, from + count);
        List<byte[]> out = new ArrayList<>(count);
        try (ResultSet rs = p.executeQuery()) {
          while (rs.next()) {
            out.add(rs.getBytes(1));
          }
        }
        return out;
      } finally {
        connections.done(c);
      }
    } catch (SQLException e) {
      throw new IOException("cannot read the audit log's tree (" + Sql.state(e) + ")");
    }
  }
}
