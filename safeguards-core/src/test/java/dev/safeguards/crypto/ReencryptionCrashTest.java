package dev.safeguards.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safeguards.crypto.ReencryptionChildMain.FileTable;
import dev.safeguards.testing.ChildJvm;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A SIGKILL at any moment of a re-encryption pass loses no value, and the checkpoint it leaves skips no record: the
 * resumed pass leaves every value under the new key and confirms.
 */
class ReencryptionCrashTest {

  private static final int ROWS = 120;
  private static final String[] FIELDS = {"name", "ssn"};

  @TempDir Path dir;

  private static String value(String id, String field) {
    return field + " of " + id;
  }

  @Test
  void sigkillDuringAPass_losesNoValue_andTheResumedPassSkipsNoRecord() throws Exception {
    Keyring keys = TestKeys.keyring(dir);
    ManagedKeyset keyset = keys.keyset(KeyPurpose.FIELD_ENCRYPTION);
    FieldCipher cipher = keys.fieldCipher();
    Path tableDir = Files.createDirectories(dir.resolve("table"));
    FileTable table = new FileTable(tableDir, null);
    for (int i = 0; i < ROWS; i++) {
      String id = String.format("p-%04d", i);
      Map<String, String> fields = new LinkedHashMap<>();
      for (String f : FIELDS) {
        fields.put(f, cipher.encrypt(value(id, f), FieldContext.of("Patient", id, f)));
      }
      table.write(id, fields);
    }
    KeyId oldKey = keyset.primaryKeyId();
    KeyId newKey = keyset.rotate().keyId();
    Path checkpoint = dir.resolve("reencrypt.checkpoint.json");
    long seed = System.nanoTime();
    Random random = new Random(seed);

    for (int round = 0; round < 3; round++) {
      // Kill after a random number of record writes and checkpoints: mid-batch as well as just after a checkpoint.
      int killAfter = 1 + random.nextInt(25);
      Process child = ChildJvm.start(ReencryptionChildMain.class, dir.resolve("master.key").toString(),
          dir.resolve("keys").toString(), tableDir.toString(), checkpoint.toString());
      int events = 0;
      try (BufferedReader out = new BufferedReader(
          new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
        String line;
        while (events < killAfter && (line = out.readLine()) != null) {
          events += line.startsWith("batch ") || line.startsWith("write ") ? 1 : 0;
        }
        child.destroyForcibly();
        assertThat(child.waitFor(1, TimeUnit.MINUTES)).isTrue();
      }
      assertThat(events).as("seed %d round %d: the child made progress", seed, round).isEqualTo(killAfter);
      assertEveryValueIntact(cipher, table, null);
    }

    ReencryptionResult resumed = ReencryptionJob.builder(keyset, table, ReencryptionCheckpoints.file(checkpoint))
        .batchSize(7).build().run();

    assertThat(resumed.complete()).isTrue();
    assertThat(resumed.progress().valuesFailed()).isZero();
    assertThat(resumed.confirmation()).isPresent();
    assertThat(resumed.confirmation().get().keyIds()).containsExactly(oldKey);
    assertEveryValueIntact(cipher, table, newKey);
  }

  private static void assertEveryValueIntact(FieldCipher cipher, FileTable table, KeyId key) throws Exception {
    for (int i = 0; i < ROWS; i++) {
      String id = String.format("p-%04d", i);
      Map<String, String> fields = table.read(id);
      assertThat(fields.keySet()).containsExactly(FIELDS);
      for (String f : FIELDS) {
        assertThat(cipher.decrypt(fields.get(f), FieldContext.of("Patient", id, f))).isEqualTo(value(id, f));
        if (key != null) {
          assertThat(cipher.keyIdOf(fields.get(f))).as("%s %s", id, f).isEqualTo(key);
        }
      }
    }
  }
}
