package dev.safeguards.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyEncryptionKeyTest {

  @TempDir Path dir;

  @Test
  void generateMasterKeyFile_writesOwnerOnlyTextKey() throws Exception {
    Path file = dir.resolve("master.key");

    KeyEncryptionKey.generateMasterKeyFile(file);

    assertThat(Files.readString(file)).matches("sg-master-key-v1:[A-Za-z0-9_-]{43}\n");
    if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }
  }

  @Test
  void keyringOpenOrCreate_createsOwnerOnlyDirectoryAndFiles() throws Exception {
    Keyring keys = TestKeys.keyring(dir);

    if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys.directory()))).isEqualTo("rwx------");
      for (KeyPurpose purpose : Keyring.PURPOSES) {
        assertThat(PosixFilePermissions.toString(
            Files.getPosixFilePermissions(Keyring.fileFor(keys.directory(), purpose)))).isEqualTo("rw-------");
      }
    }
  }

  @Test
  void generateMasterKeyFile_neverOverwrites() throws Exception {
    Path file = dir.resolve("master.key");
    KeyEncryptionKey.generateMasterKeyFile(file);
    String before = Files.readString(file);

    assertThatThrownBy(() -> KeyEncryptionKey.generateMasterKeyFile(file))
        .isInstanceOf(MasterKeyException.class)
        .hasMessageContaining("never overwritten");
    assertThat(Files.readString(file)).isEqualTo(before);
  }

  @Test
  void fromMasterKeyFile_opensKeysetsSealedByTheSameKey() throws Exception {
    Path file = dir.resolve("master.key");
    Keyring.openOrCreate(dir.resolve("keys"), KeyEncryptionKey.generateMasterKeyFile(file), TestKeys.CLOCK);

    Keyring reopened = Keyring.open(dir.resolve("keys"), KeyEncryptionKey.fromMasterKeyFile(file), TestKeys.CLOCK);

    assertThat(reopened.inventory()).hasSize(3);
  }

  @Test
  void fromEnvironment_readsTheTextForm() throws Exception {
    String text = new String(KeyEncryptionKey.generateMasterKeyText());
    KeyEncryptionKey fromEnv = KeyEncryptionKey.fromEnvironment("SG_KEY", Map.of("SG_KEY", text + "\n")::get);
    Keyring.openOrCreate(dir.resolve("keys"), fromEnv, TestKeys.CLOCK);

    KeyEncryptionKey again = KeyEncryptionKey.fromEnvironment("SG_KEY", Map.of("SG_KEY", text)::get);

    assertThat(Keyring.open(dir.resolve("keys"), again, TestKeys.CLOCK).inventory()).hasSize(3);
    assertThat(again.toString()).contains("SG_KEY").doesNotContain(text.substring(17));
  }

  @Test
  void missingMasterKey_failsClearly() {
    assertThatThrownBy(() -> KeyEncryptionKey.fromMasterKeyFile(dir.resolve("absent.key")))
        .isInstanceOf(MasterKeyException.class)
        .hasMessageContaining("not found");
    assertThatThrownBy(() -> KeyEncryptionKey.fromEnvironment("SG_KEY", name -> null))
        .isInstanceOf(MasterKeyException.class)
        .hasMessageContaining("SG_KEY is not set");
    assertThatThrownBy(() -> KeyEncryptionKey.fromEnvironment("SG_KEY", name -> "  "))
        .isInstanceOf(MasterKeyException.class);
  }

  @Test
  void masterKey_inANonCanonicalEncoding_isRefusedWithoutEchoingIt() throws Exception {
    String text = new String(KeyEncryptionKey.generateMasterKeyText()).strip();
    String body = text.substring(KeyEncryptionKey.MASTER_KEY_PREFIX.length());
    // The 43rd character carries 4 key bits and 2 spare bits: flipping a spare bit decodes to the same key.
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    char last = body.charAt(42);
    char spare = alphabet.charAt(alphabet.indexOf(last) ^ 1);
    String[] variants = {
        text + "=",
        KeyEncryptionKey.MASTER_KEY_PREFIX + body.substring(0, 42) + spare,
        KeyEncryptionKey.MASTER_KEY_PREFIX + body.replace('-', '+').replace('_', '/'),
    };
    for (String variant : variants) {
      if (variant.equals(text)) {
        continue; // the key had no '-' or '_' for the standard-alphabet variant
      }
      Path file = dir.resolve("variant.key");
      Files.writeString(file, variant + "\n");
      assertThatThrownBy(() -> KeyEncryptionKey.fromMasterKeyFile(file))
          .as("variant %s", variant)
          .isInstanceOf(MasterKeyException.class)
          .hasMessageNotContaining(body.substring(0, 20));
      assertThatThrownBy(() -> KeyEncryptionKey.fromEnvironment("SG_KEY", Map.of("SG_KEY", variant)::get))
          .isInstanceOf(MasterKeyException.class);
    }
  }

  @Test
  void malformedMasterKey_failsWithoutEchoingIt() throws Exception {
    String[] bad = {
        "not-a-key",
        "sg-master-key-v1:",
        "sg-master-key-v1:%%%%",
        "sg-master-key-v1:" + "A".repeat(42),
        "sg-master-key-v1:" + "A".repeat(64),
    };
    for (String value : bad) {
      Path file = dir.resolve("bad.key");
      Files.writeString(file, value);
      assertThatThrownBy(() -> KeyEncryptionKey.fromMasterKeyFile(file))
          .as("value %s", value)
          .isInstanceOf(MasterKeyException.class)
          .hasMessageNotContaining(value.length() > 17 ? value.substring(17) : "\u0000");
    }
  }
}
