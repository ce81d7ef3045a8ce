package dev.safeguards.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The re-encryption job over a real H2 table of 3,000 patients with three encrypted columns. */
class ReencryptionJobTest {

  private static final int ROWS = 3000;
  private static final String[] COLUMNS = {"name", "ssn", "diagnosis"};

  @TempDir Path dir;
  private Keyring keys;
  private ManagedKeyset keyset;
  private FieldCipher cipher;
  private Connection db;
  /** id -> column -> plaintext, as first written: what every row must always decrypt to. */
  private final Map<String, Map<String, String>> originals = new LinkedHashMap<>();
  private ReencryptionCheckpoints checkpoints;

  @BeforeEach
  void setUp() throws Exception {
    keys = TestKeys.keyring(dir);
    keyset = keys.keyset(KeyPurpose.FIELD_ENCRYPTION);
    cipher = keys.fieldCipher();
    checkpoints = ReencryptionCheckpoints.file(dir.resolve("reencrypt-patient.checkpoint.json"));
    db = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("clinic").toAbsolutePath());
    try (var st = db.createStatement()) {
      st.execute("CREATE TABLE patient (id VARCHAR(36) PRIMARY KEY, name VARCHAR(400) NOT NULL, "
          + "ssn VARCHAR(400) NOT NULL, diagnosis VARCHAR(400))");
    }
    try (PreparedStatement insert = db.prepareStatement("INSERT INTO patient VALUES (?, ?, ?, ?)")) {
      for (int i = 0; i < ROWS; i++) {
        String id = String.format("p-%05d", i);
        Map<String, String> values = new LinkedHashMap<>();
        values.put("name", "Patient Number " + i);
        values.put("ssn", String.format("900-%02d-%04d", i % 100, i));
        if (i % 7 != 0) {
          values.put("diagnosis", "ICD-10 J45." + (i % 10) + " asthma");
        }
        originals.put(id, values);
        insert.setString(1, id);
        for (int c = 0; c < COLUMNS.length; c++) {
          String v = values.get(COLUMNS[c]);
          insert.setString(c + 2, v == null ? null : cipher.encrypt(v, FieldContext.of("Patient", id, COLUMNS[c])));
        }
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  @AfterEach
  void tearDown() throws Exception {
    db.close();
  }

  private ReencryptionJob.Builder job(ReencryptionSource source) {
    return ReencryptionJob.builder(keyset, source, checkpoints).sourceName("patient").batchSize(250);
  }

  @Test
  void run_afterRotation_movesEveryValueToTheNewKey_andConfirms() throws Exception {
    KeyId oldKey = keyset.primaryKeyId();
    KeyId newKey = keyset.rotate().keyId();
    List<ReencryptionProgress> reports = new ArrayList<>();

    ReencryptionResult result = job(new PatientTable(db)).progressListener(reports::add).build().run();

    long values = originals.values().stream().mapToLong(Map::size).sum();
    assertThat(result.complete()).isTrue();
    assertThat(result.stopped()).isFalse();
    assertThat(result.failures()).isEmpty();
    assertThat(result.progress()).isEqualTo(new ReencryptionProgress(ROWS, values, 0, 0, 0,
        Optional.of("p-02999")));
    assertThat(reports).hasSize(ROWS / 250 + 1);
    assertEveryRowIntactUnder(newKey);
    assertThat(checkpoints.load()).isEmpty();

    ReencryptionConfirmation confirmation = result.confirmation().orElseThrow();
    assertThat(confirmation.keyIds()).containsExactly(oldKey);
    assertThat(confirmation.basis()).contains("patient");
    keyset.disable(oldKey, confirmation);
    assertEveryRowIntactUnder(newKey);
  }

  @Test
  void run_withNothingToDo_confirmsAtOnce() throws Exception {
    ReencryptionResult result = job(new PatientTable(db)).build().run();

    assertThat(result.progress().valuesAlreadyCurrent()).isEqualTo(originals.values().stream().mapToLong(Map::size).sum());
    assertThat(result.progress().valuesReencrypted()).isZero();
    assertThat(result.confirmation()).isPresent();
  }

  @Test
  void run_interruptedByTheDatabase_resumesFromTheCheckpoint_withoutLosingAValue() throws Exception {
    KeyId newKey = keyset.rotate().keyId();
    PatientTable table = new PatientTable(db);
    FailingAfter failing = new FailingAfter(table, 1234);

    assertThatThrownBy(() -> job(failing).build().run())
        .isInstanceOf(ReencryptionException.class)
        .hasMessageContaining("patient")
        .hasMessageContaining("failed to write");
    ReencryptionCheckpoint saved = checkpoints.load().orElseThrow();
    assertThat(saved.targetKeyId()).isEqualTo(newKey);
    assertThat(saved.progress().recordsScanned()).isEqualTo(1000); // four complete batches of 250
    assertThat(saved.progress().lastPosition()).contains("p-00999");
    assertEveryRowIntact();

    table.fetchedAfter.clear();
    ReencryptionResult resumed = job(table).build().run();

    assertThat(table.fetchedAfter.get(0)).isEqualTo(Optional.of("p-00999"));
    assertThat(resumed.complete()).isTrue();
    assertThat(resumed.progress().recordsScanned()).isEqualTo(ROWS);
    // Rows 1000..1233 were written before the failure: the resumed run finds them already current.
    long valuesBefore = originals.entrySet().stream().filter(e -> e.getKey().compareTo("p-01000") >= 0
        && e.getKey().compareTo("p-01234") < 0).mapToLong(e -> e.getValue().size()).sum();
    assertThat(resumed.progress().valuesAlreadyCurrent()).isEqualTo(valuesBefore);
    assertThat(resumed.confirmation()).isPresent();
    assertEveryRowIntactUnder(newKey);
  }

  @Test
  void requestStop_savesTheCheckpoint_andTheNextRunCompletes() throws Exception {
    KeyId newKey = keyset.rotate().keyId();
    PatientTable table = new PatientTable(db);
    ReencryptionJob[] job = new ReencryptionJob[1];
    job[0] = job(table).progressListener(p -> job[0].requestStop()).build();

    ReencryptionResult stopped = job[0].run();

    assertThat(stopped.stopped()).isTrue();
    assertThat(stopped.complete()).isFalse();
    assertThat(stopped.confirmation()).isEmpty();
    assertThat(stopped.progress().recordsScanned()).isEqualTo(250);
    assertThat(checkpoints.load().orElseThrow().progress().lastPosition()).contains("p-00249");

    ReencryptionResult completed = job(table).build().run();
    assertThat(completed.complete()).isTrue();
    assertThat(completed.confirmation()).isPresent();
    assertEveryRowIntactUnder(newKey);
  }

  @Test
  void requestStop_beforeRun_isKept_theRunTouchesNothing_andTheNextRunCompletes() throws Exception {
    KeyId oldKey = keyset.primaryKeyId();
    KeyId newKey = keyset.rotate().keyId();
    PatientTable table = new PatientTable(db);
    ReencryptionJob job = job(table).build();

    job.requestStop();
    ReencryptionResult stopped = job.run();

    assertThat(stopped.stopped()).isTrue();
    assertThat(stopped.complete()).isFalse();
    assertThat(stopped.confirmation()).isEmpty();
    assertThat(stopped.progress()).isEqualTo(ReencryptionProgress.START);
    assertThat(table.fetchedAfter).isEmpty();
    assertThat(checkpoints.load()).isEmpty();
    assertEveryRowIntactUnder(oldKey);

    ReencryptionResult completed = job.run();
    assertThat(completed.complete()).isTrue();
    assertThat(completed.confirmation()).isPresent();
    assertEveryRowIntactUnder(newKey);
  }

  @Test
  void requestStop_betweenRuns_keepsTheCheckpointAsItWas() throws Exception {
    keyset.rotate();
    PatientTable table = new PatientTable(db);
    ReencryptionJob[] job = new ReencryptionJob[1];
    job[0] = job(table).progressListener(p -> job[0].requestStop()).build();
    job[0].run();
    ReencryptionCheckpoint saved = checkpoints.load().orElseThrow();
    table.fetchedAfter.clear();

    job[0].requestStop();
    ReencryptionResult stopped = job[0].run();

    assertThat(stopped.stopped()).isTrue();
    assertThat(stopped.progress()).isEqualTo(saved.progress());
    assertThat(table.fetchedAfter).isEmpty();
    assertThat(checkpoints.load()).contains(saved);
  }

  @Test
  void run_withTamperedAndForeignValues_reportsThem_leavesThemUntouched_andDoesNotConfirm(@TempDir Path other)
      throws Exception {
    keyset.rotate();
    String tampered = tamper(column("p-00010", "ssn"));
    update("p-00010", "ssn", tampered);
    String foreign = TestKeys.keyring(other).fieldCipher().encrypt("x", FieldContext.of("Patient", "p-00020", "name"));
    update("p-00020", "name", foreign);
    update("p-00030", "diagnosis", "not a ciphertext");

    ReencryptionResult result = job(new PatientTable(db)).build().run();

    assertThat(result.complete()).isTrue();
    assertThat(result.confirmation()).isEmpty();
    assertThat(result.progress().valuesFailed()).isEqualTo(3);
    assertThat(result.failures()).extracting(ReencryptionFailure::position)
        .containsExactly("p-00010", "p-00020", "p-00030");
    assertThat(result.failures()).extracting(f -> f.reason().substring(0, f.reason().indexOf(':')))
        .containsExactly("failed authentication", "unknown key", "malformed");
    assertThat(result.failures().get(1).keyId()).isPresent();
    assertThat(column("p-00010", "ssn")).isEqualTo(tampered);
    assertThat(column("p-00020", "name")).isEqualTo(foreign);
    assertThat(column("p-00030", "diagnosis")).isEqualTo("not a ciphertext");
    assertThat(result.failures().toString()).doesNotContain("900-10-0010", "Patient Number 20");
    // The other values of those rows were still moved.
    assertThat(cipher.keyIdOf(column("p-00010", "name"))).isEqualTo(keyset.primaryKeyId());
  }

  @Test
  void run_withConcurrentChange_leavesItAlone_andConfirmsOnlyOnTheNextPass() throws Exception {
    keyset.rotate();
    PatientTable table = new PatientTable(db);
    // The application rewrites p-00500 (under the new key) between the job's fetch and its write.
    ReencryptionSource racing = new ReencryptionSource() {
      @Override
      public List<EncryptedRecord> fetch(Optional<String> after, int limit) throws Exception {
        return table.fetch(after, limit);
      }

      @Override
      public boolean replace(EncryptedRecord record, Map<String, String> newCiphertexts) throws Exception {
        if (record.position().equals("p-00500")) {
          originals.get("p-00500").put("name", "Renamed Patient");
          update("p-00500", "name", cipher.encrypt("Renamed Patient", FieldContext.of("Patient", "p-00500", "name")));
        }
        return table.replace(record, newCiphertexts);
      }
    };

    ReencryptionResult first = job(racing).build().run();

    assertThat(first.complete()).isTrue();
    assertThat(first.progress().valuesChangedConcurrently()).isEqualTo(originals.get("p-00500").size());
    assertThat(first.confirmation()).isEmpty();
    assertThat(cipher.decrypt(column("p-00500", "name"), FieldContext.of("Patient", "p-00500", "name")))
        .isEqualTo("Renamed Patient");

    ReencryptionResult second = job(table).build().run();
    assertThat(second.progress().valuesReencrypted()).isEqualTo(originals.get("p-00500").size() - 1);
    assertThat(second.confirmation()).isPresent();
    assertEveryRowIntactUnder(keyset.primaryKeyId());
  }

  @Test
  void run_afterAnotherRotation_discardsTheOldCheckpoint_andStartsOver() throws Exception {
    KeyId first = keyset.primaryKeyId();
    KeyId second = keyset.rotate().keyId();
    PatientTable table = new PatientTable(db);
    ReencryptionJob[] job = new ReencryptionJob[1];
    job[0] = job(table).progressListener(p -> job[0].requestStop()).build();
    job[0].run();
    assertThat(checkpoints.load().orElseThrow().targetKeyId()).isEqualTo(second);

    KeyId third = keyset.rotate().keyId();
    table.fetchedAfter.clear();
    ReencryptionResult result = job(table).build().run();

    assertThat(table.fetchedAfter.get(0)).isEmpty();
    assertThat(result.confirmation().orElseThrow().keyIds()).containsExactlyInAnyOrder(first, second);
    assertEveryRowIntactUnder(third);
  }

  @Test
  void retiring_withoutConfirmation_isStillRefused() throws Exception {
    KeyId oldKey = keyset.primaryKeyId();
    keyset.rotate();
    ReencryptionResult result = job(new PatientTable(db)).build().run();
    ReencryptionConfirmation confirmation = result.confirmation().orElseThrow();

    assertThat(confirmation.covers(KeyPurpose.BLIND_INDEX, oldKey)).isFalse();
    assertThatThrownBy(() -> keyset.destroy(keyset.primaryKeyId(), confirmation))
        .isInstanceOf(KeyStateException.class);
    assertThatThrownBy(() -> keys.keyset(KeyPurpose.BLIND_INDEX).disable(oldKey, confirmation))
        .isInstanceOf(KeyStateException.class);
  }

  @Test
  void run_withSourceThatIgnoresThePosition_failsInsteadOfLooping() throws Exception {
    keyset.rotate();
    PatientTable table = new PatientTable(db);
    ReencryptionSource broken = new ReencryptionSource() {
      @Override
      public List<EncryptedRecord> fetch(Optional<String> after, int limit) throws Exception {
        return table.fetch(Optional.empty(), limit);
      }

      @Override
      public boolean replace(EncryptedRecord record, Map<String, String> newCiphertexts) throws Exception {
        return table.replace(record, newCiphertexts);
      }
    };

    assertThatThrownBy(() -> job(broken).build().run())
        .isInstanceOf(ReencryptionException.class)
        .hasMessageContaining("strictly after");
  }

  @Test
  void builder_refusesBadSettings() {
    PatientTable table = new PatientTable(db);
    assertThatThrownBy(() -> ReencryptionJob.builder(keys.keyset(KeyPurpose.BLIND_INDEX), table, checkpoints))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> job(table).batchSize(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> job(table).batchSize(10_001)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> job(table).sourceName(" ")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void checkpointFile_thatIsCorrupt_failsTheRunInsteadOfRestartingSilently() throws Exception {
    keyset.rotate();
    Files.writeString(dir.resolve("reencrypt-patient.checkpoint.json"), "{\"format\": \"something else\"}");

    assertThatThrownBy(() -> job(new PatientTable(db)).build().run())
        .isInstanceOf(ReencryptionException.class)
        .hasMessageContaining("checkpoint");
  }

  // ---------------------------------------------------------------------------------------------------------------

  private void assertEveryRowIntact() throws Exception {
    assertEveryRowIntactUnder(null);
  }

  /** Every row decrypts to its original values; with {@code key}, every value is under that key. */
  private void assertEveryRowIntactUnder(KeyId key) throws Exception {
    int rows = 0;
    try (var st = db.createStatement(); ResultSet rs = st.executeQuery("SELECT * FROM patient ORDER BY id")) {
      while (rs.next()) {
        rows++;
        String id = rs.getString("id");
        for (String column : COLUMNS) {
          String stored = rs.getString(column);
          String expected = originals.get(id).get(column);
          if (expected == null) {
            assertThat(stored).isNull();
            continue;
          }
          assertThat(cipher.decrypt(stored, FieldContext.of("Patient", id, column))).isEqualTo(expected);
          if (key != null) {
            assertThat(cipher.keyIdOf(stored)).isEqualTo(key);
          }
        }
      }
    }
    assertThat(rows).isEqualTo(ROWS);
  }

  private String column(String id, String column) throws SQLException {
    try (PreparedStatement q = db.prepareStatement("SELECT " + column + " FROM patient WHERE id = ?")) {
      q.setString(1, id);
      try (ResultSet rs = q.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  private void update(String id, String column, String value) throws SQLException {
    try (PreparedStatement u = db.prepareStatement("UPDATE patient SET " + column + " = ? WHERE id = ?")) {
      u.setString(1, value);
      u.setString(2, id);
      assertThat(u.executeUpdate()).isEqualTo(1);
    }
  }

  private static String tamper(String ciphertext) {
    byte[] raw = java.util.Base64.getUrlDecoder().decode(ciphertext.substring(4));
    raw[raw.length - 1] ^= 1;
    return "sg1:" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
  }

  /** The application's part: the patient table over plain JDBC, with a compare-and-set update. */
  static final class PatientTable implements ReencryptionSource {
    private final Connection db;
    final List<Optional<String>> fetchedAfter = new ArrayList<>();

    PatientTable(Connection db) {
      this.db = db;
    }

    @Override
    public List<EncryptedRecord> fetch(Optional<String> after, int limit) throws SQLException {
      fetchedAfter.add(after);
      try (PreparedStatement q = db.prepareStatement(
          "SELECT id, name, ssn, diagnosis FROM patient WHERE id > ? ORDER BY id LIMIT ?")) {
        q.setString(1, after.orElse(""));
        q.setInt(2, limit);
        List<EncryptedRecord> records = new ArrayList<>();
        try (ResultSet rs = q.executeQuery()) {
          while (rs.next()) {
            Map<String, String> fields = new HashMap<>();
            for (String column : COLUMNS) {
              String value = rs.getString(column);
              if (value != null) {
                fields.put(column, value);
              }
            }
            records.add(new EncryptedRecord(rs.getString("id"), "Patient", rs.getString("id"), fields));
          }
        }
        return records;
      }
    }

    @Override
    public boolean replace(EncryptedRecord record, Map<String, String> newCiphertexts) throws SQLException {
      StringBuilder sql = new StringBuilder("UPDATE patient SET ");
      List<String> columns = new ArrayList<>(newCiphertexts.keySet());
      for (int i = 0; i < columns.size(); i++) {
        sql.append(i == 0 ? "" : ", ").append(checked(columns.get(i))).append(" = ?");
      }
      sql.append(" WHERE id = ?");
      for (String column : columns) {
        sql.append(" AND ").append(checked(column)).append(" = ?");
      }
      try (PreparedStatement u = db.prepareStatement(sql.toString())) {
        int i = 1;
        for (String column : columns) {
          u.setString(i++, newCiphertexts.get(column));
        }
        u.setString(i++, record.recordId());
        for (String column : columns) {
          u.setString(i++, record.fields().get(column));
        }
        return u.executeUpdate() == 1;
      }
    }

    private static String checked(String column) {
      if (!List.of(COLUMNS).contains(column)) {
        throw new IllegalArgumentException("unknown column");
      }
      return column;
    }
  }

  /** A source whose database goes away after a number of writes. */
  static final class FailingAfter implements ReencryptionSource {
    private final ReencryptionSource delegate;
    private final AtomicInteger writesLeft;

    FailingAfter(ReencryptionSource delegate, int writes) {
      this.delegate = delegate;
      this.writesLeft = new AtomicInteger(writes);
    }

    @Override
    public List<EncryptedRecord> fetch(Optional<String> after, int limit) throws Exception {
      return delegate.fetch(after, limit);
    }

    @Override
    public boolean replace(EncryptedRecord record, Map<String, String> newCiphertexts) throws Exception {
      if (writesLeft.getAndDecrement() <= 0) {
        throw new SQLException("connection lost");
      }
      return delegate.replace(record, newCiphertexts);
    }
  }
}
