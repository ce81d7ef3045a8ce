package dev.safeguards.postgresql;

import dev.safeguards.audit.AuditCheckpoint;
import dev.safeguards.audit.AuditConsistencyProof;
import dev.safeguards.audit.AuditException;
import dev.safeguards.audit.AuditInclusionProof;
import dev.safeguards.audit.AuditLogVerifier;
import dev.safeguards.audit.AuditRecords;
import dev.safeguards.audit.AuditReview;
import dev.safeguards.audit.AuditSealing;
import dev.safeguards.audit.AuditSubjects;
import dev.safeguards.audit.VerifiedAuditLog;
import dev.safeguards.tlog.Proofs;
import dev.safeguards.tlog.TileWriter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * Reading the audit log a {@link PostgresAuditLog} keeps: export it to the file format, byte for byte (one segment,
 * the latest checkpoint as the {@code checkpoint} file, and the tiles of its tree from the stored leaf hashes), and
 * verify it with the file log's verifier.
 */
public final class PostgresAuditLogs {

  private PostgresAuditLogs() {}

  /**
   * What {@link #export} wrote.
   *
   * @param records how many records segment 1 holds
   * @param checkpointSize how many records the log's latest checkpoint covers; 0 when it had none (no {@code
   *     checkpoint} file was then written)
   */
  public record Exported(long records, long checkpointSize) {}

