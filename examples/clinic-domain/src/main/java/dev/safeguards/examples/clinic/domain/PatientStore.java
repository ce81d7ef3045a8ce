package dev.safeguards.examples.clinic.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.safeguards.crypto.BlindIndex;
import dev.safeguards.crypto.DecryptionException;
import dev.safeguards.crypto.FieldCipher;
import dev.safeguards.crypto.FieldContext;
import dev.safeguards.crypto.KeyManagementException;
import dev.safeguards.crypto.Normalizer;
import dev.safeguards.crypto.SigningKeyset;
import dev.safeguards.identity.UserId;
import dev.safeguards.integrity.IntegrityException;
import dev.safeguards.integrity.RecordRef;
import dev.safeguards.integrity.RecordSignature;
import dev.safeguards.integrity.RecordSigner;
import dev.safeguards.integrity.RecordVerifier;
import dev.safeguards.integrity.RecordVersion;
import dev.safeguards.integrity.VerifiedRecord;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;

/**
 * Patients in SQLite (write-ahead log, {@code synchronous=FULL}: a write acknowledged is on disk and survives a
 * crash of the process or the machine), one connection used by one request at a time, with every PHI field encrypted on its own (AES-256-GCM through Tink, bound to the patient and the
 * field), the SSN findable through a blind index, and every version signed by its author and chained to the version
 * before (164.312(a)(2)(iv), (c)(2)). Nothing it stores is PHI in the clear; updates never overwrite.
 */
public final class PatientStore implements AutoCloseable {

  /** A patient's fields as its author wrote them. */
  public record Fields(String name, String dateOfBirth, String ssn, String diagnosis) {}

  /** One version, decrypted, with its verified signature. */
  public record Version(UUID id, Fields fields, RecordSignature signature, boolean verified) {}

  /** Thrown when stored data fails its integrity check: it is never served. */
  public static final class TamperedException extends Exception {
    private static final long serialVersionUID = 1L;

    TamperedException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  public static final String TYPE = "Patient";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** SQLite: the one connection; null with a pool. */
  private final Connection connection;
  /** PostgreSQL (a cluster's replicas share it): a pool; null with SQLite. */
  private final DataSource pool;
  /** One request at a time on SQLite's one connection: SQLite has one writer anyway, and no request sees another's. */
  private final ReentrantLock lock = new ReentrantLock();
  private final FieldCipher cipher;
  private final BlindIndex ssnIndex;
  private final RecordSigner signer;
  private final RecordVerifier verifier;

  /**
   * The patients of one node: SQLite in {@code data}'s database directory, under {@code data}'s field encryption,
   * blind index and record-signing keys.
   */
  public static PatientStore open(DataDirectory data) throws SQLException, KeyManagementException {
    return new PatientStore(data.databaseDirectory(), Keys.of(data));
  }

  /**
   * The patients of a cluster: the PostgreSQL database {@code pool} connects to, shared by every replica, under {@code
   * data}'s keys (which the replicas share too). The pool is its owner's to close.
   */
  public static PatientStore open(DataSource pool, DataDirectory data) throws SQLException, KeyManagementException {
    return new PatientStore(pool, Keys.of(data));
  }

  /** What encrypts, indexes, signs and verifies the rows. */
  private record Keys(FieldCipher cipher, BlindIndex ssnIndex, RecordSigner signer, RecordVerifier verifier) {
    static Keys of(DataDirectory data) throws KeyManagementException {
      SigningKeyset records = SigningKeyset.create(data.recordSigningKeyset());
      return new Keys(data.keyring().fieldCipher(),
          data.keyring().blindIndex(TYPE, "ssn").normalizer(Normalizer.digitsOnly()).build(),
          RecordSigner.create(records, data.clock()), RecordVerifier.create(records));
    }
  }

