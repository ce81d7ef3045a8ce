package dev.safeguards.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safeguards.testing.ChildJvm;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A SIGKILL at any moment of a keyset change (rotate, add, promote) leaves a keyset file that opens and decrypts every
 * value encrypted under a state the child had acknowledged.
 */
class KeysetCrashTest {

  private static final Pattern ACK = Pattern.compile("ack (\\d+) (sg1:[A-Za-z0-9_-]+)");

  @TempDir Path dir;

  static String value(int n) {
    return "value " + n;
  }

  static FieldContext context(int n) {
    return FieldContext.of("Patient", "p-" + n, "ssn");
  }

  private Process child(Path masterKey, Path keysetFile, int first) throws Exception {
    return ChildJvm.start(KeysetChildMain.class, masterKey.toString(), keysetFile.toString(), Integer.toString(first));
  }

  @Test
  void sigkillDuringKeysetChanges_leavesAKeysetThatDecryptsEveryAcknowledgedValue() throws Exception {
    Path masterKey = dir.resolve("master.key");
    Path keysetFile = dir.resolve("keys").resolve("field-encryption.keyset.json");
    KeyEncryptionKey kek = KeyEncryptionKey.generateMasterKeyFile(masterKey);
    ManagedKeyset.create(keysetFile, KeyPurpose.FIELD_ENCRYPTION, kek, Clock.systemUTC());
    long seed = System.nanoTime();
    Random random = new Random(seed);
    Map<Integer, String> acknowledged = new LinkedHashMap<>();
    int next = 0;
    for (int round = 0; round < 4; round++) {
      int killAfter = 1 + random.nextInt(40);
      Process child = child(masterKey, keysetFile, next);
      int acks = 0;
      try (BufferedReader out = new BufferedReader(
          new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
        String line;
        while (acks < killAfter && (line = out.readLine()) != null) {
          Matcher m = ACK.matcher(line);
          if (m.matches()) {
            acknowledged.put(Integer.parseInt(m.group(1)), m.group(2));
            acks++;
          }
        }
        child.destroyForcibly();
        assertThat(child.waitFor(1, TimeUnit.MINUTES)).isTrue();
      }
      assertThat(acks).as("seed %d round %d: the child acknowledged changes", seed, round).isEqualTo(killAfter);
      next += 1000;

      // Whatever the kill left opens as it is and decrypts everything acknowledged so far.
      ManagedKeyset reopened = ManagedKeyset.open(keysetFile, KeyPurpose.FIELD_ENCRYPTION, kek, Clock.systemUTC());
      FieldCipher cipher = FieldCipher.create(reopened);
      for (Map.Entry<Integer, String> e : acknowledged.entrySet()) {
        assertThat(cipher.decrypt(e.getValue(), context(e.getKey()))).as("seed %d value %d", seed, e.getKey())
            .isEqualTo(value(e.getKey()));
      }
      assertThat(reopened.inventory()).filteredOn(KeyInfo::primary).hasSize(1);
    }
  }
}