  /**
   * Writes the log in {@code schema} into the new directory {@code directory} as the file format (docs/audit-log-format.md):
   * every record, in sequence order, as the lines of segment 1; the latest checkpoint as the {@code checkpoint} file;
   * and the tiles of that checkpoint's tree, from the leaf hashes stored beside the records. The records are read in one transaction, so the export is one consistent prefix of the log. The directory
   * and its files are readable by their owner only.
   *
   * @param db connections as a role that may read the audit tables
   * @param schema the schema holding the log
   * @param directory where to write; it must not exist, its parent must
   * @return how many records were written, and the size of the checkpoint written
   * @throws IOException if the directory exists or cannot be written
   * @throws SQLException if the log cannot be read
   * @throws IllegalArgumentException if {@code schema} is not a plain lower-case identifier
   * @throws UnsupportedOperationException if the file system has no POSIX permissions
   */
  public static Exported export(DataSource db, String schema, Path directory) throws IOException, SQLException {
    String s = PostgresSchema.identifier(schema);
    // connected first, so that an unreachable database leaves no directory behind to block a retry
    try (Connection c = db.getConnection()) {
      Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
          "rwx------")));
      try {
        return export(c, s, directory);
      } catch (IOException | SQLException | RuntimeException e) {
        delete(directory); // nothing half written is left to be taken for the log
        throw e;
      }
    }
  }

  private static Exported export(Connection c, String s, Path directory) throws IOException, SQLException {
    c.setAutoCommit(false);
    c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
    c.setReadOnly(true);
    long checkpointSize = 0;
    String note = null;
    try (PreparedStatement p = c.prepareStatement("SELECT size, note FROM " + s + ".audit_checkpoint "
        + "ORDER BY size DESC LIMIT 1"); ResultSet rs = p.executeQuery()) {
      if (rs.next()) {
        checkpointSize = rs.getLong(1);
        note = rs.getString(2);
      }
    }
    // the stored leaf hashes as the tiles of that checkpoint's tree: a record changed without its hash is then
    // found exactly where it is (MODIFIED), not only by the checkpoint over it
    TileWriter tiles = TileWriter.open(directory, 0);
    long records = 0;
    Path segment = directory.resolve(AuditRecords.segmentFileName(1));
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(segment), 1 << 16);
        PreparedStatement p = c.prepareStatement("SELECT record, leaf_hash FROM " + s
            + ".audit_record ORDER BY seq")) {
      p.setFetchSize(1000);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          out.write(rs.getBytes(1));
          out.write('\n');
          records++;
          if (records <= checkpointSize) {
            tiles.append(rs.getBytes(2));
            if (records == checkpointSize) {
              tiles.sync();
            }
          }
        }
      }
    }
    Files.setPosixFilePermissions(segment, PosixFilePermissions.fromString("rw-------"));
    if (note != null) {
      Path file = Files.writeString(directory.resolve("checkpoint"), note, StandardCharsets.UTF_8);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }
    c.commit();
    return new Exported(records, checkpointSize);
  }

  /**
   * Verifies the log in {@code schema} with {@code verifier} (the file log's checks, with the checkpoint public keys
   * and any trusted checkpoint it was given), through an export into a temporary directory that is removed after.
   *
   * @param db connections as a role that may read the audit tables
   * @param schema the schema holding the log
   * @param verifier the checks to run on the export
   * @return what the verifier found the log to be
   * @throws dev.safeguards.audit.AuditLogTamperedException if the log was tampered with (where, and how)
   * @throws AuditException if it cannot be read
   * @throws IllegalArgumentException if {@code schema} is not a plain lower-case identifier
   * @throws UnsupportedOperationException if the file system has no POSIX permissions
   */
  public static VerifiedAuditLog verify(DataSource db, String schema, AuditLogVerifier verifier)
      throws AuditException {
    Path scratch = null;
    try {
      scratch = Files.createTempDirectory("safeguards-audit-export-");
      Path log = scratch.resolve("log");
      export(db, schema, log);
      return verifier.verify(log);
    } catch (IOException e) {
      throw new AuditException("cannot export the audit log to verify it (" + e.getClass().getSimpleName() + ")");
    } catch (SQLException e) {
      throw new AuditException("cannot read the audit log (" + Sql.state(e) + ")");
    } finally {
      if (scratch != null) {
        delete(scratch);
      }
    }
  }

  /**
   * Record {@code seq} of the log in {@code schema} with its RFC 9162 inclusion proof in the tree of the newest
   * checkpoint, as one document ({@link AuditInclusionProof#toJson}) that shows that access to an auditor or a patient
   * with the checkpoint public key alone. Read in one read-only transaction; the proof comes from the stored tree.
   *
   * @param db connections as a role that may read the audit tables
   * @param schema the schema holding the log
   * @param seq the record's sequence number, from 1
   * @return the record, its proof and the checkpoint the proof leads to
   * @throws AuditException if no checkpoint covers the record yet, there is no such record, or the log cannot be read
   * @throws IllegalArgumentException if {@code seq} is below 1 or {@code schema} is not a plain lower-case identifier
   */
  public static AuditInclusionProof prove(DataSource db, String schema, long seq) throws AuditException {
    String s = PostgresSchema.identifier(schema);
    if (seq < 1) {
      throw new IllegalArgumentException("a sequence number is positive");
    }
    try (Connection c = readOnly(db)) {
      AuditCheckpoint checkpoint = newest(c, s);
      if (checkpoint == null || checkpoint.size() < seq) {
        throw new AuditException("no checkpoint covers record " + seq + " yet");
      }
      byte[] record;
      try (PreparedStatement p = c.prepareStatement("SELECT record FROM " + s + ".audit_record WHERE seq = ?")) {
        p.setLong(1, seq);
        try (ResultSet rs = p.executeQuery()) {
          if (!rs.next()) {
            throw new AuditException("the log holds no record " + seq);
          }
          record = rs.getBytes(1);
        }
      }
      List<byte[]> proof = Proofs.inclusion(StoredTree.within(c, s), seq - 1, checkpoint.size());
      return new AuditInclusionProof(seq, new String(record, StandardCharsets.US_ASCII), proof, checkpoint);
    } catch (SQLException e) {
      throw new AuditException("cannot read the audit log (" + Sql.state(e) + ")");
    } catch (IOException e) {
      throw new AuditException("the audit log's stored tree lacks a hash: " + e.getMessage());
    }
  }

  /**
   * The consistency proof from {@code older} (a checkpoint of the log kept elsewhere) to the newest checkpoint in
   * {@code schema}: that the log was only appended to since.
   *
   * @param db connections as a role that may read the audit tables
   * @param schema the schema holding the log
   * @param older a checkpoint of this log seen earlier
   * @return the proof from {@code older} to the newest checkpoint
   * @throws AuditException if the log holds no checkpoint as large, is of another origin, or cannot be read
   * @throws IllegalArgumentException if {@code schema} is not a plain lower-case identifier
   * @throws NullPointerException if {@code older} is null
   */
  public static AuditConsistencyProof proveConsistency(DataSource db, String schema, AuditCheckpoint older)
      throws AuditException {
    String s = PostgresSchema.identifier(schema);
    try (Connection c = readOnly(db)) {
      AuditCheckpoint newer = newest(c, s);
      if (newer == null || newer.size() < older.size()) {
        throw new AuditException("the log holds no checkpoint of " + older.size() + " records or more");
      }
      if (!newer.origin().equals(older.origin())) {
        throw new AuditException("the older checkpoint is of the log " + older.origin() + ", not " + newer.origin());
      }
      return new AuditConsistencyProof(older, newer,
          Proofs.consistency(StoredTree.within(c, s), older.size(), newer.size()));
    } catch (SQLException e) {
      throw new AuditException("cannot read the audit log (" + Sql.state(e) + ")");
    } catch (IOException e) {
      throw new AuditException("the audit log's stored tree lacks a hash: " + e.getMessage());
    }
  }

  private static Connection readOnly(DataSource db) throws SQLException {
    Connection c = db.getConnection();
    try {
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      c.setReadOnly(true);
      return c;
    } catch (SQLException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  /** The newest checkpoint in the log, or null. */
  private static AuditCheckpoint newest(Connection c, String schema) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("SELECT note FROM " + schema + ".audit_checkpoint "
        + "ORDER BY size DESC LIMIT 1"); ResultSet rs = p.executeQuery()) {
      return rs.next() ? AuditCheckpoint.read(rs.getString(1)) : null;
    }
  }

  /**
   * A review of the log in {@code schema} (search, breach scope: {@link AuditReview}) that reads only the events a
   * filter can match when it names a subject (a patient, a user, a session, a source address): one index lookup of
   * the subject's keys ({@link AuditSubjects}), then those records in log order, so a patient's history costs about as
   * many rows as the patient has events. A filter without a subject reads the whole log. Give the log's {@code sealing}
   * if it seals identities, else null. Each review reads in one read-only transaction.
   *
   * @param db connections as a role that may read the audit tables
   * @param schema the schema holding the log
   * @param sealing the keys the log's identities are sealed with, or null if they are not sealed
   * @return a review that takes a connection for each of its reads ({@link AuditReview#events}, {@link
   *     AuditReview#breachScope}), none before
   * @throws IllegalArgumentException if {@code schema} is not a plain lower-case identifier
   */
  public static AuditReview review(DataSource db, String schema, AuditSealing sealing) {
    return AuditReview.of(records(db, schema, sealing), sealing);
  }

  /** The records a review of {@code filter} reads: the log's first record, then the candidates, in log order. */
  static AuditReview.RecordSource records(DataSource db, String schema, AuditSealing sealing) {
    String s = PostgresSchema.identifier(schema);
    return filter -> {
      Optional<Set<String>> keys = AuditSubjects.candidates(filter, sealing);
      try {
        Connection c = db.getConnection();
        try {
          c.setAutoCommit(false);
          c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
          c.setReadOnly(true);
          PreparedStatement p;
          if (keys.isPresent()) {
            p = c.prepareStatement("SELECT seq, record FROM " + s + ".audit_record WHERE seq = 1 OR subjects && ? "
                + "ORDER BY seq");
            p.setArray(1, c.createArrayOf("text", keys.get().toArray()));
          } else {
            p = c.prepareStatement("SELECT seq, record FROM " + s + ".audit_record ORDER BY seq");
          }
          p.setFetchSize(500);
          return new DatabaseRecords(c, p, p.executeQuery());
        } catch (SQLException | RuntimeException e) {
          c.close();
          throw e;
        }
      } catch (SQLException e) {
        throw new AuditException("cannot read the audit log (" + Sql.state(e) + ")");
      }
    };
  }

  /** Records from a result set, in one read-only transaction, closed with it. */
  private static final class DatabaseRecords implements AuditReview.Records {
    private final Connection connection;
    private final PreparedStatement statement;
    private final ResultSet rows;
    private long seq;

    DatabaseRecords(Connection connection, PreparedStatement statement, ResultSet rows) {
      this.connection = connection;
      this.statement = statement;
      this.rows = rows;
    }

    @Override
    public byte[] next() throws IOException {
      try {
        if (!rows.next()) {
          return null;
        }
        seq = rows.getLong(1);
        return rows.getBytes(2);
      } catch (SQLException e) {
        throw new IOException("cannot read the audit log (" + Sql.state(e) + ")");
      }
    }

    @Override
    public String position() {
      return "audit record " + seq;
    }

    @Override
    public void close() throws IOException {
      try (connection; statement; rows) {
        connection.rollback(); // read only: nothing to keep
      } catch (SQLException e) {
        throw new IOException("closing an audit log read (" + Sql.state(e) + ")");
      }
    }
  }

  private static void delete(Path dir) {
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(f -> {
        try {
          Files.delete(f);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException | UncheckedIOException e) {
      // a temporary directory left behind
    }
  }
}