  private PatientStore(Path databaseDirectory, Keys keys) throws SQLException {
    this.connection = DriverManager.getConnection(
        "jdbc:sqlite:" + databaseDirectory.resolve("clinic.db").toAbsolutePath());
    this.pool = null;
    this.cipher = keys.cipher();
    this.ssnIndex = keys.ssnIndex();
    this.signer = keys.signer();
    this.verifier = keys.verifier();
    try (Statement s = connection.createStatement()) {
      s.execute("PRAGMA journal_mode=WAL");
      s.execute("PRAGMA synchronous=FULL");
      s.execute("PRAGMA busy_timeout=5000");
      s.execute("PRAGMA foreign_keys=ON");
      createTables(s);
    }
  }

  /** The same tables in PostgreSQL, created once (under an advisory lock, so replicas starting at once do not race). */
  private PatientStore(DataSource pool, Keys keys) throws SQLException {
    this.connection = null;
    this.pool = pool;
    this.cipher = keys.cipher();
    this.ssnIndex = keys.ssnIndex();
    this.signer = keys.signer();
    this.verifier = keys.verifier();
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.execute("SELECT pg_advisory_xact_lock(hashtext('clinic-api-patients'))");
      createTables(s);
      c.commit();
    }
  }

  private static void createTables(Statement s) throws SQLException {
    s.execute("CREATE TABLE IF NOT EXISTS patient (id TEXT PRIMARY KEY, latest INTEGER NOT NULL, "
        + "ssn_index TEXT NOT NULL)");
    s.execute("CREATE INDEX IF NOT EXISTS patient_ssn_index ON patient (ssn_index)");
    s.execute("CREATE TABLE IF NOT EXISTS patient_version (id TEXT NOT NULL, version INTEGER NOT NULL, "
        + "name TEXT NOT NULL, date_of_birth TEXT NOT NULL, ssn TEXT NOT NULL, "
        + "diagnosis TEXT NOT NULL, signature TEXT NOT NULL, PRIMARY KEY (id, version))");
  }

  /** The connection, held by this thread until {@link #release}; in a transaction when {@code write}. */
  private Connection acquire(boolean write) throws SQLException {
    if (pool != null) {
      Connection c = pool.getConnection();
      c.setAutoCommit(!write);
      return c;
    }
    lock.lock();
    try {
      connection.setAutoCommit(!write);
      return connection;
    } catch (SQLException | RuntimeException e) {
      lock.unlock();
      throw e;
    }
  }

  /** Rolls back what was not committed and lets the next request have the connection (back to the pool). */
  private void release(Connection c) {
    try {
      if (!c.getAutoCommit()) {
        c.rollback();
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      // the connection reports its own trouble on its next use
    } finally {
      if (pool != null) {
        try {
          c.close();
        } catch (SQLException e) {
          // the pool replaces a broken connection
        }
      } else {
        lock.unlock();
      }
    }
  }

  /** Stores version 1 of a new patient, signed by {@code author}. */
  public UUID create(Fields fields, UserId author) throws SQLException {
    UUID id = UUID.randomUUID();
    RecordSignature signature = signer.signJson(ref(id), content(fields), author);
    Connection c = acquire(true);
    try {
      try (PreparedStatement p = c.prepareStatement("INSERT INTO patient (id, latest, ssn_index) VALUES (?, 1, ?)")) {
        p.setString(1, id.toString());
        p.setString(2, ssnIndex.token(fields.ssn()));
        p.executeUpdate();
      }
      insertVersion(c, id, 1, fields, signature);
      c.commit();
    } finally {
      release(c);
    }
    return id;
  }

  /**
   * Stores the next version of a patient, signed by {@code author} and chained to the latest one.
   *
   * @return false if there is no such patient
   */
  public boolean update(UUID id, Fields fields, UserId author) throws SQLException, TamperedException {
    Connection c = acquire(true);
    try {
      long latest;
      // on PostgreSQL, replicas may update one patient at once: the row is locked until this version is written
      try (PreparedStatement p = c.prepareStatement("SELECT latest FROM patient WHERE id = ?"
          + (pool != null ? " FOR UPDATE" : ""))) {
        p.setString(1, id.toString());
        try (ResultSet r = p.executeQuery()) {
          if (!r.next()) {
            c.rollback();
            return false;
          }
          latest = r.getLong(1);
        }
      }
      Version previous = readVersion(c, id, latest).orElseThrow();
      if (!previous.verified()) {
        c.rollback();
        throw new TamperedException("the latest version of patient " + id + " fails verification", null);
      }
      RecordSignature signature = signer.signNextJson(ref(id), content(fields), author, previous.signature());
      insertVersion(c, id, latest + 1, fields, signature);
      try (PreparedStatement p = c.prepareStatement("UPDATE patient SET latest = ?, ssn_index = ? WHERE id = ?")) {
        p.setLong(1, latest + 1);
        p.setString(2, ssnIndex.token(fields.ssn()));
        p.setString(3, id.toString());
        p.executeUpdate();
      }
      c.commit();
      return true;
    } finally {
      release(c);
    }
  }

  /**
   * The latest version of a patient, decrypted and verified.
   *
   * @throws TamperedException if a field fails to decrypt or the signature fails: the data is not served
   */
  public Optional<Version> read(UUID id) throws SQLException, TamperedException {
    Connection c = acquire(false);
    try {
      Optional<Long> latest = latest(c, id);
      if (latest.isEmpty()) {
        return Optional.empty();
      }
      Version v = readVersion(c, id, latest.get()).orElseThrow(
          () -> new TamperedException("the latest version of patient " + id + " is missing", null));
      if (!v.verified()) {
        throw new TamperedException("patient " + id + " fails its signature check", null);
      }
      return Optional.of(v);
    } finally {
      release(c);
    }
  }

  /**
   * Every version of a patient, oldest first, each with its own verification status; empty if there is no such
   * patient.
   *
   * @return the versions, and whether the chain as a whole verifies (no version missing, moved or replaced)
   */
  public Optional<History> history(UUID id) throws SQLException, TamperedException {
    Connection c = acquire(false);
    try {
      Optional<Long> latest = latest(c, id);
      if (latest.isEmpty()) {
        return Optional.empty();
      }
      List<Version> versions = new ArrayList<>();
      List<RecordVersion> chain = new ArrayList<>();
      for (long v = 1; v <= latest.get(); v++) {
        Optional<Version> version = readVersion(c, id, v);
        if (version.isPresent()) {
          versions.add(version.get());
          chain.add(RecordVersion.ofJson(content(version.get().fields()), version.get().signature()));
        }
      }
      boolean chainVerified;
      try {
        verifier.verifyHistory(ref(id), chain, latest.get());
        chainVerified = true;
      } catch (IntegrityException e) {
        chainVerified = false;
      }
      return Optional.of(new History(versions, chainVerified));
    } finally {
      release(c);
    }
  }

  /** A patient's versions and whether their chain verifies. */
  public record History(List<Version> versions, boolean chainVerified) {}

  /** The patients whose latest SSN equals {@code ssn} (after normalization), found without decrypting any row. */
  public List<UUID> findBySsn(String ssn) throws SQLException {
    List<String> tokens = ssnIndex.searchTokens(ssn);
    Set<UUID> found = new LinkedHashSet<>();
    Connection c = acquire(false);
    try (PreparedStatement p = c.prepareStatement("SELECT id FROM patient WHERE ssn_index = ? ORDER BY id")) {
      for (String token : tokens) {
        p.setString(1, token);
        try (ResultSet r = p.executeQuery()) {
          while (r.next()) {
            found.add(UUID.fromString(r.getString(1)));
          }
        }
      }
    } finally {
      release(c);
    }
    return List.copyOf(found);
  }

  /** Deletes a patient and every version. @return false if there was no such patient */
  public boolean delete(UUID id) throws SQLException {
    Connection c = acquire(true);
    try {
      int deleted;
      try (PreparedStatement p = c.prepareStatement("DELETE FROM patient WHERE id = ?")) {
        p.setString(1, id.toString());
        deleted = p.executeUpdate();
      }
      try (PreparedStatement p = c.prepareStatement("DELETE FROM patient_version WHERE id = ?")) {
        p.setString(1, id.toString());
        p.executeUpdate();
      }
      c.commit();
      return deleted == 1;
    } finally {
      release(c);
    }
  }

  private static Optional<Long> latest(Connection c, UUID id) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("SELECT latest FROM patient WHERE id = ?")) {
      p.setString(1, id.toString());
      try (ResultSet r = p.executeQuery()) {
        return r.next() ? Optional.of(r.getLong(1)) : Optional.empty();
      }
    }
  }

  private void insertVersion(Connection c, UUID id, long version, Fields f, RecordSignature signature)
      throws SQLException {
    try (PreparedStatement p = c.prepareStatement("INSERT INTO patient_version "
        + "(id, version, name, date_of_birth, ssn, diagnosis, signature) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      p.setString(1, id.toString());
      p.setLong(2, version);
      p.setString(3, cipher.encrypt(f.name(), context(id, "name")));
      p.setString(4, cipher.encrypt(f.dateOfBirth(), context(id, "dateOfBirth")));
      p.setString(5, cipher.encrypt(f.ssn(), context(id, "ssn")));
      p.setString(6, cipher.encrypt(f.diagnosis(), context(id, "diagnosis")));
      p.setString(7, signature.encoded());
      p.executeUpdate();
    }
  }

  private Optional<Version> readVersion(Connection c, UUID id, long version) throws SQLException, TamperedException {
    try (PreparedStatement p = c.prepareStatement("SELECT name, date_of_birth, ssn, diagnosis, signature "
        + "FROM patient_version WHERE id = ? AND version = ?")) {
      p.setString(1, id.toString());
      p.setLong(2, version);
      try (ResultSet r = p.executeQuery()) {
        if (!r.next()) {
          return Optional.empty();
        }
        Fields fields = new Fields(cipher.decrypt(r.getString(1), context(id, "name")),
            cipher.decrypt(r.getString(2), context(id, "dateOfBirth")),
            cipher.decrypt(r.getString(3), context(id, "ssn")),
            cipher.decrypt(r.getString(4), context(id, "diagnosis")));
        RecordSignature signature = RecordSignature.parse(r.getString(5));
        boolean verified;
        try {
          VerifiedRecord checked = verifier.verifyJson(ref(id), content(fields), signature, version);
          verified = checked.author().equals(signature.author());
        } catch (IntegrityException e) {
          verified = false;
        }
        return Optional.of(new Version(id, fields, signature, verified));
      }
    } catch (DecryptionException | IntegrityException e) {
      throw new TamperedException("version " + version + " of patient " + id + " cannot be decrypted or parsed", e);
    }
  }

  private static FieldContext context(UUID id, String field) {
    return FieldContext.of(TYPE, id.toString(), field);
  }

  private static RecordRef ref(UUID id) {
    return RecordRef.of(TYPE, id.toString());
  }

  /** What the author signs: the four fields, canonicalized (RFC 8785) by the signer. */
  private static JsonNode content(Fields f) {
    ObjectNode n = JSON.createObjectNode();
    n.put("name", f.name());
    n.put("dateOfBirth", f.dateOfBirth());
    n.put("ssn", f.ssn());
    n.put("diagnosis", f.diagnosis());
    return n;
  }

  /** Closes SQLite's connection; a pool is its owner's to close. */
  @Override
  public void close() throws SQLException {
    if (connection == null) {
      return;
    }
    lock.lock();
    try {
      connection.close();
    } finally {
      lock.unlock();
    }
  }
}
